import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../store/index.js';
import { WatchReader } from '../testing/http.js';
import { findResource } from './resources.js';
import { ApiServer, parseResourcePath } from './server.js';

describe('parseResourcePath()', () => {
  const cases: { name: string; group: string; version: string; rest: string[]; want?: { resource: string; namespace?: string; name?: string; subresource?: string } }[] = [
    { name: 'cluster-wide pod list', group: '', version: 'v1', rest: ['pods'], want: { resource: 'pods' } },
    { name: 'namespaced pod', group: '', version: 'v1', rest: ['namespaces', 'ns', 'pods', 'p'], want: { resource: 'pods', namespace: 'ns', name: 'p' } },
    { name: 'pod status', group: '', version: 'v1', rest: ['namespaces', 'ns', 'pods', 'p', 'status'], want: { resource: 'pods', namespace: 'ns', name: 'p', subresource: 'status' } },
    { name: 'a namespace', group: '', version: 'v1', rest: ['namespaces', 'ns'], want: { resource: 'namespaces', name: 'ns' } },
    { name: 'namespace status', group: '', version: 'v1', rest: ['namespaces', 'ns', 'status'], want: { resource: 'namespaces', name: 'ns', subresource: 'status' } },
    { name: 'namespace finalize', group: '', version: 'v1', rest: ['namespaces', 'ns', 'finalize'], want: { resource: 'namespaces', name: 'ns', subresource: 'finalize' } },
    { name: 'daemonsets in a namespace', group: 'apps', version: 'v1', rest: ['namespaces', 'ns', 'daemonsets'], want: { resource: 'daemonsets', namespace: 'ns' } },
    { name: 'a node', group: '', version: 'v1', rest: ['nodes', 'n1'], want: { resource: 'nodes', name: 'n1' } },
    { name: 'nodes are not namespaced', group: '', version: 'v1', rest: ['namespaces', 'ns', 'nodes'] },
    { name: 'unknown resource', group: 'apps', version: 'v1', rest: ['widgets'] },
    { name: 'unknown version', group: 'apps', version: 'v2', rest: ['daemonsets'] },
    { name: 'too deep', group: '', version: 'v1', rest: ['pods', 'a', 'b', 'c'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const info = parseResourcePath(c.group, c.version, c.rest);
      if (!c.want) return assert.equal(info, undefined);
      assert.ok(info);
      assert.deepEqual({ resource: info.resource.resource, namespace: info.namespace, name: info.name, subresource: info.subresource }, { namespace: undefined, name: undefined, subresource: undefined, ...c.want });
    });
  }
});

describe('ApiServer', () => {
  it('start() creates the built-in namespaces and priority classes once', async () => {
    const store = new MemoryStore();
    const first = new ApiServer({ store });
    await first.start();
    const revision = store.currentRevision();
    await first.close();
    const second = new ApiServer({ store });
    await second.start();
    assert.equal(store.currentRevision(), revision, 'a second start writes nothing');
    const names = (await store.list('/registry/namespaces/')).items.map((i) => i.key);
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system'].map((n) => `/registry/namespaces/${n}`));
    await second.close();
  });

  it('streams a long list in chunks that still make one valid List, every item once', async () => {
    const store = new MemoryStore();
    const server = new ApiServer({ store });
    await server.start();
    const { port } = await server.listen(0);
    const configmaps = { resource: findResource('', 'v1', 'configmaps')!, namespace: 'default' };
    for (let i = 0; i < 600; i++) {
      await server.registry.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(3, '0')}` } }, {});
    }
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/configmaps`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), null, 'chunked, not buffered whole');
    const list = (await response.json()) as { kind: string; items: { metadata: { name: string } }[] };
    assert.equal(list.kind, 'ConfigMapList');
    assert.deepEqual(list.items.map((item) => item.metadata.name), Array.from({ length: 600 }, (_, i) => `cm-${String(i).padStart(3, '0')}`));
    await server.close();
  });

  it('sends bookmarks to watches that ask for them, carrying the current revision', async () => {
    const store = new MemoryStore();
    const server = new ApiServer({ store, bookmarkIntervalMs: 20 });
    await server.start();
    const { port } = await server.listen(0);
    const reader = new WatchReader(`http://127.0.0.1:${port}`, `/api/v1/namespaces?watch=true&allowWatchBookmarks=true&resourceVersion=${store.currentRevision()}`);
    const event = await reader.next();
    assert.equal(event.type, 'BOOKMARK');
    assert.deepEqual(event.object, { kind: 'Namespace', apiVersion: 'v1', metadata: { resourceVersion: String(store.currentRevision()) } });
    reader.close();
    await server.close();
  });

  it('flushes watch headers at once, before any event', { timeout: 10_000 }, async () => {
    const store = new MemoryStore();
    const server = new ApiServer({ store });
    await server.start();
    const { port } = await server.listen(0);
    const reader = new WatchReader(`http://127.0.0.1:${port}`, `/api/v1/namespaces?watch=true&resourceVersion=${store.currentRevision()}`);
    await reader.headers;
    await assert.rejects(reader.next(50), /no watch event/);
    reader.close();
    await server.close();
  });

  it('compacts the store to the revision seen one interval earlier', async () => {
    const store = new MemoryStore();
    const server = new ApiServer({ store, compactionIntervalMs: 10 });
    await server.start();
    const target = store.currentRevision();
    const deadline = Date.now() + 5000;
    while (store.compactedRevision() < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(store.compactedRevision() >= target);
    await server.close();
  });
});
