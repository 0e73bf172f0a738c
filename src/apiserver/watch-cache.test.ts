import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../api/errors.js';
import { MemoryStore } from '../store/index.js';
import { findResource, storageKey } from './resources.js';
import { WatchCache, type CacheEventType } from './watch-cache.js';

const configmaps = findResource('', 'v1', 'configmaps')!;
const key = (name: string) => storageKey(configmaps, 'default', name);
const configMap = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels } });

async function startCache(historySize: number) {
  const store = new MemoryStore();
  await store.create(key('before-start'), configMap('before-start'));
  await store.create(key('also-before'), configMap('also-before'));
  const cache = new WatchCache(store, { historySize });
  await cache.start();
  return { store, cache };
}

describe('WatchCache', () => {
  it('watch() from 0 sends the current objects as ADDED, then later events', async () => {
    const { store, cache } = await startCache(100);
    const seen: string[] = [];
    cache.watch({ resource: configmaps, onEvent: (type, o) => seen.push(`${type} ${o.object.metadata.name}`) });
    await store.create(key('a'), configMap('a'));
    assert.deepEqual(seen, ['ADDED also-before', 'ADDED before-start', 'ADDED a']);
  });

  it('watch() from a kept revision replays only the events after it', async () => {
    const { store, cache } = await startCache(100);
    const a = await store.create(key('a'), configMap('a'));
    await store.create(key('b'), configMap('b'));
    const seen: string[] = [];
    cache.watch({ resource: configmaps, fromRevision: a.revision, onEvent: (type, o) => seen.push(`${type} ${o.object.metadata.name}`) });
    assert.deepEqual(seen, ['ADDED b']);
  });

  it('watch() from a revision before the cache started, or trimmed from history, throws 410 Expired', async () => {
    const { store, cache } = await startCache(4);
    const startRevision = cache.revision();
    assert.throws(
      () => cache.watch({ resource: configmaps, fromRevision: startRevision - 1, onEvent: () => {} }),
      (e: unknown) => e instanceof StatusError && e.code === 410 && e.reason === 'Expired' && /too old resource version/.test(e.message),
    );
    const first = await store.create(key('x0'), configMap('x0'));
    for (let i = 1; i < 10; i++) await store.create(key(`x${i}`), configMap(`x${i}`));
    assert.throws(() => cache.watch({ resource: configmaps, fromRevision: first.revision, onEvent: () => {} }), (e: unknown) => e instanceof StatusError && e.code === 410);
    // The newest events are still there.
    const seen: string[] = [];
    cache.watch({ resource: configmaps, fromRevision: cache.revision() - 2, onEvent: (_, o) => seen.push(o.object.metadata.name!) });
    assert.deepEqual(seen, ['x8', 'x9']);
  });

  it('keeps history within its byte bound too: big objects leave it sooner', async () => {
    const store = new MemoryStore();
    const cache = new WatchCache(store, { historySize: 1000, historyBytes: 10_000 });
    await cache.start();
    const big = (name: string) => ({ ...configMap(name), data: { blob: 'x'.repeat(2_000) } });
    const first = await store.create(key('big-0'), big('big-0'));
    for (let i = 1; i < 10; i++) await store.create(key(`big-${i}`), big(`big-${i}`));
    assert.throws(() => cache.watch({ resource: configmaps, fromRevision: first.revision, onEvent: () => {} }), (e: unknown) => e instanceof StatusError && e.code === 410);
    const seen: string[] = [];
    cache.watch({ resource: configmaps, fromRevision: cache.revision() - 3, onEvent: (_, o) => seen.push(o.object.metadata.name!) });
    assert.deepEqual(seen, ['big-7', 'big-8', 'big-9']);
  });

  it('a filtered watch sees objects enter the filter as ADDED and leave it as DELETED', async () => {
    const { store, cache } = await startCache(100);
    const seen: CacheEventType[] = [];
    cache.watch({ resource: configmaps, fromRevision: cache.revision(), filter: (o) => o.labels()?.team === 'a', onEvent: (type) => seen.push(type) });
    const created = await store.create(key('m'), configMap('m', { team: 'b' }));
    const entered = await store.update(key('m'), configMap('m', { team: 'a' }), created.revision);
    const changed = await store.update(key('m'), { ...configMap('m', { team: 'a' }), data: { x: '1' } }, entered.revision);
    await store.update(key('m'), configMap('m', { team: 'c' }), changed.revision);
    assert.deepEqual(seen, ['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('judges a filtered watch without parsing any JSON: the store hands over what it wrote, and labels are kept per version', async () => {
    const { store, cache } = await startCache(100);
    const seen: string[] = [];
    cache.watch({ resource: configmaps, fromRevision: cache.revision(), filter: (o) => o.labels()?.team === 'a', onEvent: (type, o) => seen.push(`${type} ${o.object.metadata.name}`) });
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      parses++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      const created = await store.create(key('p'), configMap('p', { team: 'a' }));
      const updated = await store.update(key('p'), { ...configMap('p', { team: 'a' }), data: { x: '1' } }, created.revision);
      await store.update(key('p'), configMap('p', { team: 'b' }), updated.revision);
    } finally {
      JSON.parse = parse;
    }
    assert.deepEqual(seen, ['ADDED p', 'MODIFIED p', 'DELETED p']);
    assert.equal(parses, 0);
    // Delivered versions keep only their JSON.
    assert.equal(cache.get(configmaps, key('p'))!.isParsed, false);
  });

  it('a failing watcher does not break the write that emits the event', async () => {
    const { store, cache } = await startCache(100);
    cache.watch({ resource: configmaps, fromRevision: cache.revision(), onEvent: () => { throw new Error('boom'); } });
    const original = console.error;
    console.error = () => {};
    try {
      const written = await store.create(key('safe'), configMap('safe'));
      assert.equal(cache.get(configmaps, key('safe'))?.revision, written.revision);
    } finally {
      console.error = original;
    }
  });
});
