/**
 * The simulated fleet against the real API server on the in-memory store, through LocalClient.
 * Time is a FakeClock: the test moves it and then waits (briefly, in real time) for the writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { LocalClient } from '../../apiserver/local-client.js';
import { ApiServer } from '../../apiserver/server.js';
import { MemoryStore } from '../../store/index.js';
import { FakeClock, refs, type Client } from '../../client/index.js';
import type { Event, Lease, Node, Pod } from '../../api/types.js';
import { waitFor } from '../../testing/controllers.js';
import { SimulatedFleet, crashLoopBackOffMs, fullImageName, firstHeartbeatDelayMs, probeDelayMs, crashLoopsImage, type SimulatedFleetConfig } from './index.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');

interface Lab {
  server: ApiServer;
  client: Client;
  clock: FakeClock;
  fleet: SimulatedFleet;
}

const labs: Lab[] = [];

async function lab(config: Partial<SimulatedFleetConfig> = {}): Promise<Lab> {
  const server = new ApiServer({ store: new MemoryStore(), log: () => {} });
  await server.start();
  const client = new LocalClient(server.registry);
  const clock = new FakeClock(t0);
  const fleet = new SimulatedFleet({ client, clock, startDelayMs: 1000, readyDelayMs: 2000, ...config });
  await fleet.start();
  const l = { server, client, clock, fleet };
  labs.push(l);
  return l;
}

afterEach(async () => {
  for (const l of labs.splice(0)) {
    l.fleet.stop();
    await l.server.close();
  }
});

function node(name: string, annotations: Record<string, string> = { 'everynode.dev/simulated': 'true' }): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, annotations } };
}

function pod(name: string, nodeName: string, extra: Partial<Pod['spec']> = {}, image = 'nginx:1.27'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'app', image }], ...extra },
  };
}

const getNode = (c: Client, name: string) => c.get<Node>(refs.nodes, undefined, name);
const getPod = (c: Client, name: string) => c.get<Pod>(refs.pods, 'default', name);
const getLease = (c: Client, name: string) => c.get<Lease>(refs.leases, 'kube-node-lease', name);
const cond = (p: { status?: { conditions?: { type: string; status: string }[] } }, type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;

describe('SimulatedFleet nodes', () => {
  it('brings a simulated node to life: Ready, capacity from annotations, addresses, nodeInfo, lease', async () => {
    const { client } = await lab();
    await client.create(refs.nodes, undefined, node('n1', { 'everynode.dev/simulated': 'true', 'everynode.dev/cpu': '8', 'everynode.dev/memory': '32Gi' }));
    const n = await waitFor(async () => {
      const got = await getNode(client, 'n1');
      return cond(got, 'Ready') === 'True' ? got : undefined;
    });
    const ready = n.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.reason, 'KubeletReady');
    assert.equal(ready.message, 'kubelet is posting ready status');
    for (const [type, reason] of [
      ['MemoryPressure', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'KubeletHasSufficientPID'],
    ]) {
      const c = n.status!.conditions!.find((x) => x.type === type);
      assert.equal(c?.status, 'False', type);
      assert.equal(c?.reason, reason);
    }
    assert.equal(n.status!.capacity!.cpu, '8');
    assert.equal(n.status!.capacity!.memory, '32Gi');
    assert.equal(n.status!.capacity!.pods, '110');
    assert.equal(n.status!.capacity!['hugepages-2Mi'], '0');
    // Allocatable is capacity less the kubelet's default hard eviction thresholds.
    assert.equal(n.status!.allocatable!.cpu, '8');
    assert.equal(n.status!.allocatable!.memory, '32668Mi');
    assert.equal(n.status!.allocatable!['ephemeral-storage'], '90Gi');
    const internal = n.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
    assert.match(internal, /^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$/, 'in 172.16.0.0/12, clear of the pod and service ranges');
    assert.deepEqual(n.status!.addresses!.find((a) => a.type === 'Hostname'), { type: 'Hostname', address: 'n1' });
    assert.equal(n.status!.nodeInfo!.kubeletVersion, 'v1.32.0');
    assert.equal(n.status!.nodeInfo!.architecture, 'amd64');
    assert.equal(n.status!.nodeInfo!.operatingSystem, 'linux');

    const lease = await waitFor(() => getLease(client, 'n1'));
    assert.equal(lease.spec!.holderIdentity, 'n1');
    assert.equal(lease.spec!.leaseDurationSeconds, 40);
    assert.match(lease.spec!.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(lease.metadata.ownerReferences?.[0]?.kind, 'Node');
    assert.equal(lease.metadata.ownerReferences?.[0]?.uid, n.metadata.uid);
    // Deliberately, no kubelet events (docs/differences.md, "Node and kubelet events").
    assert.deepEqual((await client.list(refs.events, {})).items, []);
  });

  it('records the kubelet\'s NodeNotSchedulable and NodeSchedulable events on cordon and uncordon', async () => {
    const { client } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    await waitFor(async () => cond(await getNode(client, 'n1'), 'Ready') === 'True');
    const events = async () => (await client.list<Event>(refs.events, {})).items;
    await client.patch(refs.nodes, undefined, 'n1', 'merge', { spec: { unschedulable: true } });
    const cordoned = await waitFor(async () => ((await events()).length === 1 ? (await events())[0] : undefined));
    assert.deepEqual(
      [cordoned.metadata.namespace, cordoned.type, cordoned.reason, cordoned.message, cordoned.involvedObject.uid, cordoned.source],
      ['default', 'Normal', 'NodeNotSchedulable', 'Node n1 status is now: NodeNotSchedulable', 'n1', { component: 'kubelet', host: 'n1' }],
    );
    await client.patch(refs.nodes, undefined, 'n1', 'merge', { spec: { unschedulable: null } });
    await waitFor(async () => (await events()).some((e) => e.reason === 'NodeSchedulable' && e.message === 'Node n1 status is now: NodeSchedulable'));
  });

  it('defaults capacity to 4 CPU, 16Gi, 110 pods', async () => {
    const { client } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    const n = await waitFor(async () => {
      const got = await getNode(client, 'n1');
      return cond(got, 'Ready') === 'True' ? got : undefined;
    });
    assert.equal(n.status!.capacity!.cpu, '4');
    assert.equal(n.status!.capacity!.memory, '16Gi');
    assert.equal(n.status!.capacity!.pods, '110');
  });

  it('renews the lease every 10 s of clock time, the second time sooner, and posts status less often', async () => {
    const { client, clock } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    const first = await waitFor(() => getLease(client, 'n1'));
    const statusRV = (await waitFor(async () => {
      const got = await getNode(client, 'n1');
      return cond(got, 'Ready') === 'True' ? got : undefined;
    })).metadata.resourceVersion;
    const renewedAfter = async (ms: number, previous: Lease) => {
      clock.advance(ms - 1);
      clock.advance(1);
      const renewed = await waitFor(async () => {
        const l = await getLease(client, 'n1');
        return l.spec!.renewTime !== previous.spec!.renewTime ? l : undefined;
      });
      assert.equal(Date.parse(renewed.spec!.renewTime!) - Date.parse(previous.spec!.renewTime!), ms);
      return renewed;
    };
    const firstDelay = firstHeartbeatDelayMs('n1', 10_000, 'lease');
    assert.ok(firstDelay > 0 && firstDelay <= 10_000);
    const second = await renewedAfter(firstDelay, first);
    await renewedAfter(10_000, second);
    assert.equal((await getNode(client, 'n1')).metadata.resourceVersion, statusRV, 'no status post for a lease renewal');
  });

  it('spreads the second heartbeat of nodes started together over the period', () => {
    const delays = Array.from({ length: 1000 }, (_, i) => firstHeartbeatDelayMs(`node-${i}`, 10_000, 'lease'));
    assert.ok(delays.every((d) => d >= 1 && d <= 10_000));
    const perSecond = new Array<number>(10).fill(0);
    for (const d of delays) perSecond[Math.min(9, Math.floor((d - 1) / 1000))]!++;
    // Uniform would put 100 in each second; no second gets the burst.
    assert.ok(Math.max(...perSecond) < 150, `per second: ${perSecond.join(' ')}`);
    assert.ok(Math.min(...perSecond) > 50, `per second: ${perSecond.join(' ')}`);
    assert.equal(firstHeartbeatDelayMs('node-7', 10_000, 'lease'), firstHeartbeatDelayMs('node-7', 10_000, 'lease'), 'fixed per node');
    assert.notEqual(firstHeartbeatDelayMs('node-7', 10_000, 'lease'), firstHeartbeatDelayMs('node-7', 10_000, 'status'));
  });

  it('posts status again at once when a capacity annotation changes, and then settles', async () => {
    const { client } = await lab();
    await client.create(refs.nodes, undefined, node('n1', { 'everynode.dev/simulated': 'true', 'everynode.dev/cpu': '1500m' }));
    await waitFor(async () => (await getNode(client, 'n1')).status?.capacity?.cpu !== undefined);
    await client.patch(refs.nodes, undefined, 'n1', 'merge', { metadata: { annotations: { 'everynode.dev/cpu': '8' } } });
    const updated = await waitFor(async () => {
      const n = await getNode(client, 'n1');
      return n.status?.capacity?.cpu === '8' ? n : undefined;
    });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal((await getNode(client, 'n1')).metadata.resourceVersion, updated.metadata.resourceVersion, 'no further writes');
  });

  it('stops heartbeats for a node annotated stopped', async () => {
    const { client, clock, fleet } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    const first = await waitFor(() => getLease(client, 'n1'));
    await client.patch(refs.nodes, undefined, 'n1', 'merge', { metadata: { annotations: { 'everynode.dev/stopped': 'true' } } });
    await waitFor(() => fleet.scheduledTasks === 0 || undefined);
    clock.advance(10_000);
    clock.advance(30_000);
    // Give any (wrong) write a chance to land, then check.
    await new Promise((r) => setImmediate(r));
    assert.equal((await getLease(client, 'n1')).spec!.renewTime, first.spec!.renewTime);

    // Starting it again resumes the lease.
    await client.patch(refs.nodes, undefined, 'n1', 'merge', { metadata: { annotations: { 'everynode.dev/stopped': null } } });
    await waitFor(async () => (await getLease(client, 'n1')).spec!.renewTime !== first.spec!.renewTime);
  });

  it('leaves a node that is not simulated alone, and its pods too', async () => {
    const { client, clock, fleet } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('real', {}));
    await client.create(refs.nodes, undefined, node('sim'));
    await client.create(refs.pods, 'default', pod('on-real', 'real'));
    await client.create(refs.pods, 'default', pod('on-sim', 'sim'));
    await waitFor(async () => (await getPod(client, 'on-sim')).status?.phase === 'Running');
    clock.advance(60_000);
    await waitFor(() => fleet.scheduledTasks === 1 || undefined); // only the sim node's heartbeat
    const real = await getNode(client, 'real');
    assert.equal(real.status?.conditions, undefined);
    await assert.rejects(getLease(client, 'real'), /not found/);
    assert.notEqual((await getPod(client, 'on-real')).status?.phase, 'Running');
  });
});

describe('SimulatedFleet pods', () => {
  it('moves a bound pod Pending → Running → Ready', async () => {
    const { client, clock, fleet } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    await waitFor(async () => cond(await getNode(client, 'n1'), 'Ready') === 'True');
    await client.create(refs.pods, 'default', pod('web', 'n1'));

    const creating = await waitFor(async () => {
      const p = await getPod(client, 'web');
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating' ? p : undefined;
    });
    assert.equal(creating.status!.phase, 'Pending');
    assert.equal(creating.status!.hostIP, fleet.nodeIP('n1'));

    clock.advance(1000);
    const running = await waitFor(async () => {
      const p = await getPod(client, 'web');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(cond(running, 'Ready'), 'False');
    const notReady = running.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(notReady.reason, 'ContainersNotReady');
    assert.equal(notReady.message, 'containers with unready status: [app]');
    assert.equal(cond(running, 'Initialized'), 'True');
    assert.equal(cond(running, 'PodScheduled'), 'True');
    assert.match(running.status!.podIP!, /^10\.24[4-7]\.\d+\.\d+$/);
    assert.notEqual(running.status!.podIP, fleet.nodeIP('n1'));
    assert.ok(running.status!.startTime);
    const cs = running.status!.containerStatuses![0]!;
    assert.ok(cs.state?.running?.startedAt);
    assert.match(cs.containerID!, /^containerd:\/\/[0-9a-f]{64}$/);
    assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.equal(cs.image, 'docker.io/library/nginx:1.27', 'the image as containerd names it');
    assert.equal(cs.ready, false);
    assert.equal(running.status!.qosClass, 'BestEffort', 'qosClass kept');

    clock.advance(2000);
    const ready = await waitFor(async () => {
      const p = await getPod(client, 'web');
      return cond(p, 'Ready') === 'True' ? p : undefined;
    });
    assert.equal(cond(ready, 'ContainersReady'), 'True');
    // As a real cluster prints them: a ready condition without the reason it had while not ready, unset
    // times as null, and the container's lastState as {}.
    for (const type of ['Ready', 'ContainersReady']) {
      const c = ready.status!.conditions!.find((x) => x.type === type)!;
      assert.equal(c.reason, undefined, type);
      assert.equal(c.message, undefined, type);
    }
    for (const c of ready.status!.conditions!) assert.equal(c.lastProbeTime, null, c.type);
    assert.deepEqual(ready.status!.containerStatuses![0]!.lastState, {});
    // Deliberately, no ServiceAccount admission (docs/differences.md, "Service accounts").
    assert.equal(ready.spec.serviceAccountName, undefined);
    assert.equal(ready.spec.volumes, undefined);
    assert.equal(ready.status!.containerStatuses![0]!.ready, true);
    assert.equal(ready.status!.podIP, running.status!.podIP);
  });

  it('lists each container\'s volume mounts in its status, read-only ones as not recursively read-only', async () => {
    const { client } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1'));
    const volumes = [{ name: 'varlog', hostPath: { path: '/var/log' } }, { name: 'containers', hostPath: { path: '/var/lib/docker/containers' } }];
    const volumeMounts = [{ name: 'varlog', mountPath: '/var/log' }, { name: 'containers', mountPath: '/var/lib/docker/containers', readOnly: true }];
    await client.create(refs.pods, 'default', pod('mounts', 'n1', { volumes, containers: [{ name: 'fluentd', image: 'fluentd:v1.14', volumeMounts }] } as Partial<Pod['spec']>));
    const ready = await waitFor(async () => {
      const p = await getPod(client, 'mounts');
      return cond(p, 'Ready') === 'True' ? p : undefined;
    });
    assert.deepEqual(ready.status!.containerStatuses![0]!.volumeMounts, [
      { name: 'varlog', mountPath: '/var/log' },
      { name: 'containers', mountPath: '/var/lib/docker/containers', readOnly: true, recursiveReadOnly: 'Disabled' },
    ]);
  });

  it('names images as containerd does once pulled', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const cases: [string, string][] = [
      ['nginx', 'docker.io/library/nginx:latest'],
      ['nginx:1.27', 'docker.io/library/nginx:1.27'],
      ['prom/node-exporter:v1.8.0', 'docker.io/prom/node-exporter:v1.8.0'],
      ['quay.io/prometheus/node-exporter', 'quay.io/prometheus/node-exporter:latest'],
      ['localhost/agent:1', 'localhost/agent:1'],
      ['registry.local:5000/team/agent', 'registry.local:5000/team/agent:latest'],
      [`nginx@${digest}`, `docker.io/library/nginx@${digest}`],
    ];
    for (const [image, want] of cases) assert.equal(fullImageName(image), want, image);
  });

  it('honours a readinessProbe initialDelaySeconds', async () => {
    const { client, clock, fleet } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1'));
    const p = pod('probed', 'n1');
    p.spec.containers[0]!.readinessProbe = { initialDelaySeconds: 5, exec: { command: ['true'] } };
    await client.create(refs.pods, 'default', p);
    await waitFor(async () => (await getPod(client, 'probed')).status?.phase === 'Running');
    await waitFor(() => fleet.podDueAt('default', 'probed') === t0 + 5_000);
    clock.advance(4_999);
    await new Promise((r) => setImmediate(r));
    assert.equal(cond(await getPod(client, 'probed'), 'Ready'), 'False');
    clock.advance(1);
    await waitFor(async () => cond(await getPod(client, 'probed'), 'Ready') === 'True');
  });

  it('computes the probe delay from initialDelaySeconds, successThreshold and periodSeconds', () => {
    const withProbes = (...probes: (Record<string, number> | undefined)[]): Pod =>
      pod('p', 'n', { containers: probes.map((readinessProbe, i) => ({ name: `c${i}`, image: 'x', ...(readinessProbe ? { readinessProbe } : {}) })) });
    assert.equal(probeDelayMs(withProbes(undefined)), 0);
    assert.equal(probeDelayMs(withProbes({ initialDelaySeconds: 3 }, undefined)), 3000);
    assert.equal(probeDelayMs(withProbes({ initialDelaySeconds: 3, successThreshold: 3, periodSeconds: 2 }, { initialDelaySeconds: 5 })), 7000);
  });

  it('gives a hostNetwork pod the node IP, from its first status on', async () => {
    const { client, clock, fleet } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    await client.create(refs.pods, 'default', pod('hn', 'n1', { hostNetwork: true }));
    const creating = await waitFor(async () => {
      const got = await getPod(client, 'hn');
      return got.status?.containerStatuses ? got : undefined;
    });
    assert.equal(creating.status!.containerStatuses![0]!.state!.waiting!.reason, 'ContainerCreating');
    assert.equal(creating.status!.podIP, fleet.nodeIP('n1'));
    clock.advance(3000);
    const p = await waitFor(async () => {
      const got = await getPod(client, 'hn');
      return cond(got, 'Ready') === 'True' ? got : undefined;
    });
    assert.equal(p.status!.podIP, fleet.nodeIP('n1'));
    assert.equal(p.status!.hostIP, fleet.nodeIP('n1'));
  });

  it('starts pods bound before their node became simulated', async () => {
    const { client } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('late', {}));
    await client.create(refs.pods, 'default', pod('early', 'late'));
    await client.patch(refs.nodes, undefined, 'late', 'merge', { metadata: { annotations: { 'everynode.dev/simulated': 'true' } } });
    await waitFor(async () => cond(await getPod(client, 'early'), 'Ready') === 'True');
  });

  it('removes a pod marked for deletion', async () => {
    const { client } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1'));
    await client.create(refs.pods, 'default', pod('doomed', 'n1'));
    await waitFor(async () => cond(await getPod(client, 'doomed'), 'Ready') === 'True');
    await client.delete(refs.pods, 'default', 'doomed');
    await waitFor(async () => {
      const list = await client.list<Pod>(refs.pods, { namespace: 'default' });
      return !list.items.some((p) => p.metadata.name === 'doomed');
    });
  });

  it('waits min(grace, stop time) before removing a pod marked for deletion', async () => {
    const { client, clock, fleet } = await lab({ startDelayMs: 0, readyDelayMs: 0, stopDelayMs: 20_000 });
    await client.create(refs.nodes, undefined, node('n1'));
    await client.create(refs.pods, 'default', pod('slow', 'n1', { terminationGracePeriodSeconds: 5 }));
    await waitFor(async () => cond(await getPod(client, 'slow'), 'Ready') === 'True');
    await client.delete(refs.pods, 'default', 'slow');
    await waitFor(() => fleet.podDueAt('default', 'slow') === t0 + 5_000);
    clock.advance(4_000);
    await new Promise((r) => setImmediate(r));
    assert.ok(await getPod(client, 'slow'));
    clock.advance(1_000);
    await waitFor(async () => (await client.list<Pod>(refs.pods, { namespace: 'default' })).items.length === 0);
  });

  it('keeps a pod whose image does-not-exist Pending: ErrImagePull, then ImagePullBackOff', async () => {
    const { client, clock } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1'));
    await client.create(refs.pods, 'default', pod('bad', 'n1', {}, 'registry.example/does-not-exist:1.0'));
    const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    const err = await waitFor(async () => {
      const p = await getPod(client, 'bad');
      return waiting(p) === 'ErrImagePull' ? p : undefined;
    });
    assert.equal(err.status!.phase, 'Pending');
    assert.match(err.status!.podIP ?? '', /^10\.24[4-7]\.\d+\.\d+$/, 'the sandbox, and its IP, exist while the image cannot be pulled');
    clock.advance(10_000);
    const backoff = await waitFor(async () => {
      const p = await getPod(client, 'bad');
      return waiting(p) === 'ImagePullBackOff' ? p : undefined;
    });
    assert.equal(backoff.status!.phase, 'Pending');
    assert.equal(cond(backoff, 'Ready'), 'False');
    // The runtime's error, and since 1.32 the back-off repeats it.
    const notFound =
      'rpc error: code = NotFound desc = failed to pull and unpack image "registry.example/does-not-exist:1.0": ' +
      'failed to resolve reference "registry.example/does-not-exist:1.0": registry.example/does-not-exist:1.0: not found';
    assert.equal(err.status!.containerStatuses![0]!.state!.waiting!.message, notFound);
    assert.equal(backoff.status!.containerStatuses![0]!.state!.waiting!.message, `Back-off pulling image "registry.example/does-not-exist:1.0": ErrImagePull: ${notFound}`);
  });

  it('runs init containers first: Init:0/n while the sandbox is created, the app waiting in PodInitializing', async () => {
    const { client, clock } = await lab();
    await client.create(refs.nodes, undefined, node('n1'));
    const initContainers = [{ name: 'setup', image: 'busybox:1.36' }, { name: 'migrate', image: 'busybox:1.36' }];
    await client.create(refs.pods, 'default', pod('init', 'n1', { initContainers }));
    const creating = await waitFor(async () => {
      const p = await getPod(client, 'init');
      return p.status?.initContainerStatuses ? p : undefined;
    });
    const initialized = creating.status!.conditions!.find((c) => c.type === 'Initialized')!;
    assert.deepEqual([initialized.status, initialized.reason, initialized.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [setup migrate]']);
    assert.deepEqual(creating.status!.initContainerStatuses!.map((c) => c.state), [{ waiting: { reason: 'PodInitializing' } }, { waiting: { reason: 'PodInitializing' } }]);
    assert.deepEqual(creating.status!.containerStatuses![0]!.state, { waiting: { reason: 'PodInitializing' } });

    clock.advance(1000);
    const running = await waitFor(async () => {
      const p = await getPod(client, 'init');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.equal(cond(running, 'Initialized'), 'True');
    const done = running.status!.conditions!.find((c) => c.type === 'Initialized')!;
    assert.equal(done.reason, undefined);
    for (const c of running.status!.initContainerStatuses!) {
      assert.equal(c.state!.terminated!.reason, 'Completed', c.name);
      assert.equal(c.state!.terminated!.containerID, c.containerID, c.name);
    }
  });

  it('stops at an init container whose image cannot be pulled (Init:ErrImagePull); the app waits', async () => {
    const { client } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1'));
    const initContainers = [{ name: 'ok', image: 'busybox:1.36' }, { name: 'bad', image: 'busybox:does-not-exist' }, { name: 'later', image: 'busybox:1.36' }];
    await client.create(refs.pods, 'default', pod('blocked', 'n1', { initContainers }));
    const p = await waitFor(async () => {
      const got = await getPod(client, 'blocked');
      return got.status?.initContainerStatuses?.[1]?.state?.waiting?.reason === 'ErrImagePull' ? got : undefined;
    });
    const [ok, , later] = p.status!.initContainerStatuses!;
    assert.equal(ok!.state!.terminated!.reason, 'Completed');
    assert.deepEqual(later!.state, { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual(p.status!.containerStatuses![0]!.state, { waiting: { reason: 'PodInitializing' } });
    assert.equal(p.status!.conditions!.find((c) => c.type === 'Initialized')!.message, 'containers with incomplete status: [bad later]');
  });
});

describe('SimulatedFleet behaviour per node', () => {
  it('takes start and ready delays from the node annotations, jittered per pod', async () => {
    const { client, clock, fleet } = await lab({ startDelayMs: 1000, readyDelayMs: 1000 });
    await client.create(refs.nodes, undefined, node('slow', { 'everynode.dev/simulated': 'true', 'everynode.dev/start-delay': '5s', 'everynode.dev/ready-delay': '3s' }));
    await client.create(refs.nodes, undefined, node('jittery', { 'everynode.dev/simulated': 'true', 'everynode.dev/jitter': '2s' }));
    await client.create(refs.pods, 'default', pod('on-slow', 'slow'));
    await waitFor(() => fleet.podDueAt('default', 'on-slow') === t0 + 5_000);
    clock.advance(5_000);
    await waitFor(async () => (await getPod(client, 'on-slow')).status?.phase === 'Running');
    await waitFor(() => fleet.podDueAt('default', 'on-slow') === t0 + 8_000);
    clock.advance(3_000);
    await waitFor(async () => cond(await getPod(client, 'on-slow'), 'Ready') === 'True');

    const dues = [];
    for (const name of ['j1', 'j2', 'j3']) {
      await client.create(refs.pods, 'default', pod(name, 'jittery'));
      // Due now at first (the pod was just seen), then at its start time once its first status is written.
      dues.push(await waitFor(() => {
        const due = fleet.podDueAt('default', name);
        return due !== undefined && due > clock.now() ? due : undefined;
      }));
    }
    const base = clock.now() + 1000;
    for (const due of dues) assert.ok(due >= base && due < base + 2000, `start within the jitter window (${due - base} ms)`);
    assert.ok(new Set(dues).size > 1, 'pods get different jitter');
  });

  it('fails images that match a fault rule, only on the nodes its selector picks', async () => {
    const { client, clock } = await lab({
      startDelayMs: 0,
      readyDelayMs: 0,
      faults: [{ image: 'registry.internal/*', fault: 'ImagePullFailure', nodeSelector: { matchLabels: { zone: 'a' } } }],
    });
    const zoned = (name: string, zone: string): Node => ({ ...node(name), metadata: { name, labels: { zone }, annotations: { 'everynode.dev/simulated': 'true' } } });
    await client.create(refs.nodes, undefined, zoned('in-a', 'a'));
    await client.create(refs.nodes, undefined, zoned('in-b', 'b'));
    await client.create(refs.pods, 'default', pod('pa', 'in-a', {}, 'registry.internal/app:1'));
    await client.create(refs.pods, 'default', pod('pb', 'in-b', {}, 'registry.internal/app:1'));
    const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    await waitFor(async () => waiting(await getPod(client, 'pa')) === 'ErrImagePull');
    await waitFor(async () => cond(await getPod(client, 'pb'), 'Ready') === 'True');
    clock.advance(10_000);
    await waitFor(async () => waiting(await getPod(client, 'pa')) === 'ImagePullBackOff');
  });

  it('crash-loops images named in the crash-loops annotation of the node', async () => {
    const { client } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1', { 'everynode.dev/simulated': 'true', 'everynode.dev/crash-loops': 'myorg/agent:2.*' }));
    await client.create(refs.pods, 'default', pod('agent', 'n1', {}, 'myorg/agent:2.0'));
    const p = await waitFor(async () => {
      const got = await getPod(client, 'agent');
      return got.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? got : undefined;
    });
    assert.equal(p.status!.containerStatuses![0]!.restartCount, 1);
  });
});

describe('SimulatedFleet static pods', () => {
  const manifest = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: kube-proxy
  namespace: kube-system
  labels: {component: kube-proxy}
spec:
  containers:
  - name: kube-proxy
    image: ${image}
`;

  it('publishes a mirror pod owned by the Node, runs it, and publishes it again when it is deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'static-pods-'));
    try {
      writeFileSync(join(dir, 'kube-proxy.yaml'), manifest('registry.k8s.io/kube-proxy:v1.32.0'));
      writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
      const { client, clock } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
      const created = await client.create<Node>(refs.nodes, undefined, node('edge', { 'everynode.dev/simulated': 'true', 'everynode.dev/static-pods': dir }));
      const mirror = await waitFor(async () => {
        const p = await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined);
        return p && cond(p, 'Ready') === 'True' ? p : undefined;
      });
      assert.equal(mirror.spec.nodeName, 'edge');
      assert.equal(mirror.metadata.labels?.component, 'kube-proxy');
      assert.deepEqual(mirror.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'edge', uid: created.metadata.uid, controller: true }]);
      const annotations = mirror.metadata.annotations ?? {};
      assert.equal(annotations['kubernetes.io/config.source'], 'file');
      assert.equal(annotations['kubernetes.io/config.mirror'], annotations['kubernetes.io/config.hash']);
      assert.ok(annotations['kubernetes.io/config.seen']);
      assert.ok(mirror.spec.tolerations?.some((t) => t.operator === 'Exists' && t.effect === 'NoExecute' && !t.key));

      // kubectl delete: the mirror pod goes, and comes back with a new UID; the static pod kept running.
      // It stays away for a second first (so kubectl delete, which then watches the name, sees it go).
      await client.delete(refs.pods, 'kube-system', 'kube-proxy-edge');
      await waitFor(async () => ((await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined)) ? undefined : true));
      clock.advance(999);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined), undefined, 'not back before a second');
      clock.advance(1);
      const again = await waitFor(async () => {
        const p = await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined);
        return p && p.metadata.uid !== mirror.metadata.uid && cond(p, 'Ready') === 'True' ? p : undefined;
      });
      assert.equal(again.status?.startTime, mirror.status?.startTime, 'the same run of the static pod');

      // An edited manifest replaces the pod at the next read of the directory (every 20 s).
      writeFileSync(join(dir, 'kube-proxy.yaml'), manifest('registry.k8s.io/kube-proxy:v1.32.1'));
      clock.advance(20_000);
      await waitFor(async () => ((await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined)) ? undefined : true));
      clock.advance(1000);
      await waitFor(async () => (await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined))?.spec.containers[0]?.image === 'registry.k8s.io/kube-proxy:v1.32.1');

      // A removed manifest takes its mirror pod away.
      rmSync(join(dir, 'kube-proxy.yaml'));
      clock.advance(20_000);
      await waitFor(async () => (await client.get<Pod>(refs.pods, 'kube-system', 'kube-proxy-edge').catch(() => undefined)) === undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SimulatedFleet crash loops', () => {
  it('crash-loops an image whose tag contains crashloop, restartCount growing with a doubling back-off', async () => {
    const { client, clock, fleet } = await lab({ startDelayMs: 0, readyDelayMs: 0 });
    await client.create(refs.nodes, undefined, node('n1'));
    await client.create(refs.pods, 'default', pod('crashy', 'n1', {}, 'busybox:1.36-crashloop'));
    const restarts = async (want: number) =>
      waitFor(async () => {
        const p = await getPod(client, 'crashy');
        return p.status?.containerStatuses?.[0]?.restartCount === want ? p : undefined;
      });
    const first = await restarts(1);
    assert.equal(first.status!.phase, 'Running');
    assert.equal(cond(first, 'Ready'), 'False');
    const cs = first.status!.containerStatuses![0]!;
    assert.equal(cs.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.match(cs.state!.waiting!.message!, /^back-off 10s restarting failed container=app pod=crashy_default\(/);
    assert.equal(cs.lastState?.terminated?.reason, 'Error');
    assert.equal(cs.lastState?.terminated?.exitCode, 1);
    await waitFor(() => fleet.podDueAt('default', 'crashy') === t0 + 10_000);
    clock.advance(10_000);
    const second = await restarts(2);
    assert.match(second.status!.containerStatuses![0]!.state!.waiting!.message!, /^back-off 20s /);
    await waitFor(() => fleet.podDueAt('default', 'crashy') === t0 + 30_000);
    clock.advance(19_999);
    await new Promise((r) => setImmediate(r));
    assert.equal((await getPod(client, 'crashy')).status!.containerStatuses![0]!.restartCount, 2);
    clock.advance(1);
    await restarts(3);
  });

  it('caps the back-off at 5 minutes and only matches the tag', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 20].map(crashLoopBackOffMs), [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    assert.equal(crashLoopsImage('busybox:crashloop'), true);
    assert.equal(crashLoopsImage('registry:5000/app:v1-crashloop'), true);
    assert.equal(crashLoopsImage('crashloop/app:v1'), false);
    assert.equal(crashLoopsImage('registry:5000/crashloop'), false);
  });
});

describe('SimulatedFleet scale', () => {
  it('serves many nodes with one clock timer and one watch per resource', async () => {
    const server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    const inner = new LocalClient(server.registry);
    let watches = 0;
    const client: Client = Object.assign(Object.create(inner) as Client, {
      watch: ((...args: Parameters<Client['watch']>) => {
        watches++;
        return inner.watch(...args);
      }) as Client['watch'],
    });
    const clock = new FakeClock(t0);
    const fleet = new SimulatedFleet({ client, clock });
    await fleet.start();
    try {
      const n = 200;
      for (let i = 0; i < n; i++) await client.create(refs.nodes, undefined, node(`node-${i}`));
      let maxTimers = 0;
      await waitFor(
        async () => {
          maxTimers = Math.max(maxTimers, clock.pendingTimers());
          const leases = (await client.list<Lease>(refs.leases, { namespace: 'kube-node-lease' })).items.length;
          return leases === n && fleet.scheduledTasks === n && clock.pendingTimers() === 1;
        },
        { timeoutMs: 20_000 },
      );
      assert.equal(maxTimers, 1, 'never more than one clock timer for the whole fleet');
      assert.equal(watches, 2, 'one node watch and one pod watch');
      const ips = new Set((await client.list<Node>(refs.nodes)).items.map((x) => x.status?.addresses?.[0]?.address));
      assert.equal(ips.size, n, 'distinct node IPs');
    } finally {
      fleet.stop();
      await server.close();
    }
  });
});
