/**
 * The scheduler against the real API server on the in-memory store, through LocalClient.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event, Node, Pod } from '../api/types.js';
import { LocalClient } from '../apiserver/local-client.js';
import { ApiServer } from '../apiserver/server.js';
import { FakeClock, refs, type Client } from '../client/index.js';
import { MemoryStore } from '../store/index.js';
import { waitFor } from '../testing/controllers.js';
import { fits, unschedulable, type FilterPlugin } from './framework.js';
import { defaultFilterPlugins } from './index.js';
import { Scheduler, unschedulableRetryMs } from './scheduler.js';

/** A client whose watch events arrive late, as over HTTP: the cache lags behind the scheduler's own writes. */
function laggingClient(inner: Client, lagMs: number): Client {
  return Object.assign(Object.create(inner) as Client, {
    watch: ((ref, query, onEvent, onError) =>
      inner.watch(ref, query, (type, obj) => void setTimeout(() => onEvent(type, obj as never), lagMs), onError)) as Client['watch'],
  });
}

function node(name: string, cpu = '4', extra: { labels?: Record<string, string> } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: {},
    status: { capacity: { cpu, memory: '16Gi', pods: '110' }, allocatable: { cpu, memory: '16Gi', pods: '110' } },
  } as Node;
}

function pod(name: string, extra: { cpu?: string; schedulerName?: string; pinnedTo?: string; nodeSelector?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      containers: [{ name: 'main', image: 'busybox:1.36', ...(extra.cpu ? { resources: { requests: { cpu: extra.cpu } } } : {}) }],
      ...(extra.schedulerName ? { schedulerName: extra.schedulerName } : {}),
      ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
      ...(extra.pinnedTo
        ? {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [extra.pinnedTo] }] }],
                },
              },
            },
          }
        : {}),
    },
  } as Pod;
}

describe('Scheduler', () => {
  let server: ApiServer;
  let client: Client;
  let scheduler: Scheduler;
  let nsCount = 0;

  before(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
  });

  after(async () => {
    await scheduler?.stop();
    await server.close();
  });

  /**
   * A fresh namespace, a fresh set of nodes and no other pods per test, with a scheduler over them.
   * Node names differ per test as well, so nothing of an earlier test can land on a later test's nodes.
   */
  async function setup(nodes: Node[], options: { schedulerClient?: Client; clock?: FakeClock; plugins?: readonly FilterPlugin[] } = {}): Promise<string> {
    await scheduler?.stop();
    // Pods of earlier tests would otherwise compete for the new nodes.
    for (const existing of (await client.list<Pod>(refs.pods)).items) {
      await client.delete(refs.pods, existing.metadata.namespace, existing.metadata.name!, { gracePeriodSeconds: 0 });
    }
    for (const existing of (await client.list<Node>(refs.nodes)).items) await client.delete(refs.nodes, undefined, existing.metadata.name!);
    for (const n of nodes) await client.create(refs.nodes, undefined, n);
    const ns = `sched-${++nsCount}`;
    await client.create(refs.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    scheduler = new Scheduler({ client: options.schedulerClient ?? client, clock: options.clock, plugins: options.plugins });
    await scheduler.start();
    return ns;
  }

  async function nodeOf(ns: string, name: string): Promise<string | undefined> {
    return (await client.get<Pod>(refs.pods, ns, name)).spec.nodeName;
  }

  it('binds a pending pod to the only node that fits', async () => {
    const ns = await setup([node('a-node-1', '1'), node('a-node-2', '8')]);
    await client.create(refs.pods, ns, pod('web', { cpu: '2' }));
    assert.equal(await waitFor(() => nodeOf(ns, 'web')), 'a-node-2');
    const condition = (await client.get<Pod>(refs.pods, ns, 'web')).status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(condition?.status, 'True');
    const scheduled = await waitFor(async () => (await client.list<Event>(refs.events, { namespace: ns })).items.find((e) => e.reason === 'Scheduled'));
    assert.equal(scheduled.message, `Successfully assigned ${ns}/web to a-node-2`);
    assert.equal(scheduled.type, 'Normal');
    assert.equal(scheduled.involvedObject.name, 'web');
  });

  it('places a pinned daemon-style pod on the node it names', async () => {
    const ns = await setup([node('b-node-1'), node('b-node-2'), node('b-node-3')]);
    await client.create(refs.pods, ns, pod('daemon', { pinnedTo: 'b-node-2' }));
    assert.equal(await waitFor(() => nodeOf(ns, 'daemon')), 'b-node-2');
  });

  it('marks a pod that fits nowhere Unschedulable, then binds it once a big enough node joins', async () => {
    const ns = await setup([node('c-node-1', '2'), node('c-node-2', '2')]);
    await client.create(refs.pods, ns, pod('big', { cpu: '6' }));
    const condition = await waitFor(async () => {
      const c = (await client.get<Pod>(refs.pods, ns, 'big')).status?.conditions?.find((c) => c.type === 'PodScheduled');
      return c?.status === 'False' ? c : undefined;
    });
    assert.equal(condition.reason, 'Unschedulable');
    // The pod asks for more than either node has at all, so preemption could not help either.
    assert.equal(condition.message, '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
    const event = await waitFor(async () =>
      (await client.list<Event>(refs.events, { namespace: ns })).items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'big'),
    );
    assert.equal(event.type, 'Warning');
    assert.equal(event.source?.component, 'default-scheduler');
    assert.ok(event.message?.startsWith('0/2 nodes are available:'), event.message);
    assert.deepEqual(scheduler.unschedulablePods().filter((key) => key.startsWith(`${ns}/`)), [`${ns}/big`]);

    await client.create(refs.nodes, undefined, node('c-node-big', '8'));
    assert.equal(await waitFor(() => nodeOf(ns, 'big')), 'c-node-big');
    const after = (await client.get<Pod>(refs.pods, ns, 'big')).status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(after?.status, 'True');
  });

  it('retries an unschedulable pod when a node is relabelled', async () => {
    const ns = await setup([node('d-node-1'), node('d-node-2')]);
    await client.create(refs.pods, ns, pod('picky', { nodeSelector: { disktype: 'ssd' } }));
    await waitFor(() => scheduler.unschedulablePods().includes(`${ns}/picky`));
    await client.patch(refs.nodes, undefined, 'd-node-2', 'merge', { metadata: { labels: { disktype: 'ssd' } } });
    assert.equal(await waitFor(() => nodeOf(ns, 'picky')), 'd-node-2');
  });

  it('does not place two pods that each need most of the node on it together', async () => {
    const ns = await setup([node('e-node-1', '4')]);
    await client.create(refs.pods, ns, pod('first', { cpu: '3' }));
    await client.create(refs.pods, ns, pod('second', { cpu: '3' }));
    await waitFor(async () => (await nodeOf(ns, 'first')) ?? (await nodeOf(ns, 'second')));
    await waitFor(() => scheduler.unschedulablePods().filter((key) => key.startsWith(`${ns}/`)).length === 1);
    const bound = [await nodeOf(ns, 'first'), await nodeOf(ns, 'second')].filter(Boolean);
    assert.deepEqual(bound, ['e-node-1']);
  });

  it('schedules a waiting pod once a bound pod is deleted and frees the room', async () => {
    const ns = await setup([node('f-node-1', '4')]);
    await client.create(refs.pods, ns, pod('first', { cpu: '3' }));
    assert.equal(await waitFor(() => nodeOf(ns, 'first')), 'f-node-1');
    await client.create(refs.pods, ns, pod('second', { cpu: '3' }));
    await waitFor(() => scheduler.unschedulablePods().includes(`${ns}/second`));
    await client.delete(refs.pods, ns, 'first', { gracePeriodSeconds: 0 });
    assert.equal(await waitFor(() => nodeOf(ns, 'second')), 'f-node-1');
  });

  it('preempts a lower-priority pod on a full node: DisruptionTarget, Preempted event, nomination, then the binding', async () => {
    const ns = await setup([node('p-node-1', '2')]);
    await client.create(refs.priorityclasses, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: `high-${ns}` }, value: 1000 }).catch(() => {});
    await client.create(refs.pods, ns, pod('low', { cpu: '2' }));
    assert.equal(await waitFor(() => nodeOf(ns, 'low')), 'p-node-1');
    const high = pod('high', { cpu: '1', pinnedTo: 'p-node-1' });
    high.spec.priorityClassName = `high-${ns}`;
    high.spec.priority = 1000;
    await client.create(refs.pods, ns, high);

    // A bound pod is deleted gracefully: it stays, terminating, until its (here absent) kubelet finishes.
    const victim = await waitFor(async () => {
      const p = await client.get<Pod>(refs.pods, ns, 'low');
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    const target = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(target?.reason, 'PreemptionByScheduler');
    assert.equal(target?.message, 'default-scheduler: preempting to accommodate a higher priority pod');
    const nominated = await waitFor(async () => (await client.get<Pod>(refs.pods, ns, 'high')).status?.nominatedNodeName);
    assert.equal(nominated, 'p-node-1');
    const preempted = await waitFor(async () => (await client.list<Event>(refs.events, { namespace: ns })).items.find((e) => e.reason === 'Preempted'));
    assert.match(preempted.message ?? '', /^Preempted by pod [0-9a-f-]+ on node p-node-1$/);
    assert.equal(preempted.involvedObject.name, 'low');
    // No kubelet here: finish the graceful deletion as one would.
    await client.delete(refs.pods, ns, 'low', { gracePeriodSeconds: 0 }).catch(() => {});
    assert.equal(await waitFor(() => nodeOf(ns, 'high')), 'p-node-1');
  });

  it('never preempts a pod of equal priority: the pod stays Pending and says so', async () => {
    const ns = await setup([node('q-node-1', '2')]);
    await client.create(refs.pods, ns, pod('first', { cpu: '2' }));
    assert.equal(await waitFor(() => nodeOf(ns, 'first')), 'q-node-1');
    await client.create(refs.pods, ns, pod('second', { cpu: '1', pinnedTo: 'q-node-1' }));
    const event = await waitFor(async () => (await client.list<Event>(refs.events, { namespace: ns })).items.find((e) => e.reason === 'FailedScheduling'));
    assert.equal(event.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    assert.equal((await client.get<Pod>(refs.pods, ns, 'first')).metadata.deletionTimestamp, undefined);
    assert.equal((await client.get<Pod>(refs.pods, ns, 'second')).status?.nominatedNodeName, undefined);
  });

  it('ignores pods for another scheduler', async () => {
    const ns = await setup([node('g-node-1')]);
    await client.create(refs.pods, ns, pod('theirs', { schedulerName: 'other-scheduler' }));
    await client.create(refs.pods, ns, pod('ours'));
    assert.equal(await waitFor(() => nodeOf(ns, 'ours')), 'g-node-1');
    // 'ours' was created after 'theirs' and the scheduler works in order: 'theirs' was already passed over.
    const theirs = await client.get<Pod>(refs.pods, ns, 'theirs');
    assert.equal(theirs.spec.nodeName, undefined);
    assert.equal(theirs.status?.conditions?.find((c) => c.type === 'PodScheduled'), undefined);
    assert.equal((await client.list<Event>(refs.events, { namespace: ns })).items.filter((e) => e.involvedObject.name === 'theirs').length, 0);
  });

  it('counts a pod on its node as soon as it is bound, before the watch reports it', async () => {
    const ns = await setup([node('h-node-1', '4')], { schedulerClient: laggingClient(client, 300) });
    await client.create(refs.pods, ns, pod('first', { cpu: '3' }));
    await client.create(refs.pods, ns, pod('second', { cpu: '3' }));
    await waitFor(() => scheduler.unschedulablePods().filter((key) => key.startsWith(`${ns}/`)).length === 1);
    const bound = [await nodeOf(ns, 'first'), await nodeOf(ns, 'second')].filter(Boolean);
    assert.deepEqual(bound, ['h-node-1']);
    // Once the watch catches up the assumed pod is simply confirmed: the other still does not fit.
    await waitFor(async () => {
      const pods = (await client.list<Pod>(refs.pods, { namespace: ns })).items;
      return pods.some((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'));
    });
    assert.deepEqual(scheduler.unschedulablePods().filter((key) => key.startsWith(`${ns}/`)).length, 1);
  });

  it('retries unschedulable pods periodically even when nothing it watches changes', async () => {
    let blocked = true;
    const gate: FilterPlugin = { name: 'Gate', filter: () => (blocked ? unschedulable('gate closed') : fits) };
    const clock = new FakeClock(Date.now());
    const ns = await setup([node('i-node-1')], { clock, plugins: [...defaultFilterPlugins, gate] });
    await client.create(refs.pods, ns, pod('waiting'));
    await waitFor(() => scheduler.unschedulablePods().includes(`${ns}/waiting`));
    const condition = (await client.get<Pod>(refs.pods, ns, 'waiting')).status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.ok(condition?.message?.startsWith('0/1 nodes are available: 1 gate closed.'), condition?.message ?? undefined);
    blocked = false;
    clock.advance(unschedulableRetryMs - 1);
    assert.equal(await nodeOf(ns, 'waiting'), undefined);
    clock.advance(1);
    assert.equal(await waitFor(() => nodeOf(ns, 'waiting')), 'i-node-1');
  });

  it('counts every node in the message for a pinned pod whose node is full', async () => {
    const ns = await setup([node('j-node-1', '1'), node('j-node-2', '1'), node('j-node-3', '1')]);
    await client.create(refs.pods, ns, pod('pinned', { cpu: '2', pinnedTo: 'j-node-2' }));
    const event = await waitFor(async () =>
      (await client.list<Event>(refs.events, { namespace: ns })).items.find((e) => e.reason === 'FailedScheduling'),
    );
    assert.equal(
      event.message,
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });
});
