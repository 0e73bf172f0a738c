/**
 * The disruption controller against the real API server on the in-memory store, with a FakeClock: tests
 * play the kubelet (pod phase and Ready condition) themselves.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Condition, Event, OwnerReference, Pod, PodDisruptionBudget } from '../../api/types.js';
import { ApiServer, LocalClient, evictPod } from '../../apiserver/index.js';
import { FakeClock, refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { deletionTimeoutMs, stalePodDisruptionTimeoutMs, type ScaleFinder } from './budget.js';
import { DisruptionController } from './controller.js';

const ns = 'default';
const rfc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('DisruptionController', () => {
  let server: ApiServer;
  let client: Client;
  let clock: FakeClock;
  let controller: DisruptionController;

  async function start(findScale?: ScaleFinder): Promise<void> {
    controller = new DisruptionController({ client, clock, findScale });
    await controller.start();
  }

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    server = new ApiServer({ store: new MemoryStore(), now: () => clock.now() });
    await server.start();
    client = new LocalClient(server.registry);
  });

  afterEach(async () => {
    await controller?.stop();
    await server.close();
  });

  async function createPod(name: string, options: { labels?: Record<string, string>; ready?: boolean; owner?: OwnerReference; conditions?: Condition[] } = {}): Promise<Pod> {
    await client.create<Pod>(refs.pods, ns, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: options.labels ?? { app: 'web' }, ...(options.owner ? { ownerReferences: [options.owner] } : {}) },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
    });
    const conditions = options.conditions ?? [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: rfc(clock.now()) }];
    return client.patch<Pod>(refs.pods, ns, name, 'merge', { status: { phase: 'Running', conditions } }, { subresource: 'status' });
  }

  function createPdb(name: string, spec: PodDisruptionBudget['spec']): Promise<PodDisruptionBudget> {
    return client.create<PodDisruptionBudget>(refs.poddisruptionbudgets, ns, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });
  }

  const getPdb = (name: string) => client.get<PodDisruptionBudget>(refs.poddisruptionbudgets, ns, name);

  /** Waits until the budget's status has the given fields (and returns it). */
  async function waitForStatus(name: string, want: Partial<NonNullable<PodDisruptionBudget['status']>>, condition?: Partial<Condition>): Promise<PodDisruptionBudget> {
    let last: PodDisruptionBudget | undefined;
    return waitFor(
      async () => {
        last = await getPdb(name);
        const status = last.status as Record<string, unknown> | undefined;
        if (!status) return undefined;
        for (const [key, value] of Object.entries(want)) if (JSON.stringify(status[key]) !== JSON.stringify(value)) return undefined;
        if (condition) {
          const found = last.status?.conditions?.find((c) => c.type === 'DisruptionAllowed') as Record<string, unknown> | undefined;
          if (!found || Object.entries(condition).some(([k, v]) => found[k] !== v)) return undefined;
        }
        return last;
      },
      { describe: () => last?.status },
    );
  }

  async function events(reason: string): Promise<Event[]> {
    await controller.flushEvents();
    return (await client.list<Event>(refs.events, { namespace: ns })).items.filter((e) => e.reason === reason);
  }

  it('computes the status of a minAvailable budget and follows its pods and spec', async () => {
    for (const name of ['web-1', 'web-2', 'web-3']) await createPod(name);
    await createPod('other', { labels: { app: 'other' } });
    await createPdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    await start();

    const pdb = await waitForStatus('web', { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1 }, { status: 'True', reason: 'SufficientPods', message: '' });
    assert.equal(pdb.status?.conditions?.length, 1);
    assert.equal(pdb.status?.conditions?.[0]?.observedGeneration, 1);

    // A pod stops being Ready: nothing may go any more.
    await client.patch(refs.pods, ns, 'web-3', 'merge', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status' });
    await waitForStatus('web', { currentHealthy: 2, disruptionsAllowed: 0 }, { status: 'False', reason: 'InsufficientPods' });

    // The spec changes: a new generation is observed.
    await client.patch(refs.poddisruptionbudgets, ns, 'web', 'merge', { spec: { minAvailable: 1 } });
    await waitForStatus('web', { desiredHealthy: 1, disruptionsAllowed: 1, observedGeneration: 2 }, { status: 'True', reason: 'SufficientPods', observedGeneration: 2 });

    // A pod is deleted: it no longer counts.
    await client.delete(refs.pods, ns, 'web-1', { gracePeriodSeconds: 0 });
    await waitForStatus('web', { currentHealthy: 1, expectedPods: 2, disruptionsAllowed: 0 });
  });

  it('a budget without pods expects none, allows nothing, and says so in an event', async () => {
    await createPdb('empty', { minAvailable: 1, selector: { matchLabels: { app: 'nothing' } } });
    await start();
    await waitForStatus('empty', { expectedPods: 0, disruptionsAllowed: 0, observedGeneration: 1 }, { reason: 'InsufficientPods' });
    const [event] = await events('NoPods');
    assert.equal(event?.type, 'Normal');
    assert.equal(event?.message, 'No matching pods found');
    assert.equal(event?.source?.component, 'controllermanager');
  });

  it('an empty selector covers every pod of the namespace', async () => {
    await createPod('a', { labels: { x: '1' } });
    await createPod('b', { labels: {} });
    await createPdb('all', { minAvailable: 1, selector: {} });
    await start();
    await waitForStatus('all', { expectedPods: 2, disruptionsAllowed: 1 });
  });

  it('percentages and maxUnavailable use the scale of the pods controllers', async () => {
    const rs: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-1', controller: true };
    for (const name of ['web-1', 'web-2', 'web-3']) await createPod(name, { owner: rs });
    await createPdb('pct', { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } });
    await start(() => ({ uid: 'rs-1', scale: 5 }));
    // 50% of 5 rounds up to 3: no room with 3 healthy.
    await waitForStatus('pct', { expectedPods: 5, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
    await client.patch(refs.poddisruptionbudgets, ns, 'pct', 'merge', { spec: { minAvailable: null, maxUnavailable: '20%' } });
    // 20% of 5 is 1: 4 wanted.
    await waitForStatus('pct', { expectedPods: 5, desiredHealthy: 4, disruptionsAllowed: 0, observedGeneration: 2 });
  });

  it('maxUnavailable over DaemonSet pods fails safe with SyncFailed, as upstream; an integer minAvailable works', async () => {
    const ds: OwnerReference = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-1', controller: true };
    for (const name of ['agent-1', 'agent-2']) await createPod(name, { labels: { app: 'agent' }, owner: ds });
    await createPdb('agent', { maxUnavailable: 1, selector: { matchLabels: { app: 'agent' } } });
    await start();

    const failed = await waitForStatus('agent', { disruptionsAllowed: 0 }, { status: 'False', reason: 'SyncFailed', message: 'daemonsets.apps does not implement the scale subresource' });
    assert.equal(failed.status?.observedGeneration, undefined, 'a failed sync observes nothing');
    const [event] = await events('CalculateExpectedPodCountFailed');
    assert.equal(event?.type, 'Warning');
    assert.equal(event?.message, 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource');

    await client.patch(refs.poddisruptionbudgets, ns, 'agent', 'merge', { spec: { maxUnavailable: null, minAvailable: 1 } });
    await waitForStatus('agent', { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1, observedGeneration: 2 }, { status: 'True', reason: 'SufficientPods', message: '' });
  });

  it('unmanaged pods under maxUnavailable: a warning, and nothing expected', async () => {
    await createPod('loner');
    await createPdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } });
    await start();
    await waitForStatus('web', { expectedPods: 0, currentHealthy: 1, disruptionsAllowed: 0, observedGeneration: 1 }, { reason: 'InsufficientPods' });
    const [event] = await events('UnmanagedPods');
    assert.equal(event?.type, 'Warning');
    assert.match(event?.message ?? '', /^Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: web,\},/);
  });

  it('an eviction is counted until its pod is marked for deletion', async () => {
    for (const name of ['web-1', 'web-2', 'web-3']) await createPod(name);
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    await start();
    await waitForStatus('web', { disruptionsAllowed: 2 });

    await evictPod(server.registry, { namespace: ns, name: 'web-1', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1' } } }, () => clock.now());
    // The pod is bound to a node that never confirms, so it stays marked for deletion: the record goes.
    const pdb = await waitForStatus('web', { currentHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 });
    assert.equal(pdb.status?.disruptedPods, undefined);
  });

  it('an eviction whose pod is not deleted stops counting after the deletion timeout (NotDeleted event)', async () => {
    for (const name of ['web-1', 'web-2']) await createPod(name);
    await createPdb('web', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    await start();
    const synced = await waitForStatus('web', { disruptionsAllowed: 1 });
    // As an eviction would record it, without the pod ever being deleted.
    const recorded = { 'web-1': rfc(clock.now()) };
    await client.update(refs.poddisruptionbudgets, ns, { ...synced, status: { ...synced.status!, disruptionsAllowed: 0, disruptedPods: recorded } }, { subresource: 'status' });
    await waitForStatus('web', { disruptedPods: recorded, currentHealthy: 1, disruptionsAllowed: 0 });

    clock.advance(deletionTimeoutMs + 1000);
    const after = await waitForStatus('web', { currentHealthy: 2, disruptionsAllowed: 1 });
    assert.equal(after.status?.disruptedPods, undefined);
    const [event] = await events('NotDeleted');
    assert.equal(event?.involvedObject.name, 'web-1');
    assert.equal(event?.message, "Pod was expected by PDB default/default to be deleted but it wasn't");
  });

  it('a pod under two budgets gets a MultiplePodDisruptionBudgets warning', async () => {
    await createPdb('a', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    await createPdb('b', { minAvailable: 1, selector: { matchLabels: { app: 'web' } } });
    await start();
    await createPod('web-1');
    await waitFor(async () => (await events('MultiplePodDisruptionBudgets')).length > 0);
    const [event] = await events('MultiplePodDisruptionBudgets');
    assert.equal(event?.involvedObject.kind, 'Pod');
    assert.match(event?.message ?? '', /^Pod "default"\/"web-1" matches multiple PodDisruptionBudgets\. {2}Chose "[ab]" arbitrarily\.$/);
  });

  it('resets a DisruptionTarget condition nobody acted on after two minutes', async () => {
    await start();
    const target: Condition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: rfc(clock.now()) };
    await createPod('web-1', { conditions: [{ type: 'Ready', status: 'True' }, target] });
    const conditionOf = async () => (await client.get<Pod>(refs.pods, ns, 'web-1')).status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    clock.advance(stalePodDisruptionTimeoutMs - 1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await conditionOf())?.status, 'True', 'not stale yet');
    const reset = await waitFor(async () => {
      clock.advance(500);
      const condition = await conditionOf();
      return condition?.status === 'False' ? condition : undefined;
    });
    assert.equal(reset.reason, undefined);
    assert.equal(reset.message, undefined);
  });
});
