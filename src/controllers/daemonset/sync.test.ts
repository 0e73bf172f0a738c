import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../api/types.js';
import { getNodesToDaemonPods } from './pinning.js';
import type { EventRecorder, RecordedEvent } from '../../client/index.js';
import { FakeClock, silentLogger, type Client } from '../../client/index.js';
import { FailedPodsBackoff } from './backoff.js';
import { ControllerExpectations } from './expectations.js';
import { getDaemonPods, manage, podsShouldBeOnNode, selectingAllMessage, syncDaemonSet, type SyncContext } from './sync.js';
import { newDaemonSet, newNode, newTestPod, newUpdateSurge } from './testing.js';

const names = (pods: readonly Pod[]) => pods.map((pod) => pod.metadata.name);
const run = { shouldRun: true, shouldContinueRunning: true };
const keep = { shouldRun: false, shouldContinueRunning: true };
const stop = { shouldRun: false, shouldContinueRunning: false };

describe('podsShouldBeOnNode', () => {
  const cases: Array<{ name: string; placement: typeof run; pods: Pod[]; create: boolean; deleted: string[]; events: string[] }> = [
    { name: 'should run, no pod: create', placement: run, pods: [], create: true, deleted: [], events: [] },
    { name: 'should run, one pod: nothing', placement: run, pods: [newTestPod('a')], create: false, deleted: [], events: [] },
    {
      name: 'duplicates: keep the oldest',
      placement: run,
      pods: [newTestPod('b', { created: '2024-01-02T00:00:00Z' }), newTestPod('a', { created: '2024-01-03T00:00:00Z' }), newTestPod('c', { created: '2024-01-01T00:00:00Z' })],
      create: false,
      deleted: ['b', 'a'],
      events: [],
    },
    { name: 'duplicates: a bound pod wins', placement: run, pods: [newTestPod('a'), newTestPod('b', { nodeName: 'n' })], create: false, deleted: ['a'], events: [] },
    { name: 'failed pod: deleted, no create in the same pass', placement: run, pods: [newTestPod('a', { phase: 'Failed' })], create: false, deleted: ['a'], events: ['FailedDaemonPod'] },
    {
      name: 'failed pod plus three running: 3 deletes, 1 event',
      placement: run,
      pods: [newTestPod('f', { phase: 'Failed' }), newTestPod('a', { created: '2024-01-01T00:00:00Z' }), newTestPod('b', { created: '2024-01-02T00:00:00Z' }), newTestPod('c', { created: '2024-01-03T00:00:00Z' })],
      create: false,
      deleted: ['f', 'b', 'c'],
      events: ['FailedDaemonPod'],
    },
    { name: 'succeeded pod: deleted', placement: run, pods: [newTestPod('a', { phase: 'Succeeded' })], create: false, deleted: ['a'], events: ['SucceededDaemonPod'] },
    { name: 'only pod terminating: no replacement', placement: run, pods: [newTestPod('a', { deletionTimestamp: '2024-01-01T00:00:00Z' })], create: false, deleted: [], events: [] },
    { name: 'may continue (NoSchedule taint): kept', placement: keep, pods: [newTestPod('a')], create: false, deleted: [], events: [] },
    { name: 'may continue, no pod: no create', placement: keep, pods: [], create: false, deleted: [], events: [] },
    {
      name: 'must stop: delete all but terminating',
      placement: stop,
      pods: [newTestPod('a'), newTestPod('b', { deletionTimestamp: '2024-01-01T00:00:00Z' })],
      create: false,
      deleted: ['a'],
      events: [],
    },
    { name: 'must stop, no pod: nothing', placement: stop, pods: [], create: false, deleted: [], events: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = podsShouldBeOnNode('n', c.placement, c.pods);
      assert.equal(plan.create, c.create);
      assert.deepEqual(names(plan.podsToDelete), c.deleted);
      assert.deepEqual(plan.events.map((event) => event.reason), c.events);
    });
  }
  it('leaves a failed pod alone during backoff and asks for a requeue', () => {
    const plan = podsShouldBeOnNode('n', run, [newTestPod('a', { phase: 'Failed' })], { backoffDelayMs: 2000 });
    assert.deepEqual(plan, { create: false, podsToDelete: [], events: [], requeueAfterMs: 2000 });
  });
  it('marks the deletion of a failed pod for the backoff', () => {
    assert.equal(podsShouldBeOnNode('n', run, [newTestPod('a', { phase: 'Failed' })]).failedPodDeleted, true);
    assert.equal(podsShouldBeOnNode('n', run, [newTestPod('a', { phase: 'Succeeded' })]).failedPodDeleted, undefined);
  });
  it('names the pod and node in the failed-pod event', () => {
    const plan = podsShouldBeOnNode('node-1', run, [newTestPod('a', { phase: 'Failed' })]);
    assert.deepEqual(plan.events[0], { type: 'Warning', reason: 'FailedDaemonPod', message: 'Found failed daemon pod default/a on node node-1, will try to kill it' });
  });
});

describe('podsShouldBeOnNode with surge', () => {
  const hash = 'h-new';
  const at = (second: number) => new Date(second * 1000).toISOString();
  const surge = (now = 100, minReadySeconds = 0) => ({ surge: { hash, minReadySeconds, now: new Date(now * 1000) } });
  const fresh = { name: 'simple-daemon', type: 'production', 'controller-revision-hash': hash };
  const stale = { name: 'simple-daemon', type: 'production' };
  const pod = (name: string, created: number, labels: Record<string, string>, ready?: boolean, readySince?: number, extra: Parameters<typeof newTestPod>[1] = {}) =>
    newTestPod(name, { nodeName: 'n', created: at(created), labels, ready, ...(readySince !== undefined ? { readySince: at(readySince) } : {}), ...extra });
  const cases: Array<{ name: string; placement: typeof run; pods: Pod[]; now?: number; minReadySeconds?: number; create: boolean; deleted: string[] }> = [
    { name: 'no pod: create', placement: run, pods: [], create: true, deleted: [] },
    { name: 'one pod: nothing', placement: run, pods: [pod('a', 1, stale, true)], create: false, deleted: [] },
    {
      name: 'only pod terminating: a replacement starts at once (TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted)',
      placement: run,
      pods: [pod('a', 1, stale, true, undefined, { deletionTimestamp: at(31) })],
      create: true,
      deleted: [],
    },
    { name: 'only a failed pod: deleted and replaced in the same pass', placement: run, pods: [pod('a', 1, stale, false, undefined, { phase: 'Failed' })], create: true, deleted: ['a'] },
    { name: 'may continue but should not run, nothing running: no create', placement: keep, pods: [pod('a', 1, stale, true, undefined, { deletionTimestamp: at(31) })], create: false, deleted: [] },
    {
      name: 'several current pods: keep the oldest',
      placement: run,
      pods: [pod('b', 2, fresh), pod('a', 1, fresh), pod('c', 3, fresh)],
      create: false,
      deleted: ['b', 'c'],
    },
    {
      name: 'keeps a Ready oldest old pod next to an unavailable new one, drops the younger old one (TestSurgePreservesReadyOldPods)',
      placement: run,
      pods: [pod('new', 100, fresh), pod('old', 50, stale, true), pod('old-younger', 60, stale, true)],
      create: false,
      deleted: ['old-younger'],
    },
    {
      name: 'drops an unready old pod next to a new one (TestSurgeDeletesUnreadyOldPods)',
      placement: run,
      pods: [pod('new', 100, fresh), pod('old-unready', 50, stale, false), pod('old-younger', 60, stale, true)],
      create: false,
      deleted: ['old-younger', 'old-unready'],
    },
    {
      name: 'keeps the Ready old pod while the new one waits for minReadySeconds (TestSurgePreservesOldReadyWithUnsatisfiedMinReady)',
      placement: run,
      pods: [pod('new', 100, fresh, true, 50), pod('old', 50, stale, true), pod('old-younger', 60, stale, true)],
      now: 60,
      minReadySeconds: 15,
      create: false,
      deleted: ['old-younger'],
    },
    {
      name: 'drops the old pod once the new one is available (TestSurgeDeletesOldReadyWithUnsatisfiedMinReady)',
      placement: run,
      pods: [pod('new', 100, fresh, true, 50), pod('old', 50, stale, true), pod('old-younger', 60, stale, true)],
      now: 70,
      minReadySeconds: 15,
      create: false,
      deleted: ['old-younger', 'old'],
    },
    {
      name: 'tells new from old by the hash label only, not the template generation',
      placement: run,
      pods: [pod('gen', 1, { ...stale, 'pod-template-generation': '2' }, true), pod('new', 2, fresh, true, 0)],
      create: false,
      deleted: ['gen'],
    },
    { name: 'must stop: delete all', placement: stop, pods: [pod('a', 1, stale, true), pod('b', 2, fresh)], create: false, deleted: ['a', 'b'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = podsShouldBeOnNode('n', c.placement, c.pods, surge(c.now, c.minReadySeconds));
      assert.deepEqual({ create: plan.create, deleted: names(plan.podsToDelete) }, { create: c.create, deleted: c.deleted });
    });
  }
});

describe('manage', () => {
  it('with surge: creates on empty nodes and prunes duplicates (TestSurgeDealsWithExistingPods)', () => {
    const ds = newDaemonSet();
    ds.spec.updateStrategy = newUpdateSurge(1);
    const hash = 'h';
    const labels = { name: 'simple-daemon', type: 'production', 'controller-revision-hash': hash };
    const nodes = ['node-0', 'node-1', 'node-2', 'node-3', 'node-4'].map((name) => newNode(name));
    const pods = [
      newTestPod('n1-a', { nodeName: 'node-1', labels }),
      ...['a', 'b'].map((x) => newTestPod(`n2-${x}`, { nodeName: 'node-2', labels })),
      ...['a', 'b', 'c', 'd', 'e'].map((x) => newTestPod(`n3-${x}`, { nodeName: 'node-3', labels })),
    ];
    const plan = manage(ds, nodes, getNodesToDaemonPods(pods), { hash, now: new Date(0) });
    assert.deepEqual(plan.nodesNeedingDaemonPods, ['node-0', 'node-4']);
    assert.deepEqual(names(plan.podsToDelete), ['n2-b', 'n3-b', 'n3-c', 'n3-d', 'n3-e']);
  });

  it('plans creates and deletes across nodes', () => {
    const ds = newDaemonSet({ nodeSelector: { disktype: 'ssd' } });
    const nodes = [
      newNode('ssd-empty', { labels: { disktype: 'ssd' } }),
      newNode('ssd-full', { labels: { disktype: 'ssd' } }),
      newNode('hdd', { labels: { disktype: 'hdd' } }),
      newNode('tainted', { labels: { disktype: 'ssd' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }),
      newNode('evicting', { labels: { disktype: 'ssd' }, taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }),
    ];
    const pods = [
      newTestPod('on-ssd', { pinnedTo: 'ssd-full' }),
      newTestPod('on-hdd', { pinnedTo: 'hdd' }),
      newTestPod('on-tainted', { pinnedTo: 'tainted' }),
      newTestPod('on-evicting', { nodeName: 'evicting' }),
      newTestPod('on-gone-pinned', { pinnedTo: 'gone' }),
      newTestPod('on-gone-bound', { nodeName: 'gone' }),
    ];
    const plan = manage(ds, nodes, getNodesToDaemonPods(pods));
    assert.deepEqual(plan.nodesNeedingDaemonPods, ['ssd-empty']);
    assert.deepEqual(names(plan.podsToDelete), ['on-hdd', 'on-evicting', 'on-gone-pinned']);
    assert.deepEqual(plan.nodesWithFailedPodsDeleted, []);
    assert.equal(plan.requeueAfterMs, undefined);
  });
  it('asks the backoff only about nodes with failed pods, and requeues after the shortest delay', () => {
    const ds = newDaemonSet();
    const nodes = ['a', 'b', 'c', 'd'].map((name) => newNode(name));
    const pods = [
      newTestPod('on-a', { pinnedTo: 'a', phase: 'Failed' }),
      newTestPod('on-b', { pinnedTo: 'b', phase: 'Failed' }),
      newTestPod('on-c', { pinnedTo: 'c', phase: 'Failed' }),
      newTestPod('on-d', { pinnedTo: 'd' }),
    ];
    const asked: string[] = [];
    const delays: Record<string, number> = { b: 4000, c: 1000, d: 1 };
    const plan = manage(ds, nodes, getNodesToDaemonPods(pods), { backoffDelayMs: (nodeName) => (asked.push(nodeName), delays[nodeName]) });
    assert.deepEqual(asked, ['a', 'b', 'c']);
    assert.deepEqual(names(plan.podsToDelete), ['on-a']);
    assert.deepEqual(plan.nodesWithFailedPodsDeleted, ['a']);
    assert.equal(plan.requeueAfterMs, 1000);
    assert.deepEqual(plan.events.map((event) => event.reason), ['FailedDaemonPod']);
  });
});

describe('getDaemonPods', () => {
  it('keeps pods controlled by the DaemonSet that match its selector', () => {
    const ds = newDaemonSet();
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid: 'ds-uid', controller: true };
    const owned = newTestPod('owned');
    owned.metadata.ownerReferences = [owner];
    const otherLabels = newTestPod('other-labels', { labels: { name: 'x' } });
    otherLabels.metadata.ownerReferences = [owner];
    const orphan = newTestPod('orphan');
    const otherOwner = newTestPod('other-owner');
    otherOwner.metadata.ownerReferences = [{ ...owner, uid: 'other' }];
    assert.deepEqual(names(getDaemonPods(ds, [owned, otherLabels, orphan, otherOwner])), ['owned']);
  });
});

describe('syncDaemonSet', () => {
  function context(ds: ReturnType<typeof newDaemonSet> | undefined, calls: string[], events: RecordedEvent[], expectations = new ControllerExpectations(new FakeClock())): SyncContext {
    const client = new Proxy({} as Client, {
      get: (_target, method) => async () => {
        calls.push(String(method));
        throw new Error(`unexpected client call ${String(method)}`);
      },
    });
    return {
      client,
      recorder: { record: (_obj: unknown, event: RecordedEvent) => events.push(event) } as unknown as EventRecorder,
      expectations,
      failedPodsBackoff: new FailedPodsBackoff(new FakeClock()),
      clock: new FakeClock(),
      log: silentLogger,
      getDaemonSet: () => ds,
      listNodes: () => [newNode('node-1')],
      listPodsToClaim: () => [],
      listRevisions: () => [],
    };
  }

  it('warns SelectingAll for an empty selector and writes nothing', async () => {
    const ds = newDaemonSet();
    ds.spec.selector = {};
    const calls: string[] = [];
    const events: RecordedEvent[] = [];
    await syncDaemonSet(context(ds, calls, events), 'default/foo');
    assert.deepEqual(calls, []);
    assert.deepEqual(events, [{ type: 'Warning', reason: 'SelectingAll', message: selectingAllMessage }]);
  });

  it('does nothing while the DaemonSet is being deleted', async () => {
    const ds = newDaemonSet({}, { deletionTimestamp: '2024-01-01T00:00:00Z' });
    const calls: string[] = [];
    const events: RecordedEvent[] = [];
    await syncDaemonSet(context(ds, calls, events), 'default/foo');
    assert.deepEqual(calls, []);
    assert.deepEqual(events, []);
  });

  it('forgets the expectations of a DaemonSet that is gone', async () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.setExpectations('default/foo', 3, 0);
    await syncDaemonSet(context(undefined, [], [], expectations), 'default/foo');
    assert.equal(expectations.get('default/foo'), undefined);
  });
});
