import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet, Node, Pod } from '../../api/types.js';
import { compareDaemonPods, computeStatus, isPodAvailable, isPodReady, isPodUpdated, nextAvailableAfterMs, type DaemonSetStatusCounters } from './status.js';
import { newDaemonSet, newNode, newTestPod } from './testing.js';

const hash = 'h-new';
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString().replace('.000Z', 'Z');
const current = { ...{ name: 'simple-daemon', type: 'production' }, 'controller-revision-hash': hash };
const old = { name: 'simple-daemon', type: 'production', 'controller-revision-hash': 'h-old' };

describe('isPodReady()', () => {
  const cases: { name: string; pod: Pod; want: boolean }[] = [
    { name: 'is true for Ready=True', pod: newTestPod('p', { ready: true }), want: true },
    { name: 'is false for Ready=False', pod: newTestPod('p', { ready: false }), want: false },
    { name: 'is false without a Ready condition', pod: newTestPod('p'), want: false },
    { name: 'is false without a status', pod: { metadata: {}, spec: { containers: [] } }, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isPodReady(c.pod), c.want));
});

describe('isPodAvailable()', () => {
  const readyAt50 = newTestPod('p', { ready: true, readySince: at(50) });
  const cases: { name: string; pod: Pod; minReadySeconds: number; now: number; want: boolean }[] = [
    { name: 'is true for a ready pod with minReadySeconds 0', pod: readyAt50, minReadySeconds: 0, now: 50, want: true },
    { name: 'is false for a pod that is not ready', pod: newTestPod('p', { ready: false, readySince: at(0) }), minReadySeconds: 0, now: 50, want: false },
    { name: 'is false before minReadySeconds have passed (ready at 50, 15 s, now 60)', pod: readyAt50, minReadySeconds: 15, now: 60, want: false },
    { name: 'is false exactly at the boundary (strictly before)', pod: readyAt50, minReadySeconds: 15, now: 65, want: false },
    { name: 'is true after minReadySeconds have passed (now 70)', pod: readyAt50, minReadySeconds: 15, now: 70, want: true },
    { name: 'is false without a transition time when minReadySeconds > 0', pod: newTestPod('p', { ready: true }), minReadySeconds: 1, now: 59, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isPodAvailable(c.pod, c.minReadySeconds, new Date(at(c.now))), c.want));
});

describe('nextAvailableAfterMs()', () => {
  const now = new Date(at(60));
  const cases: { name: string; pods: Pod[]; minReadySeconds: number; want: number | undefined }[] = [
    { name: 'is undefined without minReadySeconds', pods: [newTestPod('p', { ready: true, readySince: at(55) })], minReadySeconds: 0, want: undefined },
    { name: 'waits until just past Ready + minReadySeconds', pods: [newTestPod('p', { ready: true, readySince: at(55) })], minReadySeconds: 10, want: 5001 },
    {
      name: 'takes the soonest pod',
      pods: [newTestPod('a', { ready: true, readySince: at(58) }), newTestPod('b', { ready: true, readySince: at(52) })],
      minReadySeconds: 10,
      want: 2001,
    },
    { name: 'ignores pods already available', pods: [newTestPod('p', { ready: true, readySince: at(40) })], minReadySeconds: 10, want: undefined },
    { name: 'ignores pods not Ready', pods: [newTestPod('p', { ready: false, readySince: at(55) })], minReadySeconds: 10, want: undefined },
    { name: 'ignores Ready pods without a transition time', pods: [newTestPod('p', { ready: true })], minReadySeconds: 10, want: undefined },
    { name: 'ignores pods being deleted', pods: [newTestPod('p', { ready: true, readySince: at(55), deletionTimestamp: at(59) })], minReadySeconds: 10, want: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.equal(nextAvailableAfterMs(c.pods, c.minReadySeconds, now), c.want));
});

describe('isPodUpdated()', () => {
  const cases: { name: string; labels: Record<string, string>; hash: string; generation?: bigint; want: boolean }[] = [
    { name: 'is true when the hash matches', labels: { 'controller-revision-hash': 'a' }, hash: 'a', want: true },
    { name: 'is false when the hash differs and there is no generation', labels: { 'controller-revision-hash': 'b' }, hash: 'a', want: false },
    { name: 'is true when only the template generation matches', labels: { 'controller-revision-hash': 'b', 'pod-template-generation': '3' }, hash: 'a', generation: 3n, want: true },
    { name: 'is false when the template generation differs', labels: { 'pod-template-generation': '2' }, hash: 'a', generation: 3n, want: false },
    { name: 'never matches an empty hash', labels: {}, hash: '', want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = newTestPod('p', { labels: c.labels });
      assert.equal(isPodUpdated(pod, c.hash, c.generation), c.want);
    });
  }
});

describe('compareDaemonPods()', () => {
  const cases: { name: string; pods: Pod[]; want: string[] }[] = [
    {
      name: 'puts bound pods before unbound ones, even when younger',
      pods: [newTestPod('unbound', { pinnedTo: 'n', created: at(1) }), newTestPod('bound', { nodeName: 'n', created: at(9) })],
      want: ['bound', 'unbound'],
    },
    {
      name: 'puts older pods first',
      pods: [newTestPod('young', { nodeName: 'n', created: at(9) }), newTestPod('old', { nodeName: 'n', created: at(1) })],
      want: ['old', 'young'],
    },
    {
      name: 'breaks ties by name',
      pods: [newTestPod('b', { nodeName: 'n', created: at(1) }), newTestPod('a', { nodeName: 'n', created: at(1) })],
      want: ['a', 'b'],
    },
    {
      name: 'puts a pod without creationTimestamp first, like Go zero time',
      pods: [newTestPod('dated', { nodeName: 'n', created: at(1) }), newTestPod('undated', { nodeName: 'n' })],
      want: ['undated', 'dated'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual([...c.pods].sort(compareDaemonPods).map((p) => p.metadata.name), c.want));
});

describe('computeStatus()', () => {
  const noScheduleTaint = { key: 'dedicated', effect: 'NoSchedule' as const };
  const noExecuteTaint = { key: 'dedicated', effect: 'NoExecute' as const };
  const counters = (c: Partial<DaemonSetStatusCounters>): DaemonSetStatusCounters => ({
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
    updatedNumberScheduled: 0,
    observedGeneration: 1,
    ...c,
  });
  const cases: {
    name: string;
    ds?: DaemonSet;
    nodes: Node[];
    pods: Record<string, Pod[]>;
    now?: number;
    updateObservedGeneration?: boolean;
    want: DaemonSetStatusCounters;
  }[] = [
    {
      name: 'counts no ready pods when none is Ready (TestNumberReadyStatus, before)',
      nodes: [newNode('node-0'), newNode('node-1')],
      pods: { 'node-0': [newTestPod('a', { nodeName: 'node-0', labels: current, ready: false })], 'node-1': [newTestPod('b', { nodeName: 'node-1', labels: current })] },
      want: counters({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberUnavailable: 2, updatedNumberScheduled: 2 }),
    },
    {
      name: 'counts both pods once Ready (TestNumberReadyStatus, after)',
      nodes: [newNode('node-0'), newNode('node-1')],
      pods: {
        'node-0': [newTestPod('a', { nodeName: 'node-0', labels: current, ready: true, readySince: at(0) })],
        'node-1': [newTestPod('b', { nodeName: 'node-1', labels: current, ready: true, readySince: at(0) })],
      },
      want: counters({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2 }),
    },
    {
      name: 'counts mixed node states: running, empty, NoSchedule-kept, NoExecute, unselected, and a vanished node',
      ds: newDaemonSet({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'skip', operator: 'DoesNotExist' }] }] } } } }),
      nodes: [
        newNode('running'),
        newNode('empty'),
        newNode('kept', { taints: [noScheduleTaint] }),
        newNode('evicting', { taints: [noExecuteTaint] }),
        newNode('unselected', { labels: { skip: 'yes' } }),
        newNode('unselected-empty', { labels: { skip: 'yes' } }),
      ],
      pods: {
        running: [newTestPod('r', { nodeName: 'running', labels: current, ready: true, readySince: at(0) })],
        kept: [newTestPod('k', { nodeName: 'kept', labels: current, ready: true, readySince: at(0) })],
        evicting: [newTestPod('e', { nodeName: 'evicting', labels: old, ready: true, readySince: at(0) })],
        unselected: [newTestPod('u', { nodeName: 'unselected', labels: old })],
        vanished: [newTestPod('v', { nodeName: 'vanished', labels: current, ready: true, readySince: at(0) })],
      },
      want: counters({
        desiredNumberScheduled: 2,
        currentNumberScheduled: 1,
        numberMisscheduled: 3,
        numberReady: 1,
        numberAvailable: 1,
        numberUnavailable: 1,
        updatedNumberScheduled: 1,
      }),
    },
    {
      name: 'judges a node by its oldest pod: an old Ready pod and a new one count as ready but not updated',
      nodes: [newNode('node-0')],
      pods: {
        'node-0': [
          newTestPod('new', { nodeName: 'node-0', labels: current, created: at(30), ready: false }),
          newTestPod('old', { nodeName: 'node-0', labels: old, created: at(10), ready: true, readySince: at(11) }),
        ],
      },
      want: counters({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1 }),
    },
    {
      name: 'judges a node by its bound pod before an older unbound one',
      nodes: [newNode('node-0')],
      pods: {
        'node-0': [
          newTestPod('pending', { pinnedTo: 'node-0', labels: old, created: at(1) }),
          newTestPod('bound', { nodeName: 'node-0', labels: current, created: at(5), ready: true, readySince: at(6) }),
        ],
      },
      want: counters({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1 }),
    },
    {
      name: 'counts a pending, unready pod as current only',
      nodes: [newNode('node-0')],
      pods: { 'node-0': [newTestPod('p', { pinnedTo: 'node-0', labels: current, phase: 'Pending' })] },
      want: counters({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberUnavailable: 1, updatedNumberScheduled: 1 }),
    },
    {
      name: 'counts Ready but not yet available pods with minReadySeconds',
      ds: { ...newDaemonSet(), spec: { ...newDaemonSet().spec, minReadySeconds: 15 } },
      nodes: [newNode('node-0'), newNode('node-1')],
      pods: {
        'node-0': [newTestPod('a', { nodeName: 'node-0', labels: current, ready: true, readySince: at(50) })],
        'node-1': [newTestPod('b', { nodeName: 'node-1', labels: current, ready: true, readySince: at(10) })],
      },
      now: 60,
      want: counters({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 1, numberUnavailable: 1, updatedNumberScheduled: 2 }),
    },
    {
      name: 'counts pods updated through the template generation label',
      ds: newDaemonSet({}, { annotations: { 'deprecated.daemonset.template.generation': '2' } }),
      nodes: [newNode('node-0'), newNode('node-1')],
      pods: {
        'node-0': [newTestPod('a', { nodeName: 'node-0', labels: { ...old, 'pod-template-generation': '2' } })],
        'node-1': [newTestPod('b', { nodeName: 'node-1', labels: { ...old, 'pod-template-generation': '1' } })],
      },
      want: counters({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberUnavailable: 2, updatedNumberScheduled: 1 }),
    },
    {
      name: 'keeps the stored observedGeneration when not a full sync',
      ds: { ...newDaemonSet({}, { generation: 5 }), status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 4 } },
      nodes: [],
      pods: {},
      updateObservedGeneration: false,
      want: counters({ observedGeneration: 4 }),
    },
    {
      name: 'sets observedGeneration to metadata.generation on a full sync',
      ds: { ...newDaemonSet({}, { generation: 5 }), status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 4 } },
      nodes: [],
      pods: {},
      want: counters({ observedGeneration: 5 }),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = computeStatus({
        ds: c.ds ?? newDaemonSet(),
        nodes: c.nodes,
        nodeToDaemonPods: new Map(Object.entries(c.pods)),
        hash,
        now: new Date(at(c.now ?? 59)),
        updateObservedGeneration: c.updateObservedGeneration,
      });
      assert.deepEqual(got, c.want);
    });
  }

  it('does not reorder the caller\'s pod lists', () => {
    const pods = [newTestPod('young', { nodeName: 'node-0', created: at(9) }), newTestPod('old', { nodeName: 'node-0', created: at(1) })];
    computeStatus({ ds: newDaemonSet(), nodes: [newNode('node-0')], nodeToDaemonPods: new Map([['node-0', pods]]), hash, now: new Date(at(10)) });
    assert.deepEqual(pods.map((p) => p.metadata.name), ['young', 'old']);
  });
});
