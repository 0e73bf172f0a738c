/**
 * Registry behaviour that HTTP tests cannot steer: generated names that collide (upstream's
 * RetryGenerateName draws another name instead of failing the create).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isAlreadyExists } from '../api/errors.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, SqliteStore } from '../store/index.js';
import { Registry, generateName } from './registry.js';
import { findResource } from './resources.js';
import { WatchCache } from './watch-cache.js';

const configmaps = { resource: findResource('', 'v1', 'configmaps')!, namespace: 'default' };
const namespaces = { resource: findResource('', 'v1', 'namespaces')! };

describe('Registry: generateName', () => {
  let cache: WatchCache;
  let names: string[];
  let registry: Registry;

  beforeEach(async () => {
    const store = new MemoryStore();
    cache = new WatchCache(store);
    await cache.start();
    names = [];
    registry = new Registry({ store, cache, generateName: (base) => base + (names.shift() ?? 'zzzzz') });
    await registry.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  });

  afterEach(() => cache.stop());

  const createGenerated = () => registry.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } });

  it('generates five characters of upstream\'s alphabet after the base, trimmed to 63, and different names each time', () => {
    const names = Array.from({ length: 1000 }, () => generateName('nginx-agent-'));
    for (const name of names) assert.match(name, /^nginx-agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.ok(new Set(names).size > 990, 'random suffixes');
    assert.equal(generateName('x'.repeat(70)).length, 63);
  });

  it('draws another name when the generated one is taken', async () => {
    names.push('bbbbb', 'bbbbb', 'ccccc');
    assert.equal((await createGenerated()).object.metadata.name, 'cm-bbbbb');
    assert.equal((await createGenerated()).object.metadata.name, 'cm-ccccc');
  });

  it('gives up with AlreadyExists after eight taken names', async () => {
    names.push('bbbbb');
    await createGenerated();
    names.push(...Array(8).fill('bbbbb'), 'ccccc');
    await assert.rejects(createGenerated(), (error) => isAlreadyExists(error));
    assert.equal(names.length, 1, 'eight attempts, no more');
  });

  it('does not retry a name the client chose', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fixed' } };
    await registry.create(configmaps, body);
    await assert.rejects(registry.create(configmaps, structuredClone(body)), (error) => isAlreadyExists(error));
  });
});

describe('Registry: a patch racing another write', () => {
  it('waits for the other write to land and applies the patch on top, instead of answering 409', async () => {
    // SQLite commits in another thread, so the update is still in flight when the patch conflicts.
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    const store = await SqliteStore.open({ path: join(dir, 'everynode.db') });
    const cache = new WatchCache(store);
    await cache.start();
    try {
      const registry = new Registry({ store, cache });
      await registry.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      const created = await registry.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
      // The update is accepted but not yet committed when the patch reads the object.
      const update = registry.update(configmaps, 'cm', { ...created.object, data: { a: '2' } });
      const patch = registry.patch(configmaps, 'cm', 'merge', { data: { b: '1' } });
      await update;
      const patched = await patch;
      assert.deepEqual((patched.object as { data?: unknown }).data, { a: '2', b: '1' });
    } finally {
      cache.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
