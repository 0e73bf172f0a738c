/**
 * Events expire one TTL after their last write, as under kube-apiserver's `--event-ttl`.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryStore } from '../store/index.js';
import { EventExpiry, deletesPerSweep } from './event-ttl.js';
import { Registry } from './registry.js';
import { findResource, storageKey } from './resources.js';
import { WatchCache, type CacheEventType } from './watch-cache.js';

const eventsResource = findResource('', 'v1', 'events')!;
const events = { resource: eventsResource, namespace: 'default' };
const namespaces = { resource: findResource('', 'v1', 'namespaces')! };
const ttlMs = 60_000;

const event = (name: string, count = 1) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web-1 to node-1',
  count,
});

/** Lets the store's commits and the deletes a sweep issued settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('EventExpiry', () => {
  let store: MemoryStore;
  let cache: WatchCache;
  let registry: Registry;
  let now: number;
  let expiry: EventExpiry;
  let logged: string[];

  beforeEach(async () => {
    store = new MemoryStore();
    cache = new WatchCache(store);
    await cache.start();
    now = 1_000_000;
    registry = new Registry({ store, cache, now: () => now });
    await registry.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    logged = [];
    expiry = new EventExpiry({ store, cache, events: eventsResource, ttlMs, now: () => now, log: (m) => logged.push(m) });
  });

  afterEach(() => {
    expiry.stop();
    cache.stop();
  });

  const names = () => registry.list(events, {}).items.map((item) => item.object.metadata.name);
  /** Sweeps, lets the deletes commit, and names the events left. */
  const sweep = async () => {
    expiry.sweep();
    await settle();
    return names();
  };

  it('deletes an event one TTL after its last write, and watchers see it go', async () => {
    expiry.start();
    await registry.create(events, event('a'));
    now += 10_000;
    await registry.create(events, event('b'));
    const seen: [CacheEventType, string][] = [];
    const stopWatch = cache.watch({ resource: eventsResource, fromRevision: cache.revision(), onEvent: (type, cached) => seen.push([type, cached.object.metadata.name!]) });

    now += ttlMs - 10_000 - 1;
    assert.deepEqual(await sweep(), ['a', 'b'], 'a has 1 ms left');

    now += 1;
    assert.deepEqual(await sweep(), ['b']);
    assert.deepEqual(seen, [['DELETED', 'a']]);

    now += 10_000;
    assert.deepEqual(await sweep(), []);
    stopWatch();
    assert.deepEqual(logged, []);
  });

  it('renews the TTL on every write of the event, as a recorder counting repeats does', async () => {
    expiry.start();
    const first = await registry.create(events, event('a'));
    now += ttlMs - 1000;
    await registry.update(events, 'a', { ...event('a', 2), metadata: { name: 'a', resourceVersion: first.object.metadata.resourceVersion } });
    now += 1000;
    assert.deepEqual(await sweep(), ['a']);
    now += ttlMs;
    assert.deepEqual(await sweep(), []);
  });

  it('deletes a bounded number per sweep, oldest first, and the rest on the next sweeps', async () => {
    expiry.start();
    const count = deletesPerSweep + deletesPerSweep / 2;
    for (let i = 0; i < count; i++) await registry.create(events, event(`e-${String(i).padStart(4, '0')}`));
    now += ttlMs;
    const left = await sweep();
    assert.equal(left.length, count - deletesPerSweep);
    assert.equal(left[0], `e-${String(deletesPerSweep).padStart(4, '0')}`, 'the oldest went first');
    assert.deepEqual(await sweep(), []);
  });

  it('gives events stored before the start one TTL from the start', async () => {
    await registry.create(events, event('old'));
    now += 5 * ttlMs;
    expiry.start();
    assert.deepEqual(await sweep(), ['old']);
    now += ttlMs;
    assert.deepEqual(await sweep(), []);
  });

  it('leaves an event alone that was written again after its expiry was noted, and one already deleted', async () => {
    expiry.start();
    const a = await registry.create(events, event('a'));
    await registry.create(events, event('b'));
    now += ttlMs;
    // Both writes land in the same turn as the sweep, before the watch cache has seen them.
    const update = store.update(storageKey(eventsResource, 'default', 'a'), { ...event('a', 2), metadata: { name: 'a', namespace: 'default' } } as never, Number(a.object.metadata.resourceVersion));
    const deletion = store.delete(storageKey(eventsResource, 'default', 'b'));
    expiry.sweep();
    await Promise.all([update, deletion]);
    await settle();
    assert.deepEqual(names(), ['a']);
    assert.deepEqual(logged, [], 'a conflict or a missing event is not worth a log line');
  });
});
