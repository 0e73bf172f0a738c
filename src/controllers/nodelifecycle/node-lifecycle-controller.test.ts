/**
 * The node lifecycle controller against the real API server on the in-memory store, with a FakeClock:
 * tests play the kubelet (Lease renewals, Ready condition) themselves.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Condition, Event, Lease, Node, Pod, Taint } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { FakeClock, refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { NodeLifecycleController, desiredNodeTaints, reconcileNodeTaints, unknownNodeConditions } from './node-lifecycle-controller.js';

const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const rfc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function readyCondition(status: Condition['status'], atMs: number): Condition {
  return { type: 'Ready', status, reason: 'KubeletReady', lastHeartbeatTime: rfc(atMs), lastTransitionTime: rfc(atMs) };
}

function nodeConditions(ready: Condition['status'], atMs: number): Condition[] {
  return [
    readyCondition(ready, atMs),
    ...['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type): Condition => ({ type, status: 'False', lastHeartbeatTime: rfc(atMs) })),
  ];
}

const taintKeys = (node: Node) => (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

describe('node lifecycle pure functions', () => {
  const node = (conditions: Condition[], taints?: Taint[], unschedulable?: boolean): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    spec: { taints, unschedulable },
    status: { conditions },
  });

  const cases: { name: string; node: Node; want: string[] }[] = [
    { name: 'ready node: nothing', node: node(nodeConditions('True', 0)), want: [] },
    {
      name: 'Ready=False: not-ready both effects',
      node: node(nodeConditions('False', 0)),
      want: ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule'],
    },
    {
      name: 'Ready=Unknown: unreachable both effects',
      node: node(nodeConditions('Unknown', 0)),
      want: ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'],
    },
    {
      name: 'pressure conditions',
      node: node([
        readyCondition('True', 0),
        { type: 'MemoryPressure', status: 'True' },
        { type: 'DiskPressure', status: 'True' },
        { type: 'PIDPressure', status: 'True' },
        { type: 'NetworkUnavailable', status: 'True' },
      ]),
      want: [
        'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule',
        'node.kubernetes.io/network-unavailable:NoSchedule',
        'node.kubernetes.io/pid-pressure:NoSchedule',
      ],
    },
    { name: 'cordoned', node: node(nodeConditions('True', 0), undefined, true), want: ['node.kubernetes.io/unschedulable:NoSchedule'] },
  ];
  for (const c of cases) {
    it(`desiredNodeTaints: ${c.name}`, () => {
      assert.deepEqual(desiredNodeTaints(c.node).map((t) => `${t.key}:${t.effect}`).sort(), c.want);
    });
  }

  it('reconcileNodeTaints keeps foreign taints and timeAdded, swaps not-ready for unreachable', () => {
    const existing: Taint[] = [
      { key: 'dedicated', value: 'x', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
    ];
    const taints = reconcileNodeTaints(node(nodeConditions('Unknown', 0), existing), 5000)!;
    assert.deepEqual(taints, [
      { key: 'dedicated', value: 'x', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '1970-01-01T00:00:05Z' },
    ]);
    assert.equal(reconcileNodeTaints(node(nodeConditions('Unknown', 0), taints), 9000), undefined);
    const readyAgain = reconcileNodeTaints(node(nodeConditions('True', 0), taints), 9000);
    assert.deepEqual(readyAgain, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  });

  it('unknownNodeConditions marks monitored conditions Unknown, adds missing ones, and is idempotent', () => {
    const conditions = unknownNodeConditions([readyCondition('True', 0), { type: 'NetworkUnavailable', status: 'False' }], 50_000)!;
    const ready = conditions.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'Unknown');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    assert.equal(ready.lastHeartbeatTime, rfc(0));
    assert.equal(conditions.find((c) => c.type === 'NetworkUnavailable')!.status, 'False');
    assert.equal(conditions.find((c) => c.type === 'DiskPressure')!.reason, 'NodeStatusNeverUpdated');
    assert.equal(unknownNodeConditions(conditions, 60_000), undefined);
  });
});

describe('NodeLifecycleController', () => {
  let server: ApiServer;
  let client: Client;
  let clock: FakeClock;
  let controller: NodeLifecycleController;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    controller = new NodeLifecycleController({ client, clock, runTaintManager: false });
  });

  afterEach(async () => {
    await controller.stop();
    await server.close();
  });

  async function createNode(name: string, ready: Condition['status'] = 'True'): Promise<void> {
    await client.create<Node>(refs.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} });
    await postStatus(name, ready);
    await ensureLeaseNamespace();
    await client.create<Lease>(refs.leases, 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(clock.now()) },
    });
  }

  async function ensureLeaseNamespace(): Promise<void> {
    try {
      await client.create(refs.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } });
    } catch {
      // exists already
    }
  }

  async function postStatus(name: string, ready: Condition['status']): Promise<void> {
    await client.patch(refs.nodes, undefined, name, 'merge', { status: { conditions: nodeConditions(ready, clock.now()) } }, { subresource: 'status' });
  }

  async function renewLease(name: string): Promise<void> {
    await client.patch(refs.leases, 'kube-node-lease', name, 'merge', { spec: { renewTime: microTime(clock.now()) } });
  }

  const getNode = (name: string) => client.get<Node>(refs.nodes, undefined, name);
  const readyStatus = async (name: string) => (await getNode(name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;

  /** Moves time in monitor periods, letting each pass finish. */
  async function advance(ms: number, step = 5_000): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      clock.advance(Math.min(step, ms - done));
      await controller.monitorNodeHealth();
    }
  }

  it('marks a silent node Unknown with unreachable taints after the grace period, and clears them when it comes back', async () => {
    await createNode('node-1');
    await createNode('node-2');
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'nginx' }] },
    };
    await client.create(refs.pods, 'default', pod);
    await client.patch(refs.pods, 'default', 'web', 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    await controller.start();

    // node-2 keeps renewing its lease; node-1 goes silent.
    for (let t = 0; t < 40_000; t += 10_000) {
      await advance(10_000);
      await renewLease('node-2');
    }
    assert.equal(await readyStatus('node-1'), 'True', 'not before the grace period');
    await advance(5_000);
    await renewLease('node-2');
    await advance(5_000);

    const node1 = await getNode('node-1');
    const ready = node1.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'Unknown');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    assert.equal(node1.status!.conditions!.find((c) => c.type === 'MemoryPressure')!.status, 'Unknown');
    assert.deepEqual(taintKeys(node1), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.ok(node1.spec!.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded);
    assert.equal(await readyStatus('node-2'), 'True');
    assert.deepEqual(taintKeys(await getNode('node-2')), []);
    const webReady = (await client.get<Pod>(refs.pods, 'default', 'web')).status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(webReady?.status, 'False', 'pods on the node are marked not ready');
    // As upstream's node controller reports it: once on the node (in default), once on each pod.
    const events = await waitFor(async () => {
      const list = (await client.list<Event>(refs.events, {})).items.filter((e) => e.reason === 'NodeNotReady');
      return list.length === 2 ? list : undefined;
    });
    const byKind = (kind: string) => events.find((e) => e.involvedObject.kind === kind)!;
    assert.deepEqual(
      [byKind('Node').metadata.namespace, byKind('Node').type, byKind('Node').message, byKind('Node').involvedObject.uid, byKind('Node').source?.component],
      ['default', 'Normal', 'Node node-1 status is now: NodeNotReady', 'node-1', 'node-controller'],
    );
    assert.deepEqual([byKind('Pod').metadata.namespace, byKind('Pod').type, byKind('Pod').message, byKind('Pod').involvedObject.name], ['default', 'Warning', 'Node is not ready', 'web']);

    // The kubelet comes back.
    await postStatus('node-1', 'True');
    await renewLease('node-1');
    await advance(5_000);
    assert.equal(await readyStatus('node-1'), 'True');
    assert.deepEqual(taintKeys(await getNode('node-1')), []);
  });

  it('with the taint manager: a silent node loses, 300 s on, the pods that do not tolerate unreachable forever', async () => {
    await controller.stop();
    controller = new NodeLifecycleController({ client, clock });
    await createNode('node-1');
    const spec = { nodeName: 'node-1', containers: [{ name: 'main', image: 'nginx' }] };
    await client.create<Pod>(refs.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: 'default' }, spec });
    await client.create<Pod>(refs.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'daemon', namespace: 'default' },
      spec: { ...spec, tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }] },
    });
    await controller.start();
    await advance(45_000);
    assert.equal(await readyStatus('node-1'), 'Unknown');
    const live = async () =>
      (await client.list<Pod>(refs.pods, { namespace: 'default' })).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
    // The plain pod got admission's 300 s toleration of the unreachable taint.
    await waitFor(() => controller.taintManager!.scheduledEvictions().size === 1);
    assert.deepEqual(await live(), ['daemon', 'plain']);
    clock.advance(300_000);
    await waitFor(async () => (await live()).length === 1, { describe: live });
    assert.deepEqual(await live(), ['daemon']);
  });

  it('a lease alone keeps a node healthy', async () => {
    await createNode('node-1');
    await controller.start();
    for (let t = 0; t < 120_000; t += 10_000) {
      await advance(10_000);
      await renewLease('node-1');
    }
    assert.equal(await readyStatus('node-1'), 'True');
  });

  it('taints by condition: Ready=False, pressure, cordon', async () => {
    await createNode('node-1', 'False');
    await controller.start();
    await waitFor(async () => taintKeys(await getNode('node-1')).length === 2);
    assert.deepEqual(taintKeys(await getNode('node-1')), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);

    await client.patch(
      refs.nodes,
      undefined,
      'node-1',
      'merge',
      { status: { conditions: [readyCondition('True', clock.now()), { type: 'DiskPressure', status: 'True', lastHeartbeatTime: rfc(clock.now()) }] } },
      { subresource: 'status' },
    );
    await client.patch(refs.nodes, undefined, 'node-1', 'merge', { spec: { unschedulable: true } });
    await advance(5_000);
    assert.deepEqual(taintKeys(await getNode('node-1')), ['node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
  });
});
