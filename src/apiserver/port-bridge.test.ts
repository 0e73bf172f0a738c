/**
 * The worker-thread client path: `PortClient` on one end of a MessageChannel, `servePort` over a real
 * API server's registry on the other (a channel works within one thread, so no worker is needed here;
 * the lab's e2e tests run it across threads).
 */
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StatusError } from '../api/errors.js';
import type { KubeObject, WatchEventType } from '../api/types.js';
import { PortClient, refs } from '../client/index.js';
import { MemoryStore } from '../store/index.js';
import { servePort, type PortBridge } from './port-bridge.js';
import { ApiServer } from './server.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

function statusOf(error: unknown): { code: number; reason?: string } {
  assert.ok(error instanceof StatusError, `a StatusError, got ${String(error)}`);
  return { code: error.code, reason: error.reason };
}

describe('PortClient over servePort', () => {
  let server: ApiServer;
  let bridge: PortBridge;
  let client: PortClient;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    const channel = new MessageChannel();
    bridge = servePort(server.registry, channel.port1);
    client = new PortClient(channel.port2);
  });

  afterEach(async () => {
    client.close();
    bridge.close();
    await server.close();
  });

  it('creates, reads, lists, updates, patches and deletes with the server defaults', async () => {
    const created = await client.create(refs.configmaps, 'default', cm('a', { k: 'v' }));
    assert.ok(created.metadata.uid && created.metadata.resourceVersion);
    const got = await client.get<ConfigMap>(refs.configmaps, 'default', 'a');
    assert.deepEqual(got, created);
    const updated = await client.update(refs.configmaps, 'default', { ...got, data: { k: 'w' } });
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
    const patched = await client.patch<ConfigMap>(refs.configmaps, 'default', 'a', 'merge', { data: { extra: 'x' } });
    assert.deepEqual(patched.data, { k: 'w', extra: 'x' });
    const list = await client.list<ConfigMap>(refs.configmaps, { namespace: 'default' });
    assert.equal(list.kind, 'ConfigMapList');
    assert.equal(list.apiVersion, 'v1');
    assert.deepEqual(list.items.map((item) => item.metadata.name), ['a']);
    assert.ok(Number(list.metadata.resourceVersion) >= Number(patched.metadata.resourceVersion));
    await client.delete(refs.configmaps, 'default', 'a');
    await assert.rejects(client.get(refs.configmaps, 'default', 'a'), (error) => statusOf(error).code === 404);
  });

  it('fails as the server answers: 409 AlreadyExists, 409 Conflict, 422 Invalid, 404 for an unknown resource', async () => {
    const created = await client.create(refs.configmaps, 'default', cm('a'));
    await assert.rejects(client.create(refs.configmaps, 'default', cm('a')), (error) => statusOf(error).reason === 'AlreadyExists');
    await client.update(refs.configmaps, 'default', { ...created, data: { k: '1' } });
    await assert.rejects(client.update(refs.configmaps, 'default', { ...created, data: { k: '2' } }), (error) => statusOf(error).reason === 'Conflict');
    await assert.rejects(client.create(refs.configmaps, 'default', cm('Not_A_Name')), (error) => statusOf(error).code === 422);
    await assert.rejects(client.get({ group: 'nope', version: 'v1', resource: 'things' }, undefined, 'x'), (error) => statusOf(error).code === 404);
  });

  it("delivers a write's watch events before its answer, one parsed object shared by every watch", async () => {
    const seen: { watch: number; type: WatchEventType; obj: KubeObject }[] = [];
    const rv = (await client.list(refs.configmaps, { namespace: 'default' })).metadata.resourceVersion;
    const first = client.watch(refs.configmaps, { namespace: 'default', resourceVersion: rv }, (type, obj) => seen.push({ watch: 1, type, obj }));
    const second = client.watch(refs.configmaps, { namespace: 'default', resourceVersion: rv }, (type, obj) => seen.push({ watch: 2, type, obj }));
    const created = await client.create(refs.configmaps, 'default', cm('a'));
    assert.deepEqual(seen.map((e) => [e.watch, e.type, e.obj.metadata.name]), [
      [1, 'ADDED', 'a'],
      [2, 'ADDED', 'a'],
    ]);
    assert.equal(seen[0]!.obj, seen[1]!.obj);
    assert.equal(seen[0]!.obj.metadata.resourceVersion, created.metadata.resourceVersion);
    first.stop();
    await client.delete(refs.configmaps, 'default', 'a');
    assert.deepEqual(seen.slice(2).map((e) => [e.watch, e.type]), [[2, 'DELETED']]);
    second.stop();
  });

  it('lists running at once share their parsed items; a later list parses afresh', async () => {
    await client.create(refs.configmaps, 'default', cm('a'));
    const [first, second] = await Promise.all([client.list(refs.configmaps, { namespace: 'default' }), client.list(refs.configmaps, { namespace: 'default' })]);
    assert.equal(first.items[0], second.items[0]);
    const later = await client.list(refs.configmaps, { namespace: 'default' });
    assert.notEqual(later.items[0], first.items[0]);
    assert.deepEqual(later.items[0], first.items[0]);
  });

  it('filters watches by label selector on the server side', async () => {
    const seen: string[] = [];
    client.watch(refs.configmaps, { namespace: 'default', labelSelector: 'app=x' }, (type, obj) => seen.push(`${type} ${obj.metadata.name}`));
    await client.create(refs.configmaps, 'default', { ...cm('plain') });
    await client.create(refs.configmaps, 'default', { ...cm('labelled'), metadata: { name: 'labelled', labels: { app: 'x' } } });
    assert.deepEqual(seen, ['ADDED labelled']);
  });

  it('ends a watch from before the watch cache began with 410 through onError', async () => {
    // A second server over a store that already holds writes: its cache begins after them.
    const store = new MemoryStore();
    for (let i = 0; i < 3; i++) await store.create(`/registry/configmaps/default/c${i}`, cm(`c${i}`));
    const late = new ApiServer({ store });
    await late.start();
    const channel = new MessageChannel();
    const lateBridge = servePort(late.registry, channel.port1);
    const lateClient = new PortClient(channel.port2);
    try {
      const failure = await new Promise<unknown>((resolve) => {
        lateClient.watch(refs.configmaps, { namespace: 'default', resourceVersion: '1' }, () => assert.fail('no events from an expired revision'), resolve);
      });
      assert.equal(statusOf(failure).code, 410);
    } finally {
      lateClient.close();
      lateBridge.close();
      await late.close();
    }
  });

  it('works on at most writesInFlight of the port writes at once, and answers every one', async () => {
    const registry = server.registry;
    const create = registry.create.bind(registry);
    let inFlight = 0;
    let most = 0;
    registry.create = (async (...args: Parameters<typeof create>) => {
      most = Math.max(most, ++inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return await create(...args);
      } finally {
        inFlight--;
      }
    }) as typeof registry.create;
    const channel = new MessageChannel();
    const limited = servePort(registry, channel.port1, { writesInFlight: 4 });
    const limitedClient = new PortClient(channel.port2);
    try {
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => limitedClient.create(refs.configmaps, 'default', cm(`c${i}`))));
      assert.equal(created.length, 20);
      assert.equal(most, 4);
      // Reads are not counted: a GET behind a full set of writes is still answered.
      const got = await limitedClient.get<ConfigMap>(refs.configmaps, 'default', 'c19');
      assert.equal(got.metadata.name, 'c19');
    } finally {
      limitedClient.close();
      limited.close();
    }
  });

  it('fails calls in flight and later ones once closed', async () => {
    const pending = client.get(refs.configmaps, 'default', 'a');
    client.close();
    await assert.rejects(pending, (error) => statusOf(error).code === 503);
    await assert.rejects(client.list(refs.configmaps), (error) => statusOf(error).code === 503);
  });
});
