/**
 * The contract every `Store` backend must pass (see `types.ts`). Each backend's test file calls
 * `runStoreContract` with a factory; backends that persist pass `reopen` to run the restart cases too.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../api/errors.js';
import type { Store, StoreEvent, StoredObject } from './types.js';

export interface StoreContractOptions {
  /** Names the suite, e.g. `memory` or `sqlite`. */
  name: string;
  /** A fresh, empty store. The suite closes it. */
  newStore: () => Promise<Store>;
  /** Closes `store` and opens the same data again. Without it the persistence cases are skipped. */
  reopen?: (store: Store) => Promise<Store>;
}

const timeout = 20_000;

/** Defines (with `describe`/`it`) the store contract suite for one backend. */
export function runStoreContract(options: StoreContractOptions): void {
  const { name, newStore, reopen } = options;

  /** Runs `body` on a fresh store and closes whichever store it ends with (it may reopen). */
  function withStore(body: (store: Store) => Promise<Store | void>): () => Promise<void> {
    return async () => {
      let store = await newStore();
      try {
        store = (await body(store)) ?? store;
      } finally {
        await store.close();
      }
    };
  }

  describe(`${name} store contract`, { timeout }, () => {
    describe('revisions', () => {
      it('currentRevision() is 0 for a new store and each write takes the next revision', withStore(async (store) => {
        assert.equal(store.currentRevision(), 0);
        assert.equal(store.compactedRevision(), 0);
        const a = await store.create(podKey('a'), pod('a'));
        assert.equal(a.revision, 1);
        const b = await store.create(podKey('b'), pod('b'));
        assert.equal(b.revision, 2);
        const a2 = await store.update(podKey('a'), pod('a'), a.revision);
        assert.equal(a2.revision, 3);
        const gone = await store.delete(podKey('b'));
        assert.equal(gone.revision, 4);
        assert.equal(store.currentRevision(), 4);
      }));

      it('a write that fails its precondition does not use up a revision', withStore(async (store) => {
        const a = await store.create(podKey('a'), pod('a'));
        await assert.rejects(store.create(podKey('a'), pod('a')));
        await assert.rejects(store.update(podKey('a'), pod('a'), a.revision + 10));
        await assert.rejects(store.delete(podKey('missing')));
        const b = await store.create(podKey('b'), pod('b'));
        assert.equal(b.revision, a.revision + 1);
      }));
    });

    describe('create and read', () => {
      it('create() stamps resourceVersion on a copy and get() returns the same json', withStore(async (store) => {
        const object = pod('web-1');
        const created = await store.create(podKey('web-1'), object);
        assert.deepEqual(created, { key: podKey('web-1'), revision: 1, createRevision: 1, json: created.json });
        assert.equal(resourceVersionOf(created), '1');
        assert.deepEqual(JSON.parse(created.json), { ...object, metadata: { ...object.metadata, resourceVersion: '1' } });
        assert.deepEqual(object, pod('web-1'), "the caller's object is not mutated");
        assert.deepEqual(await store.get(podKey('web-1')), created);
      }));

      it('create() replaces a resourceVersion the caller sent', withStore(async (store) => {
        const created = await store.create(podKey('a'), { metadata: { name: 'a', resourceVersion: '999' } });
        assert.equal(resourceVersionOf(created), String(created.revision));
      }));

      it('create() of an existing key fails with AlreadyExists', withStore(async (store) => {
        await store.create(podKey('a'), pod('a'));
        await assertStatus(store.create(podKey('a'), pod('a')), 409, 'AlreadyExists', podKey('a'));
      }));

      it('get() of a missing key returns undefined', withStore(async (store) => {
        assert.equal(await store.get(podKey('nope')), undefined);
      }));

      it('list() returns the live objects under a prefix, sorted by key, with the current revision', withStore(async (store) => {
        for (const podName of ['web-2', 'web-10', 'api', 'web-1']) await store.create(podKey(podName), pod(podName));
        await store.create('/registry/pods/default2/web-1', pod('web-1'));
        await store.create('/registry/nodes/node-1', node('node-1'));
        await store.delete(podKey('api'));

        const pods = await store.list('/registry/pods/default/');
        assert.deepEqual(pods.items.map((item) => item.key), ['web-1', 'web-10', 'web-2'].map(podKey));
        assert.equal(pods.revision, store.currentRevision());
        assert.deepEqual(pods.items[0], await store.get(podKey('web-1')));

        assert.equal((await store.list('/registry/')).items.length, 5);
        assert.deepEqual((await store.list('/registry/services/')).items, []);
      }));
    });

    describe('update', () => {
      it('update() with the current revision writes a new version and keeps createRevision', withStore(async (store) => {
        const created = await store.create(podKey('a'), pod('a'));
        const updated = await store.update(podKey('a'), pod('a', { tier: 'web' }), created.revision);
        assert.equal(updated.revision, created.revision + 1);
        assert.equal(updated.createRevision, created.revision);
        assert.equal(resourceVersionOf(updated), String(updated.revision));
        assert.deepEqual(JSON.parse(updated.json).metadata.labels, { tier: 'web' });
        assert.deepEqual(await store.get(podKey('a')), updated);
      }));

      it('update() with a stale revision fails with Conflict and changes nothing', withStore(async (store) => {
        const created = await store.create(podKey('a'), pod('a'));
        const updated = await store.update(podKey('a'), pod('a'), created.revision);
        await assertStatus(store.update(podKey('a'), pod('a', { stale: 'yes' }), created.revision), 409, 'Conflict', podKey('a'));
        assert.deepEqual(await store.get(podKey('a')), updated);
      }));

      it('update() of a missing key fails with NotFound', withStore(async (store) => {
        await assertStatus(store.update(podKey('a'), pod('a'), 1), 404, 'NotFound', podKey('a'));
      }));
    });

    describe('delete', () => {
      it("delete() returns the last state stamped with the delete's revision", withStore(async (store) => {
        const created = await store.create(podKey('a'), pod('a', { app: 'web' }));
        const deleted = await store.delete(podKey('a'));
        assert.equal(deleted.revision, created.revision + 1);
        assert.equal(deleted.createRevision, created.revision);
        assert.equal(resourceVersionOf(deleted), String(deleted.revision));
        assert.deepEqual(JSON.parse(deleted.json).metadata.labels, { app: 'web' });
        assert.equal(await store.get(podKey('a')), undefined);
      }));

      it('delete() with expectedRevision fails with Conflict when stale and succeeds when current', withStore(async (store) => {
        const created = await store.create(podKey('a'), pod('a'));
        const updated = await store.update(podKey('a'), pod('a'), created.revision);
        await assertStatus(store.delete(podKey('a'), created.revision), 409, 'Conflict', podKey('a'));
        assert.deepEqual(await store.get(podKey('a')), updated);
        await store.delete(podKey('a'), updated.revision);
        assert.equal(await store.get(podKey('a')), undefined);
      }));

      it('delete() of a missing key fails with NotFound', withStore(async (store) => {
        await assertStatus(store.delete(podKey('a')), 404, 'NotFound', podKey('a'));
        await store.create(podKey('a'), pod('a'));
        await store.delete(podKey('a'));
        await assertStatus(store.delete(podKey('a')), 404, 'NotFound', podKey('a'));
      }));

      it('create() after delete() starts a new life with a new createRevision', withStore(async (store) => {
        await store.create(podKey('a'), pod('a'));
        await store.delete(podKey('a'));
        const again = await store.create(podKey('a'), pod('a'));
        assert.equal(again.createRevision, again.revision);
        assert.equal(again.revision, 3);
      }));
    });

    describe('writes in the same tick', () => {
      it('see each other: of two updates from the same revision exactly one wins', withStore(async (store) => {
        const created = await store.create(podKey('a'), pod('a'));
        const results = await Promise.allSettled([
          store.update(podKey('a'), pod('a', { writer: 'one' }), created.revision),
          store.update(podKey('a'), pod('a', { writer: 'two' }), created.revision),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assertStatusError(lost[0]!.reason, 409, 'Conflict', podKey('a'));
        assert.deepEqual(await store.get(podKey('a')), won[0]!.value);
      }));

      it('see each other: create, duplicate create, delete, create of one key', withStore(async (store) => {
        const [first, duplicate, deleted, second] = await Promise.allSettled([
          store.create(podKey('a'), pod('a', { life: 'one' })),
          store.create(podKey('a'), pod('a')),
          store.delete(podKey('a')),
          store.create(podKey('a'), pod('a', { life: 'two' })),
        ]);
        assert.equal(first.status, 'fulfilled');
        assert.equal(duplicate.status, 'rejected');
        assertStatusError(duplicate.status === 'rejected' ? duplicate.reason : undefined, 409, 'AlreadyExists', podKey('a'));
        assert.equal(deleted.status, 'fulfilled');
        assert.equal(second.status, 'fulfilled');
        const current = await store.get(podKey('a'));
        assert.deepEqual(JSON.parse(current!.json).metadata.labels, { life: 'two' });
        assert.equal(current!.revision, 3);
      }));

      it('get each a distinct revision, in call order', withStore(async (store) => {
        const written = await Promise.all(range(50).map((i) => store.create(podKey(`p-${i}`), pod(`p-${i}`))));
        assert.deepEqual(written.map((w) => w.revision), range(50).map((i) => i + 1));
      }));
    });

    describe('watch', () => {
      it('replays history after a past revision, then delivers live events', withStore(async (store) => {
        const a = await store.create(podKey('a'), pod('a'));
        await store.create(podKey('b'), pod('b'));
        await store.create(podKey('c'), pod('c'));
        const recorder = new Recorder();
        const handle = store.watch('/registry/pods/', a.revision, recorder.onEvent);
        assert.deepEqual(summarize(await recorder.until(2)), ['create b 2', 'create c 3']);
        await store.update(podKey('a'), pod('a'), a.revision);
        assert.deepEqual(summarize(recorder.events), ['create b 2', 'create c 3', 'update a 4']);
        handle.stop();
      }));

      it('never calls onEvent before watch() returns', withStore(async (store) => {
        await store.create(podKey('a'), pod('a'));
        const recorder = new Recorder();
        const handle = store.watch('/registry/', 0, recorder.onEvent);
        assert.equal(recorder.events.length, 0);
        await recorder.until(1);
        handle.stop();
      }));

      it('from the current revision delivers only new events', withStore(async (store) => {
        await store.create(podKey('a'), pod('a'));
        const recorder = new Recorder();
        const handle = store.watch('/registry/', store.currentRevision(), recorder.onEvent);
        await store.create(podKey('b'), pod('b'));
        assert.deepEqual(summarize(recorder.events), ['create b 2']);
        handle.stop();
      }));

      it('hands watchers the object a live write serialized, and drops it once the write is acknowledged', withStore(async (store) => {
        const handedOver: unknown[] = [];
        const events: StoreEvent[] = [];
        const handle = store.watch('/registry/', store.currentRevision(), (event) => {
          handedOver.push(event.decoded);
          events.push(event);
        });
        const created = await store.create(podKey('a'), pod('a'));
        await store.delete(podKey('a'), created.revision);
        assert.deepEqual(handedOver.map((decoded) => JSON.stringify(decoded)), events.map((event) => event.object.json));
        assert.deepEqual(events.map((event) => event.decoded), [undefined, undefined]);
        handle.stop();
      }));

      it('carries the object and the previous state of updates and deletes', withStore(async (store) => {
        const recorder = new Recorder();
        const handle = store.watch('/registry/', 0, recorder.onEvent);
        const created = await store.create(podKey('a'), pod('a'));
        const updated = await store.update(podKey('a'), pod('a', { v: '2' }), created.revision);
        const deleted = await store.delete(podKey('a'));
        const [create, update, remove] = recorder.events;
        assert.deepEqual(create, { type: 'create', key: podKey('a'), revision: 1, object: created });
        assert.deepEqual(update, { type: 'update', key: podKey('a'), revision: 2, object: updated, previous: created });
        assert.deepEqual(remove, { type: 'delete', key: podKey('a'), revision: 3, object: deleted, previous: updated });
        assert.equal(resourceVersionOf(remove!.object), '3');
        handle.stop();
      }));

      it('replays history with the same objects and previous states as live delivery', withStore(async (store) => {
        const live = new Recorder();
        const liveHandle = store.watch('/registry/', 0, live.onEvent);
        const created = await store.create(podKey('a'), pod('a'));
        await store.update(podKey('a'), pod('a', { v: '2' }), created.revision);
        await store.delete(podKey('a'));
        await store.create(podKey('a'), pod('a', { life: 'two' }));
        const replayed = new Recorder();
        const replayHandle = store.watch('/registry/', 0, replayed.onEvent);
        assert.deepEqual(await replayed.until(4), live.events);
        liveHandle.stop();
        replayHandle.stop();
      }));

      it('filters by prefix', withStore(async (store) => {
        const recorder = new Recorder();
        const handle = store.watch('/registry/nodes/', 0, recorder.onEvent);
        await store.create(podKey('a'), pod('a'));
        await store.create('/registry/nodes/node-1', node('node-1'));
        await store.create('/registry/nodesx/other', node('other'));
        await store.create(podKey('b'), pod('b'));
        await store.delete('/registry/nodes/node-1');
        assert.deepEqual(summarize(recorder.events), ['create node-1 2', 'delete node-1 5']);
        const replayed = new Recorder();
        const replayHandle = store.watch('/registry/nodes/', 0, replayed.onEvent);
        assert.deepEqual(summarize(await replayed.until(2)), ['create node-1 2', 'delete node-1 5']);
        handle.stop();
        replayHandle.stop();
      }));

      it('delivers every event once, in revision order, to watchers started before and during a storm', withStore(async (store) => {
        const early = new Recorder();
        const earlyHandle = store.watch('/registry/', 0, early.onEvent);
        const created = await Promise.all(range(200).map((i) => store.create(podKey(`p-${i}`), pod(`p-${i}`))));
        const updates = created.map((c, i) => store.update(c.key, pod(`p-${i}`, { round: '2' }), c.revision));
        // Started while the updates are accepted but not yet committed: they must arrive once, after the replay.
        const late = new Recorder();
        const lateHandle = store.watch('/registry/', 100, late.onEvent);
        const live = new Recorder();
        // Backends may commit part of the updates early (a full batch); currentRevision() says how far.
        const liveStart = store.currentRevision();
        const liveHandle = store.watch('/registry/', liveStart, live.onEvent);
        await Promise.all(updates);
        await Promise.all(range(0, 200, 2).map((i) => store.delete(podKey(`p-${i}`))));

        const total = store.currentRevision();
        assert.equal(total, 500);
        assert.deepEqual(early.events.map((e) => e.revision), range(1, total + 1));
        assert.deepEqual(late.events.map((e) => e.revision), range(101, total + 1));
        assert.deepEqual(live.events.map((e) => e.revision), range(liveStart + 1, total + 1));
        for (const handle of [earlyHandle, lateHandle, liveHandle]) handle.stop();
      }));

      it("delivers an event before the write's promise resolves", withStore(async (store) => {
        const recorder = new Recorder();
        const handle = store.watch('/registry/', 0, recorder.onEvent);
        const created = await store.create(podKey('a'), pod('a'));
        assert.equal(recorder.events.at(-1)?.revision, created.revision);
        handle.stop();
      }));

      it('stop() ends delivery and is idempotent', withStore(async (store) => {
        const recorder = new Recorder();
        const handle = store.watch('/registry/', 0, recorder.onEvent);
        await store.create(podKey('a'), pod('a'));
        handle.stop();
        handle.stop();
        await store.create(podKey('b'), pod('b'));
        assert.deepEqual(summarize(recorder.events), ['create a 1']);
      }));

      it('stop() during the replay ends it', withStore(async (store) => {
        await Promise.all(range(10).map((i) => store.create(podKey(`p-${i}`), pod(`p-${i}`))));
        const seen: StoreEvent[] = [];
        const handle = store.watch('/registry/', 0, (event) => {
          seen.push(event);
          if (seen.length === 3) handle.stop();
        });
        await store.create(podKey('after'), pod('after'));
        assert.equal(seen.length, 3);
      }));
    });

    describe('compaction', () => {
      it('watch() from below the compacted revision fails with 410 Expired', withStore(async (store) => {
        const a = await store.create(podKey('a'), pod('a'));
        await store.update(podKey('a'), pod('a'), a.revision);
        await store.compact(2);
        assert.equal(store.compactedRevision(), 2);
        assert.throws(() => store.watch('/registry/', 1, () => {}), (error: unknown) => {
          assertStatusError(error, 410, 'Expired');
          return true;
        });
        store.watch('/registry/', 2, () => {}).stop();
      }));

      it('keeps current objects and the history after the compacted revision', withStore(async (store) => {
        const a = await store.create(podKey('a'), pod('a'));
        const b = await store.create(podKey('b'), pod('b'));
        const a2 = await store.update(podKey('a'), pod('a', { v: '2' }), a.revision);
        await store.delete(podKey('b'), b.revision);
        const c = await store.create(podKey('c'), pod('c'));
        const at = store.currentRevision();
        await store.compact(at);

        assert.deepEqual((await store.list('/registry/')).items, [a2, c]);
        // The versions current at the compaction stay the "previous" of later events.
        const a3 = await store.update(podKey('a'), pod('a', { v: '3' }), a2.revision);
        const gone = await store.delete(podKey('c'));
        const recorder = new Recorder();
        const handle = store.watch('/registry/', at, recorder.onEvent);
        const [update, remove] = await recorder.until(2);
        assert.deepEqual(update, { type: 'update', key: podKey('a'), revision: a3.revision, object: a3, previous: a2 });
        assert.deepEqual(remove, { type: 'delete', key: podKey('c'), revision: gone.revision, object: gone, previous: c });
        handle.stop();
      }));

      it('compact() backwards is a no-op and compact() beyond the current revision fails', withStore(async (store) => {
        await store.create(podKey('a'), pod('a'));
        await store.create(podKey('b'), pod('b'));
        await store.compact(2);
        await store.compact(1);
        assert.equal(store.compactedRevision(), 2);
        await assert.rejects(store.compact(3), (error: unknown) => error instanceof StatusError && error.code === 400);
      }));
    });

    describe('close', () => {
      it('close() commits queued writes; further calls fail', async () => {
        const store = await newStore();
        const pending = store.create(podKey('a'), pod('a'));
        await store.close();
        assert.equal((await pending).revision, 1);
        await assert.rejects(store.get(podKey('a')), StatusError);
        await assert.rejects(store.create(podKey('b'), pod('b')), StatusError);
        assert.throws(() => store.watch('/registry/', 0, () => {}), StatusError);
        await store.close();
      });
    });

    describe('persistence', { skip: reopen ? false : 'the backend keeps nothing across a reopen' }, () => {
      const reopenStore = reopen ?? (async (store: Store) => store);

      it('keeps every object with its revisions, and the revision counter continues', withStore(async (store) => {
        const a = await store.create(podKey('a'), pod('a'));
        await store.update(podKey('a'), pod('a', { v: '2' }), a.revision);
        await store.create(podKey('b'), pod('b'));
        await store.create('/registry/nodes/node-1', node('node-1'));
        await store.delete('/registry/nodes/node-1');
        const before = await store.list('/registry/');
        const revision = store.currentRevision();

        const reopened = await reopenStore(store);
        assert.equal(reopened.currentRevision(), revision);
        assert.deepEqual(await reopened.list('/registry/'), before);
        const c = await reopened.create(podKey('c'), pod('c'));
        assert.equal(c.revision, revision + 1);
        return reopened;
      }));

      it('keeps the revision counter when the newest write was a compacted delete', withStore(async (store) => {
        await store.create(podKey('a'), pod('a'));
        await store.delete(podKey('a'));
        await store.compact(2);
        const reopened = await reopenStore(store);
        assert.equal(reopened.currentRevision(), 2);
        assert.equal(reopened.compactedRevision(), 2);
        assert.equal((await reopened.create(podKey('b'), pod('b'))).revision, 3);
        return reopened;
      }));

      it('keeps history for watch and the compacted revision', withStore(async (store) => {
        const a = await store.create(podKey('a'), pod('a'));
        const a2 = await store.update(podKey('a'), pod('a', { v: '2' }), a.revision);
        await store.compact(a2.revision);
        const a3 = await store.update(podKey('a'), pod('a', { v: '3' }), a2.revision);
        const deleted = await store.delete(podKey('a'));

        const reopened = await reopenStore(store);
        assert.equal(reopened.compactedRevision(), a2.revision);
        assert.throws(() => reopened.watch('/registry/', a.revision, () => {}), (error: unknown) => error instanceof StatusError && error.code === 410);
        const recorder = new Recorder();
        const handle = reopened.watch('/registry/', a2.revision, recorder.onEvent);
        assert.deepEqual(await recorder.until(2), [
          { type: 'update', key: podKey('a'), revision: a3.revision, object: a3, previous: a2 },
          { type: 'delete', key: podKey('a'), revision: deleted.revision, object: deleted, previous: a3 },
        ]);
        handle.stop();
        return reopened;
      }));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers.

function podKey(name: string): string {
  return `/registry/pods/default/${name}`;
}

function pod(name: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

function node(name: string) {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name } };
}

function resourceVersionOf(object: StoredObject): string {
  return (JSON.parse(object.json) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

function range(start: number, end?: number, step = 1): number[] {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  const values: number[] = [];
  for (let i = from; i < to; i += step) values.push(i);
  return values;
}

/** `create web-1 3`: type, last path segment, revision. */
function summarize(events: readonly StoreEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.key.slice(e.key.lastIndexOf('/') + 1)} ${e.revision}`);
}

function assertStatusError(error: unknown, code: number, reason: string, key?: string): void {
  assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.equal(error.reason, reason);
  if (key !== undefined) assert.equal(error.status.details?.name, key);
}

async function assertStatus(promise: Promise<unknown>, code: number, reason: string, key: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assertStatusError(error, code, reason, key);
    return true;
  });
}

/** Records watch events; `until(n)` resolves once `n` have arrived. */
class Recorder {
  readonly events: StoreEvent[] = [];
  private waiters: { count: number; resolve: (events: StoreEvent[]) => void }[] = [];

  readonly onEvent = (event: StoreEvent): void => {
    this.events.push(event);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.events.length < waiter.count) return true;
      waiter.resolve(this.events);
      return false;
    });
  };

  until(count: number): Promise<StoreEvent[]> {
    if (this.events.length >= count) return Promise.resolve(this.events);
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}
