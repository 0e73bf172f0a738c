/**
 * Rolling updates, OnDelete and history through the whole controller, against the real API server on the
 * in-memory store (LocalClient). There is no scheduler or kubelet: pods stay unbound (pinned by affinity, so
 * deletes are immediate) and a watch in the test plays the kubelet's part for readiness, marking each new pod
 * Ready unless its image contains `does-not-exist`. A second watch records, event by event, how many nodes
 * were without a Ready pod and how many pods each node had, so the tests can hold the rollout to its budgets.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ControllerRevision, DaemonSet, DaemonSetUpdateStrategy, Node, Pod } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { FakeClock, realClock, refs, type Client, type ClientWatch, type Clock } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { DaemonSetController } from './controller.js';
import { getTargetNodeName } from './pinning.js';

const ns = 'default';
const hashKey = 'controller-revision-hash';
const badImage = 'registry.example/does-not-exist:1.0';

function daemonSet(name: string, updateStrategy?: DaemonSetUpdateStrategy, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
      ...(updateStrategy ? { updateStrategy } : {}),
      ...extra,
    },
  };
}

const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} });
const isBad = (pod: Pod) => pod.spec.containers.some((c) => c.image?.includes('does-not-exist'));
const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** What the pod watch saw: the live pods, and the worst moments so far. */
class PodView {
  readonly pods = new Map<string, Pod>();
  /** Most nodes at once without a Ready pod (since the last reset). */
  maxUnavailableNodes = 0;
  /** Most nodes at once with more than one pod. */
  maxSurgedNodes = 0;
  /** Most pods on one node at once. */
  maxPodsOnNode = 0;

  constructor(private readonly nodeNames: readonly string[]) {}

  observe(type: string, pod: Pod): void {
    const name = pod.metadata.name!;
    if (type === 'DELETED') this.pods.delete(name);
    else this.pods.set(name, pod);
    const live = [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    const byNode = new Map<string, Pod[]>();
    for (const p of live) {
      const nodeName = getTargetNodeName(p) ?? '?';
      byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), p]);
    }
    const unavailable = this.nodeNames.filter((n) => !(byNode.get(n) ?? []).some(isReady)).length;
    const surged = [...byNode.values()].filter((pods) => pods.length > 1).length;
    const most = Math.max(0, ...[...byNode.values()].map((pods) => pods.length));
    this.maxUnavailableNodes = Math.max(this.maxUnavailableNodes, unavailable);
    this.maxSurgedNodes = Math.max(this.maxSurgedNodes, surged);
    this.maxPodsOnNode = Math.max(this.maxPodsOnNode, most);
  }

  reset(): void {
    this.maxUnavailableNodes = 0;
    this.maxSurgedNodes = 0;
    this.maxPodsOnNode = 0;
  }

  live(app: string): Pod[] {
    return [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp && p.metadata.labels?.app === app);
  }
}

describe('DaemonSetController rolling updates', () => {
  let server: ApiServer;
  let client: Client;
  let controller: DaemonSetController;
  let clock: Clock;
  let watches: ClientWatch[];
  let view: PodView;
  let nodeNames: string[];

  async function start(nodes: number, options: { clock?: Clock } = {}): Promise<void> {
    clock = options.clock ?? realClock;
    nodeNames = Array.from({ length: nodes }, (_, i) => `node-${i + 1}`);
    for (const name of nodeNames) await client.create(refs.nodes, undefined, node(name));
    view = new PodView(nodeNames);
    watches.push(client.watch<Pod>(refs.pods, { namespace: ns }, (type, pod) => view.observe(type, pod)));
    // The kubelet's part: every new pod becomes Ready, unless its image cannot be pulled.
    watches.push(
      client.watch<Pod>(refs.pods, { namespace: ns }, (type, pod) => {
        if (type !== 'ADDED' || pod.metadata.deletionTimestamp || isBad(pod)) return;
        void markReady(pod).catch(() => {});
      }),
    );
    controller = new DaemonSetController({ client, clock });
    await controller.start();
  }

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
    watches = [];
  });

  afterEach(async () => {
    for (const watch of watches) watch.stop();
    await controller?.stop();
    await server.close();
  });

  function markReady(pod: Pod): Promise<unknown> {
    const since = new Date(clock.now()).toISOString();
    return client.patch(refs.pods, ns, pod.metadata.name!, 'strategic', {
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] },
    }, { subresource: 'status' });
  }

  const getDs = (name: string) => client.get<DaemonSet>(refs.daemonsets, ns, name);
  const revisions = async (name: string) =>
    (await client.list<ControllerRevision>(refs.controllerrevisions, { namespace: ns })).items
      .filter((r) => r.metadata.name!.startsWith(`${name}-`))
      .sort((a, b) => a.revision - b.revision);
  const currentHash = async (name: string) => (await revisions(name)).at(-1)?.metadata.labels?.[hashKey];
  const setImage = (name: string, image: string) =>
    client.patch(refs.daemonsets, ns, name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'main', image }] } } } });
  const stateOf = (name: string) => async () => ({
    status: (await getDs(name)).status,
    pods: view.live(name).map((p) => `${getTargetNodeName(p)} ${p.metadata.name} ${p.metadata.labels?.[hashKey]} ready=${isReady(p)}`).sort(),
  });

  /** Waits until every desired node runs one available pod of the current revision and status says so. */
  async function rolledOut(name: string, nodes = nodeNames.length): Promise<Pod[]> {
    return waitFor(
      async () => {
        const ds = await getDs(name);
        const status = ds.status;
        const hash = await currentHash(name);
        const pods = view.live(name);
        const done =
          status?.observedGeneration === ds.metadata.generation &&
          status?.updatedNumberScheduled === nodes &&
          status?.numberAvailable === nodes &&
          status?.desiredNumberScheduled === nodes &&
          pods.length === nodes &&
          pods.every((p) => p.metadata.labels?.[hashKey] === hash && isReady(p));
        return done ? pods : undefined;
      },
      { describe: stateOf(name) },
    );
  }

  /** Lets the controller run a few more syncs (real time), for tests that check nothing more happens. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('rolls a template change through the nodes in waves no larger than maxUnavailable', async () => {
    await start(6);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }));
    const before = await rolledOut('agent');
    view.reset();

    await setImage('agent', 'busybox:1.37');
    const after = await rolledOut('agent');
    assert.ok(after.every((p) => p.spec.containers[0]!.image === 'busybox:1.37'));
    assert.equal(after.filter((p) => before.some((b) => b.metadata.name === p.metadata.name)).length, 0);
    assert.equal(view.maxUnavailableNodes, 2, 'waves of exactly maxUnavailable nodes');
    assert.equal(view.maxPodsOnNode, 1, 'no surge without maxSurge');
    assert.deepEqual((await revisions('agent')).map((r) => r.revision), [1, 2]);
  });

  it('rolls with a percentage, rounding up (25% of 6 nodes is 2)', async () => {
    await start(6);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }));
    await rolledOut('agent');
    view.reset();
    await setImage('agent', 'busybox:1.37');
    await rolledOut('agent');
    assert.equal(view.maxUnavailableNodes, 2);
  });

  it('with maxSurge starts each new pod before its old one goes, never leaving a node without a Ready pod', async () => {
    await start(4);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }));
    await rolledOut('agent');
    view.reset();

    await setImage('agent', 'busybox:1.37');
    await rolledOut('agent');
    assert.equal(view.maxUnavailableNodes, 0, 'every node kept a Ready pod');
    assert.equal(view.maxPodsOnNode, 2, 'old and new side by side');
    assert.equal(view.maxSurgedNodes, 1, 'at most maxSurge nodes at a time');
  });

  it('stalls after maxUnavailable nodes when the new image never becomes Ready; the other nodes keep their pods', async () => {
    await start(5);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }));
    const before = await rolledOut('agent');

    await setImage('agent', badImage);
    await waitFor(async () => (await getDs('agent')).status?.updatedNumberScheduled === 2, { describe: stateOf('agent') });
    await settle();
    const pods = view.live('agent');
    const bad = pods.filter(isBad);
    const kept = pods.filter((p) => before.some((b) => b.metadata.name === p.metadata.name));
    assert.deepEqual([pods.length, bad.length, kept.length], [5, 2, 3]);
    assert.ok(bad.every((p) => !isReady(p)));
    assert.ok(kept.every(isReady));
    const status = (await getDs('agent')).status!;
    assert.deepEqual(
      [status.desiredNumberScheduled, status.currentNumberScheduled, status.numberReady, status.numberAvailable, status.numberUnavailable, status.updatedNumberScheduled],
      [5, 5, 3, 3, 2, 2],
    );
  });

  it('rolls back (kubectl rollout undo: the old revision patched in) without restarting pods that match the old revision', async () => {
    await start(4);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }));
    const before = await rolledOut('agent');
    const [first] = await revisions('agent');

    await setImage('agent', badImage);
    await waitFor(async () => (await getDs('agent')).status?.updatedNumberScheduled === 1, { describe: stateOf('agent') });
    await settle();
    assert.equal(view.live('agent').filter(isBad).length, 1);

    // What `kubectl rollout undo --to-revision=1` sends: the revision's data as a strategic merge patch.
    await client.patch(refs.daemonsets, ns, 'agent', 'strategic', first!.data);
    const after = await rolledOut('agent');
    assert.equal(after.filter((p) => before.some((b) => b.metadata.name === p.metadata.name)).length, 3);
    assert.ok(after.every((p) => p.metadata.labels?.[hashKey] === first!.metadata.labels?.[hashKey]));
    // Revision 1 is reused and renumbered: {1, 2} becomes {2, 3}.
    assert.deepEqual(
      (await revisions('agent')).map((r) => [r.metadata.name, r.revision]),
      [
        [(await revisions('agent'))[0]!.metadata.name, 2],
        [first!.metadata.name, 3],
      ],
    );
  });

  it('OnDelete touches no pod after a template change until one is deleted', async () => {
    await start(3);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'OnDelete' }));
    const before = await rolledOut('agent');

    await setImage('agent', 'busybox:1.37');
    await waitFor(async () => {
      const ds = await getDs('agent');
      return ds.status?.observedGeneration === 2 && (await revisions('agent')).length === 2;
    });
    await settle();
    assert.deepEqual(view.live('agent').map((p) => p.metadata.name).sort(), before.map((p) => p.metadata.name).sort());
    assert.equal((await getDs('agent')).status?.updatedNumberScheduled, undefined, 'omitted at 0, as upstream');

    const victim = before[0]!;
    await client.delete(refs.pods, ns, victim.metadata.name!);
    const newHash = await currentHash('agent');
    const replacement = await waitFor(() => view.live('agent').find((p) => p.metadata.labels?.[hashKey] === newHash && isReady(p)), { describe: stateOf('agent') });
    assert.equal(getTargetNodeName(replacement), getTargetNodeName(victim));
    await waitFor(async () => (await getDs('agent')).status?.updatedNumberScheduled === 1, { describe: stateOf('agent') });
    await settle();
    assert.equal(view.live('agent').filter((p) => before.some((b) => b.metadata.name === p.metadata.name)).length, 2);
  });

  it('keeps revisionHistoryLimit old revisions, oldest deleted first', async () => {
    await start(2);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }, { revisionHistoryLimit: 1 }));
    await rolledOut('agent');
    for (const image of ['busybox:1.37', 'busybox:1.38', 'busybox:1.39']) {
      await setImage('agent', image);
      await rolledOut('agent');
    }
    await waitFor(async () => (await revisions('agent')).length === 2, { describe: async () => (await revisions('agent')).map((r) => r.revision) });
    assert.deepEqual((await revisions('agent')).map((r) => r.revision), [3, 4]);
  });

  it('never cleans up a revision that a live pod still carries', async () => {
    await start(2);
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'OnDelete' }, { revisionHistoryLimit: 1 }));
    await rolledOut('agent');
    for (const image of ['busybox:1.37', 'busybox:1.38', 'busybox:1.39']) {
      await setImage('agent', image);
      await waitFor(async () => (await getDs('agent')).status?.observedGeneration === (await getDs('agent')).metadata.generation);
    }
    // Revision 1 is kept for the pods still running it; 2 and 3 went, oldest first.
    await waitFor(async () => (await revisions('agent')).map((r) => r.revision).join() === '1,4', {
      describe: async () => (await revisions('agent')).map((r) => r.revision),
    });
  });

  it('folds a duplicate of the current revision into the higher one and relabels the pods, restarting none', async () => {
    await start(3);
    const ds = await client.create<DaemonSet>(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }));
    const before = await rolledOut('agent');
    const [original] = await revisions('agent');
    const duplicate: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: 'agent-duplicate',
        namespace: ns,
        labels: { app: 'agent', [hashKey]: 'duplicate' },
        ownerReferences: original!.metadata.ownerReferences,
      },
      data: original!.data,
      revision: 5,
    };
    assert.equal(original!.metadata.ownerReferences?.[0]?.uid, ds.metadata.uid);
    await client.create(refs.controllerrevisions, ns, duplicate);
    await waitFor(async () => (await revisions('agent')).map((r) => r.metadata.name).join() === 'agent-duplicate', {
      describe: async () => (await revisions('agent')).map((r) => r.metadata.name),
    });
    const after = await rolledOut('agent');
    assert.deepEqual(after.map((p) => p.metadata.name).sort(), before.map((p) => p.metadata.name).sort());
    assert.ok(after.every((p) => p.metadata.labels?.[hashKey] === 'duplicate'));
  });

  it('moves on by itself when a new pod becomes available after minReadySeconds (surge)', async () => {
    const fake = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    await start(2, { clock: fake });
    await client.create(refs.daemonsets, ns, daemonSet('agent', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, { minReadySeconds: 10 }));
    await waitFor(async () => view.live('agent').filter(isReady).length === 2, { describe: stateOf('agent') });
    fake.advance(10_001);
    await rolledOut('agent');

    await setImage('agent', 'busybox:1.37');
    const hash = await waitFor(async () => ((await revisions('agent')).length === 2 ? currentHash('agent') : undefined));
    const surged = await waitFor(() => view.live('agent').find((p) => p.metadata.labels?.[hashKey] === hash && isReady(p)), { describe: stateOf('agent') });
    // Status looks at the oldest pod of each node (the old, available one), so only the new pod's own
    // availability can wake the DaemonSet: its sync asked for a timer.
    await waitFor(() => fake.pendingTimers() > 0);
    await settle();
    assert.equal(view.live('agent').length, 3, 'the old pod stays until the new one is available');
    fake.advance(10_001);
    await waitFor(() => !view.live('agent').some((p) => getTargetNodeName(p) === getTargetNodeName(surged) && p.metadata.labels?.[hashKey] !== hash), {
      describe: stateOf('agent'),
    });
    // The second node follows the same way.
    await waitFor(() => view.live('agent').filter((p) => p.metadata.labels?.[hashKey] === hash && isReady(p)).length === 2, { describe: stateOf('agent') });
    fake.advance(10_001);
    await rolledOut('agent');
  });
});
