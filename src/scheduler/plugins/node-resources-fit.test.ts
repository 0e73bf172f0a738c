import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Node, Pod } from '../../api/types.js';
import { fits, newNodeInfo, unresolvable, unschedulable, type FilterResult } from '../framework.js';
import { makeNode, makePod, podRequesting } from '../testdata/fixtures.js';
import { nodeResourcesFit } from './node-resources-fit.js';

const node = (allocatable: Record<string, string>): Node => makeNode('n1', { allocatable });

describe('nodeResourcesFit.filter()', () => {
  const cases: { name: string; pod: Pod; node: Node; existing?: Pod[]; want: FilterResult }[] = [
    { name: 'fits when requests fit what is left', pod: podRequesting({ cpu: '500m', memory: '1Gi' }), node: node({ cpu: '1', memory: '2Gi', pods: '10' }), existing: [podRequesting({ cpu: '500m', memory: '1Gi' })], want: fits },
    { name: 'rejects cpu beyond what is left, resolvably', pod: podRequesting({ cpu: '600m' }), node: node({ cpu: '1', memory: '2Gi', pods: '10' }), existing: [podRequesting({ cpu: '500m' })], want: unschedulable('Insufficient cpu') },
    { name: 'rejects a request larger than the whole node, unresolvably', pod: podRequesting({ memory: '3Gi' }), node: node({ cpu: '1', memory: '2Gi', pods: '10' }), want: unresolvable('Insufficient memory') },
    {
      name: 'reports every shortfall in upstream order',
      pod: podRequesting({ cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi', 'example.com/gpu': '1' }),
      node: node({ cpu: '4', memory: '2Gi', 'ephemeral-storage': '10Gi', pods: '1' }),
      existing: [podRequesting({ cpu: '3', memory: '1500Mi', 'ephemeral-storage': '9500Mi' })],
      want: { ok: false, reasons: ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient ephemeral-storage', 'Insufficient example.com/gpu'], unresolvable: true },
    },
    { name: 'fits an extended resource the node has', pod: podRequesting({ 'example.com/gpu': '1' }), node: node({ 'example.com/gpu': '2', pods: '10' }), want: fits },
    { name: 'rejects too many pods even without requests', pod: makePod(), node: node({ cpu: '1', pods: '1' }), existing: [makePod()], want: unschedulable('Too many pods') },
    { name: 'rejects when the node has no pods allocatable', pod: makePod(), node: node({ cpu: '1' }), want: unschedulable('Too many pods') },
    { name: 'fits a pod without requests on a full node', pod: makePod(), node: node({ cpu: '1', memory: '1Gi', pods: '10' }), existing: [podRequesting({ cpu: '1', memory: '1Gi' })], want: fits },
    { name: 'ignores finished pods', pod: podRequesting({ cpu: '1' }), node: node({ cpu: '1', pods: '10' }), existing: [{ ...podRequesting({ cpu: '1' }), status: { phase: 'Succeeded' } }], want: fits },
    {
      name: 'insufficient-capacity example: 120M/75m on a 100M/200m node',
      pod: podRequesting({ cpu: '75m', memory: '120M' }),
      node: node({ cpu: '200m', memory: '100M', pods: '100' }),
      want: unresolvable('Insufficient memory'),
    },
    {
      name: 'counts init containers by their peak',
      pod: makePod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] }),
      node: node({ cpu: '1', pods: '10' }),
      want: unresolvable('Insufficient cpu'),
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(nodeResourcesFit.filter(c.pod, newNodeInfo(c.node, c.existing ?? [])), c.want));
  }
});
