import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Pod } from '../api/types.js';
import { addHostPort, computePodResourceRequest, hostPortConflicts, newNodeInfo, toleratesTaint, type HostPortInfo } from './framework.js';
import { makeNode, makePod, podRequesting, podWithPorts } from './testdata/fixtures.js';

describe('computePodResourceRequest()', () => {
  const cases: { name: string; pod: Pod; want: { milliCPU: bigint; memory: bigint; ephemeralStorage?: bigint; scalar?: Record<string, bigint> } }[] = [
    { name: 'is zero for a pod without requests (no scoring defaults)', pod: makePod(), want: { milliCPU: 0n, memory: 0n } },
    { name: 'sums app containers', pod: podRequesting({ cpu: '100m', memory: '1Mi' }, { cpu: '0.25', memory: '1Mi' }), want: { milliCPU: 350n, memory: 2n * 1024n * 1024n } },
    {
      name: 'takes the larger init container per resource',
      pod: makePod({
        containers: [{ name: 'a', resources: { requests: { cpu: '100m', memory: '100' } } }],
        initContainers: [
          { name: 'i1', resources: { requests: { cpu: '500m', memory: '10' } } },
          { name: 'i2', resources: { requests: { cpu: '200m', memory: '50' } } },
        ],
      }),
      want: { milliCPU: 500n, memory: 100n },
    },
    {
      name: 'adds sidecars to the total and to later init containers',
      pod: makePod({
        containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }],
        initContainers: [
          { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
          { name: 'init', resources: { requests: { cpu: '250m' } } },
        ],
      }),
      want: { milliCPU: 450n, memory: 0n },
    },
    {
      name: 'adds overhead',
      pod: makePod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], overhead: { cpu: '50m', memory: '10' } }),
      want: { milliCPU: 150n, memory: 10n },
    },
    {
      name: 'rounds fractional memory up and keeps extended resources',
      pod: podRequesting({ memory: '1500m', 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi', ignored: '3' }),
      want: { milliCPU: 0n, memory: 2n, scalar: { 'example.com/gpu': 2n, 'hugepages-2Mi': 4n * 1024n * 1024n } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = computePodResourceRequest(c.pod);
      assert.deepEqual(
        { milliCPU: got.milliCPU, memory: got.memory, ephemeralStorage: got.ephemeralStorage, scalar: Object.fromEntries(got.scalar) },
        { ephemeralStorage: 0n, scalar: {}, ...c.want },
      );
    });
  }
});

describe('newNodeInfo()', () => {
  it('sums requests of bound pods and skips finished ones', () => {
    const finished: Pod = { ...podRequesting({ cpu: '1' }), status: { phase: 'Succeeded' } };
    const info = newNodeInfo(makeNode('n1'), [podRequesting({ cpu: '300m' }), podRequesting({ cpu: '200m' }), finished]);
    assert.deepEqual({ pods: info.pods.length, milliCPU: info.requested.milliCPU, allocPods: info.allocatable.allowedPodNumber }, { pods: 2, milliCPU: 500n, allocPods: 110n });
  });
  it('records host ports of bound pods', () => {
    const info = newNodeInfo(makeNode('n1'), [podWithPorts({ hostPort: 80 }, { hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' })]);
    assert.deepEqual(Object.fromEntries([...info.usedPorts].map(([ip, set]) => [ip, [...set]])), { '0.0.0.0': ['TCP/80'], '10.0.0.1': ['UDP/53'] });
  });
});

describe('hostPortConflicts()', () => {
  const used = (...ports: [string, string, number][]): HostPortInfo => {
    const info: HostPortInfo = new Map();
    for (const [ip, protocol, port] of ports) addHostPort(info, ip, protocol, port);
    return info;
  };
  const cases: { name: string; used: HostPortInfo; want: [string, string, number]; conflict: boolean }[] = [
    { name: 'same ip, protocol and port conflict', used: used(['127.0.0.1', 'TCP', 80]), want: ['127.0.0.1', 'TCP', 80], conflict: true },
    { name: 'another port does not', used: used(['127.0.0.1', 'TCP', 80]), want: ['127.0.0.1', 'TCP', 81], conflict: false },
    { name: 'another protocol does not', used: used(['127.0.0.1', 'TCP', 80]), want: ['127.0.0.1', 'UDP', 80], conflict: false },
    { name: 'empty protocol means TCP', used: used(['127.0.0.1', '', 80]), want: ['127.0.0.1', 'TCP', 80], conflict: true },
    { name: 'another specific ip does not', used: used(['127.0.0.1', 'TCP', 80]), want: ['127.0.0.2', 'TCP', 80], conflict: false },
    { name: 'wanted 0.0.0.0 conflicts with any ip', used: used(['127.0.0.1', 'TCP', 80]), want: ['0.0.0.0', 'TCP', 80], conflict: true },
    { name: 'empty wanted ip means 0.0.0.0', used: used(['127.0.0.1', 'TCP', 80]), want: ['', 'TCP', 80], conflict: true },
    { name: 'used 0.0.0.0 conflicts with a specific ip', used: used(['', 'TCP', 80]), want: ['10.1.1.1', 'TCP', 80], conflict: true },
    { name: 'port 0 never conflicts', used: used(['', 'TCP', 80]), want: ['', 'TCP', 0], conflict: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(hostPortConflicts(c.used, ...c.want), c.conflict));
});

describe('toleratesTaint()', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoSchedule' as const };
  const cases: { name: string; toleration: Parameters<typeof toleratesTaint>[0]; want: boolean }[] = [
    { name: 'Equal with same key, value and effect', toleration: { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, want: true },
    { name: 'default operator is Equal', toleration: { key: 'k', value: 'v' }, want: true },
    { name: 'Equal with another value', toleration: { key: 'k', value: 'w' }, want: false },
    { name: 'Exists ignores the value', toleration: { key: 'k', operator: 'Exists' }, want: true },
    { name: 'Exists without key tolerates everything', toleration: { operator: 'Exists' }, want: true },
    { name: 'another effect', toleration: { key: 'k', operator: 'Exists', effect: 'NoExecute' }, want: false },
    { name: 'another key', toleration: { key: 'x', operator: 'Exists' }, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(toleratesTaint(c.toleration, taint), c.want));
});
