import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { LocalClient } from '../apiserver/local-client.js';
import { ApiServer } from '../apiserver/server.js';
import { refs } from './types.js';
import { MemoryStore } from '../store/index.js';
import { FakeClock } from './clock.js';
import { Informer } from './informer.js';
import { breakableClient, waitFor } from '../testing/controllers.js';

describe('Informer', () => {
  let server: ApiServer;
  let client: ReturnType<typeof breakableClient>;

  before(async () => {
    server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    client = breakableClient(new LocalClient(server.registry));
  });

  after(async () => {
    await server?.close();
  });

  it('delivers the initial objects, then changes, and keeps a matching cache', async () => {
    await client.create(refs.configmaps, 'default', { metadata: { name: 'first' } });
    const informer = new Informer({ client, resource: refs.configmaps, query: { namespace: 'default' } });
    const seen: string[] = [];
    informer.addHandlers({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (_old, o) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    await informer.start();
    assert.equal(informer.hasSynced, true);
    assert.deepEqual(seen, ['add first']);

    await client.create(refs.configmaps, 'default', { metadata: { name: 'second' } });
    await client.patch(refs.configmaps, 'default', 'first', 'merge', { data: { a: 'b' } });
    await client.delete(refs.configmaps, 'default', 'second');
    assert.deepEqual(seen, ['add first', 'add second', 'update first', 'delete second']);
    assert.deepEqual(informer.list().map((o) => o.metadata.name), ['first']);
    assert.deepEqual(informer.get('default', 'first')?.data, { a: 'b' });
    informer.stop();
    await client.delete(refs.configmaps, 'default', 'first');
    assert.equal(seen.length, 4, 'nothing after stop()');
  });

  it('keeps indexes in step with adds, label changes, deletes and objects present before the index', async () => {
    await client.create(refs.namespaces, undefined, { metadata: { name: 'idx' } });
    await client.create(refs.configmaps, 'idx', { metadata: { name: 'early', labels: { team: 'a' } } });
    const informer = new Informer<KubeObject>({ client, resource: refs.configmaps, query: { namespace: 'idx' } });
    await informer.start();
    informer.addIndex('team', (o) => (o.metadata.labels?.team ? [o.metadata.labels.team] : []));
    const names = (team: string) => informer.byIndex('team', team).map((o) => o.metadata.name).sort();
    assert.deepEqual(names('a'), ['early']);
    const before = informer.changeCount;
    assert.equal(informer.changeCount, before, 'no change, same count');

    await client.create(refs.configmaps, 'idx', { metadata: { name: 'late', labels: { team: 'a' } } });
    assert.ok(informer.changeCount > before, 'a change moves the count');
    await client.create(refs.configmaps, 'idx', { metadata: { name: 'none' } });
    assert.deepEqual(names('a'), ['early', 'late']);
    await client.patch(refs.configmaps, 'idx', 'late', 'merge', { metadata: { labels: { team: 'b' } } });
    assert.deepEqual(names('a'), ['early']);
    assert.deepEqual(names('b'), ['late']);
    await client.delete(refs.configmaps, 'idx', 'early');
    assert.deepEqual(names('a'), []);
    assert.throws(() => informer.byIndex('missing', 'x'), /no index missing/);
    assert.throws(() => informer.addIndex('team', () => []), /already exists/);
    informer.stop();
  });

  it('lists again after a broken watch and reports what changed meanwhile', async () => {
    const clock = new FakeClock();
    for (const name of ['stays', 'changes', 'goes']) await client.create(refs.configmaps, 'default', { metadata: { name } });
    const informer = new Informer<KubeObject>({ client, resource: refs.configmaps, query: { namespace: 'default' }, clock });
    const seen: string[] = [];
    informer.addHandlers({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (_old, o) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    await informer.start();
    seen.length = 0;

    client.breakWatches();
    await client.patch(refs.configmaps, 'default', 'changes', 'merge', { data: { v: '2' } });
    await client.delete(refs.configmaps, 'default', 'goes');
    await client.create(refs.configmaps, 'default', { metadata: { name: 'arrives' } });
    assert.equal(seen.length, 0, 'nothing is heard while disconnected');

    clock.advance(100);
    await waitFor(() => seen.length >= 3);
    assert.deepEqual(seen.sort(), ['add arrives', 'delete goes', 'update changes']);

    // Watching again: later changes arrive as events.
    await client.delete(refs.configmaps, 'default', 'stays');
    assert.equal(seen.includes('delete stays'), true);
    informer.stop();
  });
});
