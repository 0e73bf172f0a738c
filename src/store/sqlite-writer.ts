/**
 * The SQLite store's writer: a connection of its own in a worker thread that commits batches of log rows
 * (and compactions) and answers each with success or the error. The event loop never waits for a commit's
 * fsync; it only awaits the answer.
 *
 * The worker's code is a small CommonJS script evaluated in the thread, so it runs the same way from the
 * TypeScript sources (tests) and from the bundled CLI; it loads better-sqlite3 from the path this module
 * resolves.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One log row: revision, key, create_revision, prev_revision, deleted, value. */
export type LogRowValues = [revision: number, key: string, createRevision: number, prevRevision: number, deleted: number, value: string];

export const insertLogRowSql = 'INSERT INTO log (revision, key, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)';
export const setMetaSql = 'UPDATE meta SET value = ? WHERE name = ?';
/**
 * One step of compaction, from the compacted revision `@from` to `@to`: every row a write in
 * (`@from`, `@to`] replaced (its `prev_revision`), and the tombstones in that range. What survives is,
 * per key, its state at `@to` (if live) plus everything after; so the version a later event replaced is
 * always still there for history to join. The work is proportional to the writes in the range, not
 * to the size of the log.
 */
export const deleteCompactedSql = `
  DELETE FROM log WHERE revision IN (SELECT prev_revision FROM log WHERE revision > @from AND revision <= @to)
    OR (revision > @from AND revision <= @to AND deleted = 1)`;

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
const insert = db.prepare(workerData.sql.insert);
const setMeta = db.prepare(workerData.sql.setMeta);
const deleteCompacted = db.prepare(workerData.sql.deleteCompacted);
const write = db.transaction((rows, revision) => {
  for (const row of rows) insert.run(...row);
  setMeta.run(revision, 'current_revision');
}).immediate;
const compact = db.transaction((from, to) => {
  deleteCompacted.run({ from, to });
  setMeta.run(to, 'compacted_revision');
}).immediate;
// After a failed write, later writes were checked against it: refuse them until the store has rolled back.
let refusing = false;
parentPort.on('message', (message) => {
  if (message.type === 'resume') {
    refusing = false;
    parentPort.postMessage({ id: message.id, ok: true });
    return;
  }
  if (refusing && message.type === 'write') {
    parentPort.postMessage({ id: message.id, ok: false, message: 'refused: an earlier batch failed' });
    return;
  }
  try {
    if (message.type === 'write') write(message.rows, message.revision);
    else if (message.type === 'compact') compact(message.from, message.to);
    else if (message.type === 'close') db.close();
    parentPort.postMessage({ id: message.id, ok: true });
  } catch (error) {
    if (message.type === 'write') refusing = true;
    parentPort.postMessage({ id: message.id, ok: false, message: String(error && error.message || error), code: error && error.code });
  }
  if (message.type === 'close') parentPort.close();
});
`;

interface Reply {
  id: number;
  ok: boolean;
  message?: string;
  code?: string;
}

/** Commits log batches on a connection in a worker thread; one request at a time is answered in order. */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private nextId = 0;
  /** Set once the worker is gone: every later request fails with it. */
  private gone: Error | undefined;

  constructor(path: string, synchronous: 'FULL' | 'NORMAL', busyTimeoutMs: number) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { driver, path, synchronous, busyTimeoutMs, sql: { insert: insertLogRowSql, setMeta: setMetaSql, deleteCompacted: deleteCompactedSql } },
    });
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve();
      else waiter.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the SQLite writer thread exited (code ${code})`)));
  }

  /** Whether the thread has gone (crashed, or closed): nothing more can be written. */
  get isGone(): boolean {
    return this.gone !== undefined;
  }

  /** Ends the thread at once, as a crash would (for tests). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  /** Appends `rows` and records `revision` as current, in one transaction. */
  write(rows: LogRowValues[], revision: number): Promise<void> {
    return this.request({ type: 'write', rows, revision });
  }

  /** Accepts writes again after a failed one (the store has rolled back everything sent after it). */
  resume(): Promise<void> {
    return this.request({ type: 'resume' });
  }

  /** Compacts from revision `from` (the compacted one) to `to` (see deleteCompactedSql), in one transaction. */
  compact(from: number, to: number): Promise<void> {
    return this.request({ type: 'compact', from, to });
  }

  /** Closes the writer's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.gone) return;
    await this.request({ type: 'close' });
    await new Promise<void>((resolve) => {
      if (this.gone) resolve();
      else this.worker.once('exit', () => resolve());
    });
  }

  private request(message: Record<string, unknown>): Promise<void> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private fail(error: Error): void {
    this.gone ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.gone);
    this.waiting.clear();
  }
}
