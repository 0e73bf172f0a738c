/**
 * Registry behaviour that HTTP tests cannot steer: generated names that collide (upstream's
 * RetryGenerateName draws another name instead of failing the create).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isAlreadyExists } from '../api/errors.js';
import { MemoryStore } from '../store/index.js';
import { Registry } from './registry.js';
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
