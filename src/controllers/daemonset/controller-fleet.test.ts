/**
 * A rolling update on the whole in-process stack: API server (in-memory store), the DaemonSet controller, the
 * scheduler binding each pod and the simulated fleet running it (pods are bound, so deletes are graceful and
 * the fleet finishes them). Real time, with short simulated delays.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DaemonSet, Node, Pod } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { refs, type Client } from '../../client/index.js';
import { SimulatedFleet, simulatedAnnotation } from '../../nodes/index.js';
import { Scheduler } from '../../scheduler/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { DaemonSetController } from './controller.js';

const ns = 'default';
const hashKey = 'controller-revision-hash';

const node = (name: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name }, annotations: { [simulatedAnnotation]: 'true' } },
  spec: {},
});

const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('DaemonSetController on the simulated fleet', () => {
  let server: ApiServer;
  let client: Client;
  let parts: { stop(): unknown }[];

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    client = new LocalClient(server.registry);
    const fleet = new SimulatedFleet({ client, startDelayMs: 5, readyDelayMs: 5 });
    const scheduler = new Scheduler({ client });
    const controller = new DaemonSetController({ client });
    parts = [controller, scheduler, fleet];
    await Promise.all([fleet.start(), scheduler.start(), controller.start()]);
  });

  afterEach(async () => {
    for (const part of parts) await part.stop();
    await server.close();
  });

  const pods = async () => (await client.list<Pod>(refs.pods, { namespace: ns, labelSelector: 'app=agent' })).items;
  const getDs = () => client.get<DaemonSet>(refs.daemonsets, ns, 'agent');
  const state = async () => ({
    status: (await getDs()).status,
    pods: (await pods()).map((p) => `${p.spec.nodeName} ${p.metadata.name} ${p.metadata.labels?.[hashKey]} ${p.spec.containers[0]!.image} ready=${isReady(p)} deleting=${Boolean(p.metadata.deletionTimestamp)}`),
  });

  it('rolls a new image out node by node, and stalls on an image that cannot be pulled', async () => {
    for (const name of ['node-1', 'node-2', 'node-3', 'node-4']) await client.create(refs.nodes, undefined, node(name));
    await client.create<DaemonSet>(refs.daemonsets, ns, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], terminationGracePeriodSeconds: 1 } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      },
    });
    const settled = (image: string) => async () => {
      const status = (await getDs()).status;
      const list = await pods();
      return (
        status?.updatedNumberScheduled === 4 &&
        status.numberAvailable === 4 &&
        list.length === 4 &&
        list.every((p) => p.spec.nodeName && isReady(p) && !p.metadata.deletionTimestamp && p.spec.containers[0]!.image === image)
      );
    };
    await waitFor(settled('busybox:1.36'), { describe: state, timeoutMs: 10_000 });

    await client.patch(refs.daemonsets, ns, 'agent', 'strategic', { spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:1.37' }] } } } });
    await waitFor(settled('busybox:1.37'), { describe: state, timeoutMs: 10_000 });

    await client.patch(refs.daemonsets, ns, 'agent', 'strategic', {
      spec: { template: { spec: { containers: [{ name: 'main', image: 'registry.example/does-not-exist:1.0' }] } } },
    });
    await waitFor(
      async () => {
        const list = (await pods()).filter((p) => !p.metadata.deletionTimestamp);
        const waiting = list.find((p) => (p.spec.containers[0]!.image ?? '').includes('does-not-exist'));
        const reason = waiting?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        return list.length === 4 && (reason === 'ErrImagePull' || reason === 'ImagePullBackOff');
      },
      { describe: state, timeoutMs: 10_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const list = await pods();
    assert.equal(list.filter((p) => (p.spec.containers[0]!.image ?? '').includes('does-not-exist')).length, 1, 'one node at a time (maxUnavailable 1)');
    assert.equal(list.filter((p) => p.spec.containers[0]!.image === 'busybox:1.37' && isReady(p)).length, 3);
    const status = (await getDs()).status!;
    assert.deepEqual([status.updatedNumberScheduled, status.numberAvailable, status.numberUnavailable], [1, 3, 1]);
  });
});
