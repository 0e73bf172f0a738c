/**
 * The namespace controller (with the garbage collector beside it, as in a running control plane)
 * against the real API server on the in-memory store, through LocalClient.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError, isNotFound } from '../../api/errors.js';
import type { DaemonSet, KubeObject, Namespace, Pod, WatchEventType } from '../../api/types.js';
import { LocalClient } from '../../apiserver/local-client.js';
import { ApiServer } from '../../apiserver/server.js';
import { refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { GarbageCollector } from '../garbagecollector/garbage-collector.js';
import { waitFor } from '../../testing/controllers.js';
import { NamespaceController } from './namespace-controller.js';

/** The server adds `kubernetes` on create; spelled out so the test does not depend on it. */
function namespace(name: string): Namespace {
  return { metadata: { name }, spec: { finalizers: ['kubernetes'] } };
}

function daemonSet(name: string): DaemonSet {
  return {
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
    },
  };
}

function pod(name: string, extra: { nodeName?: string; finalizers?: string[]; owner?: KubeObject } = {}): Pod {
  const { nodeName, finalizers, owner } = extra;
  return {
    metadata: {
      name,
      ...(finalizers ? { finalizers } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...(nodeName ? { nodeName } : {}) },
  };
}

async function namespaceGone(client: Client, name: string): Promise<boolean> {
  try {
    await client.get(refs.namespaces, undefined, name);
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

async function contentOf(client: Client, ns: string): Promise<string[]> {
  const names: string[] = [];
  for (const ref of [refs.pods, refs.configmaps, refs.secrets, refs.daemonsets, refs.controllerrevisions, refs.leases, refs.events]) {
    for (const item of (await client.list(ref, { namespace: ns })).items) names.push(`${ref.resource}/${item.metadata.name}`);
  }
  return names;
}

describe('NamespaceController', () => {
  let server: ApiServer;
  let client: Client;
  let controller: NamespaceController;
  let gc: GarbageCollector;
  const logs: string[] = [];

  before(async () => {
    server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    client = new LocalClient(server.registry);
    const log = (message: string, fields?: Record<string, unknown>) => logs.push(`${message} ${JSON.stringify(fields)}`);
    controller = new NamespaceController({ client, log, recheckDelayMs: 10 });
    gc = new GarbageCollector({ client, log });
    await controller.start();
    await gc.start();
  });

  after(async () => {
    await controller?.stop();
    await gc?.stop();
    await server?.close();
  });

  const describeState = (ns: string) => async () => ({
    namespace: await client.get(refs.namespaces, undefined, ns).catch((e: unknown) => String(e)),
    content: await contentOf(client, ns),
    logs: logs.slice(-10),
  });

  it('deletes the content of a namespace, then the namespace', async () => {
    await client.create(refs.namespaces, undefined, namespace('team'));
    const ds = await client.create(refs.daemonsets, 'team', daemonSet('agent'));
    await client.create(refs.pods, 'team', pod('agent-a', { owner: ds }));
    await client.create(refs.configmaps, 'team', { metadata: { name: 'settings' }, data: { a: '1' } });
    await client.create(refs.secrets, 'team', { metadata: { name: 'token' }, stringData: { t: 'x' } });
    await client.create(refs.configmaps, 'default', { metadata: { name: 'bystander' } });
    const events: string[] = [];
    const watches = [refs.namespaces, refs.pods, refs.configmaps, refs.daemonsets].map((ref) =>
      client.watch(ref, {}, (type: WatchEventType, obj: KubeObject) => {
        if (type === 'DELETED') events.push(`${ref.resource}/${obj.metadata.name}`);
      }),
    );

    await client.delete(refs.namespaces, undefined, 'team');

    await waitFor(() => namespaceGone(client, 'team'), { describe: describeState('team') });
    watches.forEach((w) => w.stop());
    assert.deepEqual(await contentOf(client, 'team'), []);
    assert.equal(events.at(-1), 'namespaces/team', `the namespace goes last: ${events.join(', ')}`);
    assert.ok((await client.get(refs.configmaps, 'default', 'bystander')).metadata.uid, 'other namespaces are untouched');
  });

  it('refuses to create in a terminating namespace, and waits for objects with finalizers', async () => {
    await client.create(refs.namespaces, undefined, namespace('held'));
    await client.create(refs.pods, 'held', pod('held-pod', { finalizers: ['example.com/hold'] }));

    await client.delete(refs.namespaces, undefined, 'held');

    const marked = await waitFor(async () => {
      const held = await client.get<Pod>(refs.pods, 'held', 'held-pod');
      return held.metadata.deletionTimestamp ? held : undefined;
    }, { describe: describeState('held') });
    const ns = await client.get<Namespace>(refs.namespaces, undefined, 'held');
    assert.equal(ns.status?.phase, 'Terminating');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes'], 'not finalized while content remains');

    await assert.rejects(
      client.create(refs.configmaps, 'held', { metadata: { name: 'late' } }),
      (error: unknown) => error instanceof StatusError && error.code === 403 && error.reason === 'Forbidden',
    );

    // The finalizer's owner lets go: the pod goes, then the namespace.
    await client.patch(refs.pods, 'held', 'held-pod', 'merge', { metadata: { finalizers: null, resourceVersion: marked.metadata.resourceVersion } });
    await waitFor(() => namespaceGone(client, 'held'), { describe: describeState('held') });
  });

  it('waits for pods in their grace period', async () => {
    await client.create(refs.namespaces, undefined, namespace('graceful'));
    await client.create(refs.pods, 'graceful', pod('bound', { nodeName: 'node-1' }));

    await client.delete(refs.namespaces, undefined, 'graceful');

    await waitFor(async () => (await client.get(refs.pods, 'graceful', 'bound')).metadata.deletionTimestamp, { describe: describeState('graceful') });
    assert.equal(await namespaceGone(client, 'graceful'), false, 'the namespace waits for the terminating pod');
    // What the kubelet does once the containers have stopped.
    await client.delete(refs.pods, 'graceful', 'bound', { gracePeriodSeconds: 0 });
    await waitFor(() => namespaceGone(client, 'graceful'), { describe: describeState('graceful') });
  });

  it('leaves a namespace that is not being deleted alone', async () => {
    await client.create(refs.namespaces, undefined, namespace('calm'));
    await client.create(refs.configmaps, 'calm', { metadata: { name: 'keep' } });
    // Let a deletion elsewhere run to completion, so the controller has demonstrably been working.
    await client.create(refs.namespaces, undefined, namespace('busy'));
    await client.delete(refs.namespaces, undefined, 'busy');
    await waitFor(() => namespaceGone(client, 'busy'), { describe: describeState('busy') });
    assert.deepEqual(await contentOf(client, 'calm'), ['configmaps/keep']);
  });
});

describe('NamespaceController at start', () => {
  it('finishes deleting a namespace that was marked while it was not running', async () => {
    const server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    const client = new LocalClient(server.registry);
    await client.create(refs.namespaces, undefined, namespace('earlier'));
    await client.create(refs.configmaps, 'earlier', { metadata: { name: 'left-behind' } });
    await client.delete(refs.namespaces, undefined, 'earlier');
    const controller = new NamespaceController({ client, recheckDelayMs: 10 });
    try {
      await controller.start();
      await waitFor(() => namespaceGone(client, 'earlier'));
      assert.deepEqual(await contentOf(client, 'earlier'), []);
    } finally {
      await controller.stop();
      await server.close();
    }
  });
});
