/**
 * The DaemonSet controller against the real API server on the in-memory store, through LocalClient. There
 * is no scheduler or kubelet here: pods stay unbound (pinned by affinity) and tests mark them Ready.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { forbidden } from '../../api/errors.js';
import type { ControllerRevision, DaemonSet, Event, Node, Pod, Taint } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { FakeClock, refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { DaemonSetController } from './controller.js';
import { canonicalJson, computeHash, newControllerRevision, revisionDataJson } from './history.js';
import { getTargetNodeName } from './pinning.js';

const ns = 'default';

function daemonSet(name: string, nodeSelector?: Record<string, string>): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...(nodeSelector ? { nodeSelector } : {}) },
      },
    },
  };
}

function node(name: string, labels: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} };
}

describe('DaemonSetController', () => {
  let server: ApiServer;
  let client: Client;
  let controller: DaemonSetController;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
    controller = new DaemonSetController({ client });
    await controller.start();
  });

  afterEach(async () => {
    await controller.stop();
    await server.close();
  });

  async function pods(dsName: string): Promise<Pod[]> {
    const list = await client.list<Pod>(refs.pods, { namespace: ns, labelSelector: `app=${dsName}` });
    return list.items.filter((pod) => !pod.metadata.deletionTimestamp);
  }

  async function podNodes(dsName: string): Promise<string[]> {
    return (await pods(dsName)).map((pod) => getTargetNodeName(pod) ?? '?').sort();
  }

  async function getDs(name: string): Promise<DaemonSet> {
    return client.get<DaemonSet>(refs.daemonsets, ns, name);
  }

  async function markReady(pod: Pod): Promise<void> {
    const now = new Date().toISOString();
    await client.patch(refs.pods, ns, pod.metadata.name!, 'strategic', {
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
    }, { subresource: 'status' });
  }

  async function setTaints(name: string, taints: Taint[]): Promise<void> {
    await client.patch(refs.nodes, undefined, name, 'merge', { spec: { taints } });
  }

  const describeState = (dsName: string) => async () => ({ pods: await podNodes(dsName), status: (await getDs(dsName)).status });

  it('runs one pinned pod per node, with owner, labels, revision, status and events', async () => {
    for (const name of ['node-1', 'node-2', 'node-3']) await client.create(refs.nodes, undefined, node(name));
    const ds = await client.create<DaemonSet>(refs.daemonsets, ns, daemonSet('agent'));

    await waitFor(async () => (await podNodes('agent')).join() === 'node-1,node-2,node-3', { describe: describeState('agent') });
    const revisions = (await client.list<ControllerRevision>(refs.controllerrevisions, { namespace: ns })).items;
    assert.equal(revisions.length, 1);
    const revision = revisions[0];
    const hash = revision.metadata.labels!['controller-revision-hash'];
    assert.equal(revision.metadata.name, `agent-${hash}`);
    assert.equal(revision.revision, 1);
    assert.equal(canonicalJson(revision.data), revisionDataJson(ds));
    assert.equal(revision.metadata.ownerReferences?.[0].uid, ds.metadata.uid);

    for (const pod of await pods('agent')) {
      assert.equal(pod.spec.nodeName ?? '', '');
      assert.match(pod.metadata.name!, /^agent-/);
      assert.deepEqual(pod.metadata.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      assert.equal(pod.metadata.labels!['controller-revision-hash'], hash);
      assert.equal(pod.metadata.labels!['pod-template-generation'], '1');
      assert.equal(pod.metadata.labels!.app, 'agent');
      assert.ok(pod.spec.tolerations?.some((t) => t.key === 'node.kubernetes.io/unreachable'));
    }

    await waitFor(async () => {
      const status = (await getDs('agent')).status;
      return status?.desiredNumberScheduled === 3 && status.currentNumberScheduled === 3 && status.numberReady === 0 && status.observedGeneration === 1;
    }, { describe: describeState('agent') });

    for (const pod of await pods('agent')) await markReady(pod);
    await waitFor(async () => {
      const status = (await getDs('agent')).status;
      return status?.numberReady === 3 ? status : undefined;
    }, { describe: describeState('agent') });
    const status = (await getDs('agent')).status!;
    assert.deepEqual(
      {
        desired: status.desiredNumberScheduled,
        current: status.currentNumberScheduled,
        ready: status.numberReady,
        available: status.numberAvailable,
        unavailable: status.numberUnavailable,
        updated: status.updatedNumberScheduled,
        misscheduled: status.numberMisscheduled,
        observedGeneration: status.observedGeneration,
      },
      { desired: 3, current: 3, ready: 3, available: 3, unavailable: undefined, updated: 3, misscheduled: 0, observedGeneration: 1 },
    );

    await controller.flushEvents();
    const events = (await client.list<Event>(refs.events, { namespace: ns })).items.filter((e) => e.involvedObject.name === 'agent');
    const created = events.filter((e) => e.reason === 'SuccessfulCreate');
    assert.equal(created.length, 3);
    for (const event of created) {
      assert.equal(event.type, 'Normal');
      assert.match(event.message ?? '', /^Created pod: agent-/);
      assert.equal(event.source?.component, 'daemonset-controller');
    }
  });

  it('follows nodes: relabelled node loses its pod, a new node gets one', async () => {
    await client.create(refs.nodes, undefined, node('node-1', { disktype: 'ssd' }));
    await client.create(refs.nodes, undefined, node('node-2', { disktype: 'ssd' }));
    await client.create(refs.daemonsets, ns, daemonSet('ssd', { disktype: 'ssd' }));
    await waitFor(async () => (await podNodes('ssd')).join() === 'node-1,node-2', { describe: describeState('ssd') });
    await waitFor(async () => (await getDs('ssd')).status?.desiredNumberScheduled === 2);

    await client.patch(refs.nodes, undefined, 'node-2', 'merge', { metadata: { labels: { disktype: 'hdd' } } });
    await waitFor(async () => (await podNodes('ssd')).join() === 'node-1', { describe: describeState('ssd') });
    await waitFor(async () => (await getDs('ssd')).status?.desiredNumberScheduled === 1, { describe: describeState('ssd') });

    await client.create(refs.nodes, undefined, node('node-3', { disktype: 'ssd' }));
    await waitFor(async () => (await podNodes('ssd')).join() === 'node-1,node-3', { describe: describeState('ssd') });
    await waitFor(async () => (await getDs('ssd')).status?.desiredNumberScheduled === 2, { describe: describeState('ssd') });

    await controller.flushEvents();
    const events = (await client.list<Event>(refs.events, { namespace: ns })).items.filter((e) => e.reason === 'SuccessfulDelete');
    assert.equal(events.length, 1);
    assert.match(events[0].message ?? '', /^Deleted pod: ssd-/);
  });

  it('recreates a deleted daemon pod', async () => {
    await client.create(refs.nodes, undefined, node('node-1'));
    await client.create(refs.daemonsets, ns, daemonSet('agent'));
    const [first] = await waitFor(async () => {
      const list = await pods('agent');
      return list.length === 1 ? list : undefined;
    });
    await client.delete(refs.pods, ns, first.metadata.name!);
    const [second] = await waitFor(async () => {
      const list = await pods('agent');
      return list.length === 1 && list[0].metadata.name !== first.metadata.name ? list : undefined;
    }, { describe: describeState('agent') });
    assert.equal(getTargetNodeName(second), 'node-1');
  });

  it('keeps the pod under a new NoSchedule taint (misscheduled) and removes it under NoExecute', async () => {
    await client.create(refs.nodes, undefined, node('node-1'));
    await client.create(refs.nodes, undefined, node('node-2'));
    await client.create(refs.daemonsets, ns, daemonSet('agent'));
    await waitFor(async () => (await podNodes('agent')).join() === 'node-1,node-2');

    await setTaints('node-2', [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
    await waitFor(async () => {
      const status = (await getDs('agent')).status;
      return status?.desiredNumberScheduled === 1 && status.numberMisscheduled === 1 && status.currentNumberScheduled === 1;
    }, { describe: describeState('agent') });
    assert.deepEqual(await podNodes('agent'), ['node-1', 'node-2']);

    await setTaints('node-2', [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }]);
    await waitFor(async () => (await podNodes('agent')).join() === 'node-1', { describe: describeState('agent') });
    await waitFor(async () => {
      const status = (await getDs('agent')).status;
      return status?.desiredNumberScheduled === 1 && status.numberMisscheduled === 0;
    }, { describe: describeState('agent') });
  });

  it('reports a failed create with the API error, slow-starting and stopping after the failing batch', async () => {
    await controller.stop();
    let podCreates = 0;
    const quota = 2;
    const limited = Object.assign(Object.create(client) as Client, {
      create: (async (ref, namespace, obj, query) => {
        if (ref.resource === 'pods') {
          podCreates++;
          if (podCreates > quota) throw forbidden({ group: '', resource: 'pods' }, 'agent-x', 'exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2');
        }
        return client.create(ref, namespace, obj, query);
      }) as Client['create'],
    });
    controller = new DaemonSetController({ client: limited });
    for (let i = 1; i <= 10; i++) await client.create(refs.nodes, undefined, node(`node-${i}`));
    await client.create(refs.daemonsets, ns, daemonSet('agent'));
    await controller.start();
    const failed = await waitFor(async () => {
      await controller.flushEvents();
      const events = (await client.list<Event>(refs.events, { namespace: ns })).items;
      return events.find((e) => e.reason === 'FailedCreate');
    });
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, 'Error creating: pods "agent-x" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2');
    assert.equal((await pods('agent')).length, 2);
    await waitFor(async () => (await getDs('agent')).status?.currentNumberScheduled === 2);
    const status = (await getDs('agent')).status!;
    assert.equal(status.desiredNumberScheduled, 10);
    assert.equal(status.updatedNumberScheduled, 2);
  });

  it('deletes a failed pod, replaces it, and backs off before deleting the next failure', async () => {
    await controller.stop();
    const clock = new FakeClock(Date.now());
    controller = new DaemonSetController({ client, clock });
    await client.create(refs.nodes, undefined, node('node-1'));
    await client.create(refs.daemonsets, ns, daemonSet('agent'));
    await controller.start();
    const fail = (pod: Pod) => client.patch(refs.pods, ns, pod.metadata.name!, 'strategic', { status: { phase: 'Failed' } }, { subresource: 'status' });
    const onePod = async (not?: string) => {
      const list = await pods('agent');
      return list.length === 1 && list[0].metadata.name !== not && list[0].status?.phase !== 'Failed' ? list[0] : undefined;
    };

    const first = await waitFor(() => onePod());
    await fail(first);
    const second = await waitFor(() => onePod(first.metadata.name), { describe: describeState('agent') });

    // The replacement fails within the 1 s backoff: it stays until the delayed requeue fires.
    const timersBefore = clock.pendingTimers();
    await fail(second);
    await waitFor(() => clock.pendingTimers() > timersBefore);
    const stillThere = await client.get<Pod>(refs.pods, ns, second.metadata.name!);
    assert.equal(stillThere.status?.phase, 'Failed');

    clock.advance(1000);
    const third = await waitFor(() => onePod(second.metadata.name), { describe: describeState('agent') });
    assert.equal(getTargetNodeName(third), 'node-1');

    await controller.flushEvents();
    const events = (await client.list<Event>(refs.events, { namespace: ns })).items.filter((e) => e.reason === 'FailedDaemonPod');
    assert.deepEqual(
      events.map((e) => [e.type, e.message]),
      [first, second].map((pod) => ['Warning', `Found failed daemon pod ${ns}/${pod.metadata.name} on node node-1, will try to kill it`]),
    );
  });

  it('bumps collisionCount when the revision name is taken by another template', async () => {
    await controller.stop();
    await client.create(refs.nodes, undefined, node('node-1'));
    const ds = await client.create<DaemonSet>(refs.daemonsets, ns, daemonSet('agent'));
    const squatter = newControllerRevision(ds, computeHash(ds.spec.template), 1);
    squatter.data = { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'other' } } } } };
    squatter.metadata.ownerReferences = [];
    await client.create(refs.controllerrevisions, ns, squatter);

    controller = new DaemonSetController({ client });
    await controller.start();
    await waitFor(async () => (await podNodes('agent')).join() === 'node-1', { describe: describeState('agent') });
    const status = (await getDs('agent')).status!;
    assert.equal(status.collisionCount, 1);
    const revisions = (await client.list<ControllerRevision>(refs.controllerrevisions, { namespace: ns })).items;
    const current = revisions.find((revision) => revision.metadata.name !== squatter.metadata.name);
    assert.ok(current);
    const hash = computeHash(ds.spec.template, 1);
    assert.equal(current.metadata.name, `agent-${hash}`);
    assert.equal((await pods('agent'))[0].metadata.labels!['controller-revision-hash'], hash);
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    await client.create(refs.nodes, undefined, node('node-1'));
    await client.create(refs.nodes, undefined, node('node-2'));
    const orphan: Pod = {
      metadata: { name: 'leftover', namespace: ns, labels: { app: 'agent' } },
      spec: {
        containers: [{ name: 'main', image: 'busybox:1.36' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] } } },
      },
    };
    await client.create(refs.pods, ns, orphan);
    // OnDelete: the adopted pod carries no revision hash, so a rolling update would replace it.
    const ds = await client.create<DaemonSet>(refs.daemonsets, ns, { ...daemonSet('agent'), spec: { ...daemonSet('agent').spec, updateStrategy: { type: 'OnDelete' } } });
    await waitFor(async () => (await podNodes('agent')).join() === 'node-1,node-2', { describe: describeState('agent') });
    const adopted = await waitFor(async () => {
      const pod = await client.get<Pod>(refs.pods, ns, 'leftover');
      return pod.metadata.ownerReferences?.length ? pod : undefined;
    });
    assert.deepEqual(adopted.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);

    await client.patch(refs.pods, ns, 'leftover', 'merge', { metadata: { labels: { app: 'debug' } } });
    const released = await waitFor(async () => {
      const pod = await client.get<Pod>(refs.pods, ns, 'leftover');
      return (pod.metadata.ownerReferences ?? []).length === 0 ? pod : undefined;
    });
    assert.equal(released.metadata.labels!.app, 'debug');
    // node-1 gets a new daemon pod in place of the released one.
    await waitFor(async () => (await podNodes('agent')).join() === 'node-1,node-2' && (await pods('agent')).every((p) => p.metadata.name !== 'leftover'), {
      describe: describeState('agent'),
    });
  });

  it('counts a Ready pod available only after minReadySeconds, looking again by itself', async () => {
    await controller.stop();
    const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    controller = new DaemonSetController({ client, clock });
    await client.create(refs.nodes, undefined, node('node-1'));
    const ds = daemonSet('agent');
    ds.spec.minReadySeconds = 10;
    await client.create(refs.daemonsets, ns, ds);
    await controller.start();
    const [pod] = await waitFor(async () => {
      const list = await pods('agent');
      return list.length === 1 ? list : undefined;
    });
    const timersBefore = clock.pendingTimers();
    await client.patch(refs.pods, ns, pod.metadata.name!, 'strategic', {
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(clock.now()).toISOString() }] },
    }, { subresource: 'status' });
    await waitFor(async () => {
      const status = (await getDs('agent')).status;
      return status?.numberReady === 1 && status.numberAvailable === undefined && status.numberUnavailable === 1;
    }, { describe: describeState('agent') });
    // The sync that wrote this status asks to look again after minReadySeconds.
    await waitFor(() => clock.pendingTimers() > timersBefore);
    clock.advance(10_001);
    await waitFor(async () => (await getDs('agent')).status?.numberAvailable === 1, { describe: describeState('agent') });
  });
});
