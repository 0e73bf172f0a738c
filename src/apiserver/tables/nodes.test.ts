import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Condition, Node } from '../../api/types.js';
import { nodePrinter } from './nodes.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function newNode(options: { labels?: Record<string, string>; conditions?: Condition[]; unschedulable?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', creationTimestamp: '2024-05-29T12:00:00Z', labels: options.labels },
    spec: { unschedulable: options.unschedulable },
    status: { conditions: options.conditions },
  };
}

const ready = (status: Condition['status']): Condition => ({ type: 'Ready', status });

describe('nodePrinter.cells() STATUS', () => {
  const cases: { name: string; node: Node; want: string }[] = [
    { name: 'Ready when the condition is True', node: newNode({ conditions: [ready('True')] }), want: 'Ready' },
    { name: 'NotReady when the condition is False', node: newNode({ conditions: [ready('False')] }), want: 'NotReady' },
    { name: 'NotReady when the condition is Unknown', node: newNode({ conditions: [ready('Unknown')] }), want: 'NotReady' },
    { name: 'Unknown without a Ready condition', node: newNode({ conditions: [{ type: 'MemoryPressure', status: 'False' }] }), want: 'Unknown' },
    { name: 'cordoned', node: newNode({ conditions: [ready('True')], unschedulable: true }), want: 'Ready,SchedulingDisabled' },
    { name: 'cordoned without a Ready condition', node: newNode({ unschedulable: true }), want: 'Unknown,SchedulingDisabled' },
    { name: 'the last Ready condition wins', node: newNode({ conditions: [ready('False'), ready('True')] }), want: 'Ready' },
  ];
  for (const { name, node, want } of cases) {
    it(`nodePrinter.cells() ${name}`, () => assert.equal(nodePrinter.cells(node, NOW)[1], want));
  }
});

describe('nodePrinter.cells() ROLES', () => {
  const cases: { name: string; labels: Record<string, string> | undefined; want: string }[] = [
    { name: '<none> without role labels', labels: { 'kubernetes.io/os': 'linux' }, want: '<none>' },
    { name: '<none> without labels', labels: undefined, want: '<none>' },
    {
      name: 'roles from node-role keys, sorted, values ignored',
      labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': 'true' },
      want: 'control-plane,worker',
    },
    { name: 'an empty role name is ignored', labels: { 'node-role.kubernetes.io/': '' }, want: '<none>' },
    { name: 'the legacy role label names a role in its value', labels: { 'kubernetes.io/role': 'master' }, want: 'master' },
    { name: 'an empty legacy role is ignored', labels: { 'kubernetes.io/role': '' }, want: '<none>' },
    {
      name: 'both kinds of label, deduplicated',
      labels: { 'kubernetes.io/role': 'infra', 'node-role.kubernetes.io/infra': '', 'node-role.kubernetes.io/edge': '' },
      want: 'edge,infra',
    },
  ];
  for (const { name, labels, want } of cases) {
    it(`nodePrinter.cells() ${name}`, () => assert.equal(nodePrinter.cells(newNode({ labels }), NOW)[2], want));
  }
});

describe('nodePrinter.cells() whole rows', () => {
  const reported: Node = {
    ...newNode({ conditions: [ready('True')] }),
    status: {
      conditions: [ready('True')],
      addresses: [
        { type: 'Hostname', address: 'node-1' },
        { type: 'InternalIP', address: '10.0.0.1' },
        { type: 'InternalIP', address: '10.0.0.2' },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.31.0',
        osImage: 'Ubuntu 24.04 LTS',
        kernelVersion: '6.8.0',
        containerRuntimeVersion: 'containerd://1.7.0',
      },
    },
  };
  const cases: { name: string; node: Node; want: unknown[] }[] = [
    {
      name: 'a reporting node shows its first internal address',
      node: reported,
      want: ['node-1', 'Ready', '<none>', '3d', 'v1.31.0', '10.0.0.1', '<none>', 'Ubuntu 24.04 LTS', '6.8.0', 'containerd://1.7.0'],
    },
    {
      name: 'a node that has not reported shows placeholders',
      node: newNode(),
      want: ['node-1', 'Unknown', '<none>', '3d', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    },
  ];
  for (const { name, node, want } of cases) {
    it(`nodePrinter.cells() ${name}`, () => assert.deepEqual(nodePrinter.cells(node, NOW), want));
  }
});
