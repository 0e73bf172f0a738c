import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { StatusError } from '../api/errors.js';
import { runStoreContract } from './contract.js';
import { compactionStepRevisions } from './group-commit.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { Store, StoreEvent } from './types.js';

const tempRoot = mkdtempSync(join(tmpdir(), 'everynode-sqlite-'));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

let databases = 0;
/** A path in a directory that does not exist yet, which `open` must create. */
function freshPath(): string {
  return join(tempRoot, `db-${++databases}`, 'state.db');
}

/** A contract run over files, where `reopen` closes the store and opens its file again with the same options. */
function fileBackedContract(name: string, options: Omit<SqliteStoreOptions, 'path'>): void {
  const paths = new WeakMap<Store, string>();
  const open = (path: string): Store => {
    const store = SqliteStore.open({ ...options, path });
    paths.set(store, path);
    return store;
  };
  runStoreContract({
    name,
    newStore: async () => open(freshPath()),
    reopen: async (store) => {
      const path = paths.get(store)!;
      await store.close();
      return open(path);
    },
  });
}

fileBackedContract('sqlite', {});
// Tiny batches and NORMAL sync: every multi-write case also crosses early commits.
fileBackedContract('sqlite (synchronous=NORMAL, maxBatch=7)', { synchronous: 'NORMAL', maxBatch: 7 });
runStoreContract({ name: 'sqlite :memory:', newStore: async () => SqliteStore.open({ path: ':memory:' }) });

function pod(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels } };
}

const podKey = (name: string) => `/registry/pods/default/${name}`;

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

describe('SqliteStore', { timeout: 60_000 }, () => {
  it('group-commits 1,000 concurrent creates in few transactions', async () => {
    const store = SqliteStore.open({ path: freshPath() });
    try {
      const before = store.stats();
      const created = await Promise.all(range(1000).map((i) => store.create(podKey(`p-${i}`), pod(`p-${i}`))));
      const after = store.stats();
      assert.equal(after.writes - before.writes, 1000);
      assert.ok(after.transactions - before.transactions <= 2, `${after.transactions - before.transactions} transactions`);
      assert.deepEqual(created.map((c) => c.revision), range(1000).map((i) => i + 1));
    } finally {
      await store.close();
    }
  });

  it('commits a full batch at once and announces it with the rest, each event once and in order', async () => {
    const store = SqliteStore.open({ path: freshPath(), maxBatch: 10 });
    try {
      const writes = range(25).map((i) => store.create(podKey(`p-${i}`), pod(`p-${i}`)));
      // Two full batches are committed now but not yet announced; this watch must not see them twice.
      const events: StoreEvent[] = [];
      const handle = store.watch('/registry/', 0, (event) => events.push(event));
      await Promise.all(writes);
      assert.equal(store.stats().transactions, 3);
      assert.deepEqual(events.map((e) => e.revision), range(25).map((i) => i + 1));
      handle.stop();
    } finally {
      await store.close();
    }
  });

  it('rejects every write of a failed transaction and shows none of them, then carries on', async () => {
    const path = freshPath();
    let store = SqliteStore.open({ path });
    try {
      const a = await store.create(podKey('a'), pod('a'));
      const events: StoreEvent[] = [];
      store.watch('/registry/', 0, (event) => events.push(event));
      await injectFailureFor(path, '/poison');

      const results = await Promise.allSettled([
        store.update(podKey('a'), pod('a', { v: '2' }), a.revision),
        store.create(podKey('b'), pod('b')),
        store.create(podKey('poison'), pod('poison')),
      ]);
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        assert.ok(result.reason instanceof StatusError && result.reason.code === 500, String(result.reason));
      }
      assert.equal(store.stats().failedTransactions, 1);
      assert.equal(store.currentRevision(), a.revision);
      assert.deepEqual(await store.get(podKey('a')), a);
      assert.equal(await store.get(podKey('b')), undefined);
      assert.deepEqual(events.map((e) => e.revision), [a.revision]);

      // The rolled-back revisions are handed out again, and the preconditions see the committed state.
      const c = await store.create(podKey('c'), pod('c'));
      assert.equal(c.revision, a.revision + 1);
      const a2 = await store.update(podKey('a'), pod('a', { v: '2' }), a.revision);
      assert.deepEqual(events.map((e) => e.revision), [a.revision, c.revision, a2.revision]);

      await store.close();
      store = SqliteStore.open({ path });
      assert.deepEqual((await store.list('/registry/')).items, [a2, c]);
      assert.equal(store.currentRevision(), a2.revision);
    } finally {
      await store.close();
    }
  });

  it('with batches in flight behind a failed one: earlier batches stand, the failed one and all after it are rejected, then it carries on', async () => {
    const path = freshPath();
    let store = SqliteStore.open({ path, maxBatch: 5 });
    try {
      await injectFailureFor(path, '/poison');
      const names = range(20).map((i) => (i === 7 ? 'poison' : `w-${i}`));
      const results = await Promise.allSettled(names.map((name) => store.create(podKey(name), pod(name))));
      const outcome = results.map((r) => r.status);
      // The first batch (writes 0-4) commits; the batch holding the poison (5-9) fails, and so does
      // everything written after it, in flight or queued.
      assert.deepEqual(outcome, [...Array(5).fill('fulfilled'), ...Array(15).fill('rejected')]);
      assert.equal(store.currentRevision(), 5);
      const next = await store.create(podKey('after'), pod('after'));
      assert.equal(next.revision, 6, 'the rejected revisions are handed out again');
      await store.close();
      store = SqliteStore.open({ path });
      assert.deepEqual((await store.list('/registry/')).items.map((o) => o.key).sort(), [...range(5).map((i) => podKey(`w-${i}`)), podKey('after')].sort());
    } finally {
      await store.close();
    }
  });

  it('refuses every call once it cannot read its database, and the file reopens intact', async () => {
    const path = freshPath();
    let store = SqliteStore.open({ path });
    try {
      const a = await store.create(podKey('a'), pod('a'));
      const pending = store.create(podKey('b'), pod('b'));
      // The writer thread dies before it commits (as a crash of it would), and the database can no longer
      // be read either: the store cannot confirm what is durable.
      await (store as unknown as { writer: { kill(): Promise<void> } }).writer.kill();
      (store as unknown as { db: Database.Database }).db.close();
      await assert.rejects(pending, (error: unknown) => error instanceof StatusError && error.code === 500);
      await assert.rejects(store.get(podKey('a')), /must be reopened/);
      await assert.rejects(store.create(podKey('c'), pod('c')), /must be reopened/);
      await store.close();

      store = SqliteStore.open({ path });
      assert.deepEqual((await store.list('/registry/')).items, [a]);
    } finally {
      await store.close();
    }
  });

  it('compact() deletes superseded versions and tombstones from the log', async () => {
    const path = freshPath();
    const store = SqliteStore.open({ path });
    try {
      let a = await store.create(podKey('a'), pod('a'));
      for (let i = 0; i < 3; i++) a = await store.update(podKey('a'), pod('a', { v: String(i) }), a.revision);
      await store.create(podKey('b'), pod('b'));
      await store.delete(podKey('b'));
      assert.equal(countLogRows(path), 6);
      await store.compact(store.currentRevision());
      assert.equal(countLogRows(path), 1);
      assert.deepEqual(await store.get(podKey('a')), a);
    } finally {
      await store.close();
    }
  });

  it('compacts a long history in steps to the same log, and keeps the versions later events replaced', async () => {
    const path = freshPath();
    const store = SqliteStore.open({ path });
    try {
      const names = ['a', 'b', 'c'];
      const latest = new Map(await Promise.all(names.map(async (name) => [name, await store.create(podKey(name), pod(name))] as const)));
      // Well over two steps of revisions, then a delete and an update after the point compacted to.
      for (let i = 0; i < 2 * compactionStepRevisions + 10; i++) {
        const name = names[i % names.length]!;
        latest.set(name, await store.update(podKey(name), pod(name, { v: String(i) }), latest.get(name)!.revision));
      }
      await store.delete(podKey('c'));
      const compactTo = store.currentRevision();
      const a = await store.update(podKey('a'), pod('a', { v: 'after' }), latest.get('a')!.revision);

      await store.compact(compactTo);

      assert.equal(store.compactedRevision(), compactTo);
      // a's version at the compaction, its update after it, and b's version.
      assert.equal(countLogRows(path), 3);
      const events: StoreEvent[] = [];
      const watch = store.watch('/registry/pods/', compactTo, (event) => events.push(event));
      await new Promise((resolve) => setImmediate(resolve));
      watch.stop();
      assert.deepEqual(events.map((event) => [event.type, event.object.revision, event.previous?.revision]), [['update', a.revision, latest.get('a')!.revision]]);
    } finally {
      await store.close();
    }
  });

  it('refuses watches from before the target at once, and commits writes issued during a long compaction before it ends', async () => {
    const store = SqliteStore.open({ path: freshPath() });
    try {
      let obj = await store.create(podKey('a'), pod('a'));
      for (let i = 0; i < 4 * compactionStepRevisions; i++) obj = await store.update(podKey('a'), pod('a', { v: String(i) }), obj.revision);
      const target = store.currentRevision();
      let compacted = false;
      const compaction = store.compact(target).then(() => (compacted = true));
      // As on etcd, history before the target is gone for watches at once, while rows are still deleted.
      assert.equal(store.compactedRevision(), target);
      assert.throws(() => store.watch('/registry/pods/', target - 1, () => {}), (error: unknown) => error instanceof StatusError && error.code === 410);
      await store.create(podKey('b'), pod('b'));
      assert.ok(!compacted, 'the write waited for the whole compaction');
      await compaction;
    } finally {
      await store.close();
    }
  });

  it('keeps every acknowledged write through kill -9 in the middle of a write storm', { timeout: 60_000 }, async () => {
    const path = freshPath();
    const { acknowledged, lines } = await runStormAndKill(path, 3000);
    assert.ok(lines >= 3000, `only ${lines} acknowledgements before the kill`);

    const store = SqliteStore.open({ path });
    try {
      const newestAcknowledged = Math.max(...acknowledged.values());
      assert.ok(store.currentRevision() >= newestAcknowledged, `revision ${store.currentRevision()} < ${newestAcknowledged}`);
      for (const [key, revision] of acknowledged) {
        const stored = await store.get(key);
        assert.ok(stored, `acknowledged ${key}@${revision} is missing`);
        assert.ok(stored.revision >= revision, `${key} is at ${stored.revision}, acknowledged ${revision}`);
        assert.equal(JSON.parse(stored.json).metadata.resourceVersion, String(stored.revision));
      }
      const next = await store.create(podKey('after-crash'), pod('after-crash'));
      assert.equal(next.revision, store.currentRevision());
      assert.ok(next.revision > newestAcknowledged);
    } finally {
      await store.close();
    }
  });
});

/** Makes every transaction that writes a key ending in `suffix` fail, through a second connection. */
async function injectFailureFor(path: string, suffix: string): Promise<void> {
  const db = new Database(path);
  try {
    db.exec(`CREATE TRIGGER inject_failure BEFORE INSERT ON log WHEN NEW.key LIKE '%${suffix}'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
  } finally {
    db.close();
  }
}

function countLogRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], number>('SELECT COUNT(*) FROM log').pluck().get()!;
  } finally {
    db.close();
  }
}

/**
 * Runs `testdata/write-storm.ts` against `path`, SIGKILLs it once `killAfter` writes were acknowledged,
 * and returns the newest acknowledged revision of every key (including lines that were already on
 * their way when the signal landed: they too were acknowledged).
 */
async function runStormAndKill(path: string, killAfter: number): Promise<{ acknowledged: Map<string, number>; lines: number }> {
  const script = fileURLToPath(new URL('./testdata/write-storm.ts', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });

  const acknowledged = new Map<string, number>();
  let lines = 0;
  let partial = '';
  let stderr = '';
  let killed = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const received = (partial + chunk).split('\n');
    partial = received.pop()!; // an unfinished line was not fully acknowledged to us; ignore it
    for (const line of received) {
      const [key, revision] = line.split(' ');
      acknowledged.set(key!, Math.max(acknowledged.get(key!) ?? 0, Number(revision)));
      lines++;
    }
    if (!killed && lines >= killAfter) {
      killed = true;
      child.kill('SIGKILL');
    }
  });

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  assert.equal(signal, 'SIGKILL', `the storm ended on its own (code ${code}): ${stderr}`);
  return { acknowledged, lines };
}
