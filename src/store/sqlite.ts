/**
 * The embedded durable `Store`: better-sqlite3 in WAL mode, with a kine-like append-only log.
 *
 * Schema:
 * - `log`: one row per write, `revision` as primary key. A delete appends a tombstone row
 *   (`deleted = 1`) whose value is the last state stamped with the delete's revision, which is exactly
 *   what the DELETED event carries, so replaying history never re-serializes. `prev_revision` points at
 *   the version a write replaced (0 for a create); an index on (key, revision) serves the restart scan
 *   and compaction.
 * - `meta`: the current and the compacted revision.
 *
 * Reads are served from the in-memory index the base class keeps, loaded at open from the latest row
 * of every key. History for `watch` is read from the log itself, so a watch may start at any revision
 * down to the compacted one, also after a restart; nothing else keeps a copy of history in memory.
 *
 * Writes to a file go through a second connection in a worker thread (sqlite-writer.ts): a commit's
 * fsync then never stalls the event loop, and writes arriving meanwhile form the next batch. The
 * event-loop connection only reads (WAL lets it, next to the writer). An in-memory database has one
 * connection and commits inline.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteWriter, deleteCompactedSql, insertLogRowSql, setMetaSql, type LogRowValues } from './sqlite-writer.js';
import { GroupCommitStore, type InitialState } from './group-commit.js';
import type { StoreEvent, StoredObject } from './types.js';

export interface SqliteStoreOptions {
  /** The database file (its directory is created if missing), or `:memory:` for a throwaway database. */
  path: string;
  /**
   * `FULL` (default): an acknowledged write survives power loss. `NORMAL`: it survives a crash of the
   * process; a power loss may drop the last transactions (WAL is synced at checkpoints only).
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long to wait for a lock held by another connection before failing. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * Commit as soon as this many writes are queued, without waiting for the end of the event-loop turn.
   * Around 1,000 rows per transaction SQLite's throughput stops growing while latency keeps rising.
   * @default 1000
   */
  maxBatch?: number;
}

const schema = `
  CREATE TABLE IF NOT EXISTS log (
    revision        INTEGER PRIMARY KEY,
    key             TEXT    NOT NULL,
    create_revision INTEGER NOT NULL,
    prev_revision   INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    value           TEXT    NOT NULL
  );
  CREATE INDEX IF NOT EXISTS log_key_revision ON log (key, revision);
  CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO meta (name, value) VALUES ('current_revision', 0), ('compacted_revision', 0);
`;

interface LogRow {
  revision: number;
  key: string;
  create_revision: number;
  prev_revision: number;
  deleted: number;
  value: string;
}

/** A history row joined with the version it replaced (absent for a create). */
interface HistoryRow extends LogRow {
  previous_revision: number | null;
  previous_create_revision: number | null;
  previous_value: string | null;
}

type LogInsert = LogRowValues;

/**
 * A durable `Store` over one SQLite file. Writes are group-committed: every write of an event-loop turn
 * (up to `maxBatch`) shares one transaction, and a write resolves only after that transaction commits.
 *
 * @example
 * const store = SqliteStore.open({ path: '/var/lib/everynode/state.db' });
 * const pod = await store.create('/registry/pods/default/web-1', { metadata: { name: 'web-1' } });
 */
export class SqliteStore extends GroupCommitStore {
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement<LogInsert>;
  private readonly setMeta: Database.Statement<[value: number, name: string]>;
  private readonly selectHistory: Database.Statement<[{ after: number; prefix: string }], HistoryRow>;
  private readonly selectMaxRevision: Database.Statement<[], number>;
  private readonly writeBatch: (events: readonly StoreEvent[]) => void | Promise<void>;
  private readonly compactLog: (from: number, to: number) => void | Promise<void>;
  private readonly writer: SqliteWriter | undefined;

  /**
   * Opens (creating if needed) the database at `options.path` and loads the latest version of every key.
   * After a restart every object is back with its revisions, and the revision counter continues.
   */
  static open(options: SqliteStoreOptions): SqliteStore {
    const db = openDatabase(options);
    try {
      db.exec(schema);
      const writer = options.path === ':memory:' ? undefined : new SqliteWriter(options.path, options.synchronous ?? 'FULL', options.busyTimeoutMs ?? 5000);
      return new SqliteStore(db, loadState(db), options.maxBatch ?? 1000, writer);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(db: Database.Database, initial: InitialState, maxBatch: number, writer: SqliteWriter | undefined) {
    super(initial, { schedule: setImmediate, maxBatch });
    this.db = db;
    this.writer = writer;
    this.insertRow = db.prepare<LogInsert>(insertLogRowSql);
    this.setMeta = db.prepare<[number, string]>(setMetaSql);
    this.selectHistory = db.prepare<{ after: number; prefix: string }, HistoryRow>(`
      SELECT l.*, p.revision AS previous_revision, p.create_revision AS previous_create_revision, p.value AS previous_value
      FROM log l LEFT JOIN log p ON p.revision = l.prev_revision
      WHERE l.revision > @after AND substr(l.key, 1, length(@prefix)) = @prefix
      ORDER BY l.revision`);
    this.selectMaxRevision = db.prepare<[], number>('SELECT COALESCE(MAX(revision), 0) FROM log').pluck();

    const deleteCompacted = db.prepare<{ from: number; to: number }>(deleteCompactedSql);

    if (writer) {
      this.writeBatch = (events) => writer.write(events.map(toRow), events[events.length - 1]!.revision);
      this.compactLog = (from, to) => writer.compact(from, to);
      return;
    }
    this.writeBatch = db
      .transaction((events: readonly StoreEvent[]) => {
        for (const event of events) this.insertRow.run(...toRow(event));
        this.setMeta.run(events[events.length - 1]!.revision, 'current_revision');
      })
      .immediate;
    this.compactLog = db
      .transaction((from: number, to: number) => {
        deleteCompacted.run({ from, to });
        this.setMeta.run(to, 'compacted_revision');
      })
      .immediate;
  }

  protected override persist(events: readonly StoreEvent[]): void | Promise<void> {
    return this.writeBatch(events);
  }

  protected override history(prefix: string, afterRevision: number): StoreEvent[] {
    return this.selectHistory.all({ after: afterRevision, prefix }).map(toEvent);
  }

  protected override forget(from: number, to: number): void | Promise<void> {
    return this.compactLog(from, to);
  }

  protected override async release(): Promise<void> {
    await this.writer?.close();
    this.db.close();
  }

  /**
   * A failed transaction is rolled back by SQLite. Make sure: if the log cannot be read or holds a
   * revision this store never saw committed, the in-memory index may be wrong, so the store fails.
   */
  protected override resumeAfterFailure(): void {
    // A writer that has gone fails every later write anyway (and the store is failed by then).
    this.writer?.resume().catch(() => {});
  }

  protected override confirmRollback(): void {
    if (this.writer?.isGone) throw new Error('the SQLite writer thread has gone');
    const logged = this.selectMaxRevision.get() ?? 0;
    if (logged > this.currentRevision()) {
      throw new Error(`the log holds revision ${logged} after a failed commit; the current revision is ${this.currentRevision()}`);
    }
  }
}

function openDatabase({ path, synchronous = 'FULL', busyTimeoutMs = 5000 }: SqliteStoreOptions): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The latest live row of every key, and the counters. */
function loadState(db: Database.Database): InitialState {
  const rows = db
    .prepare<[], LogRow>(`
      SELECT l.* FROM log l
      JOIN (SELECT key, MAX(revision) AS revision FROM log GROUP BY key) latest ON latest.revision = l.revision
      WHERE l.deleted = 0`)
    .all();
  const meta = new Map(db.prepare<[], { name: string; value: number }>('SELECT name, value FROM meta').all().map((m) => [m.name, m.value]));
  const logged = db.prepare<[], number>('SELECT COALESCE(MAX(revision), 0) FROM log').pluck().get() ?? 0;
  return {
    objects: rows.map(toStoredObject),
    // The meta row is written in every transaction; the log's maximum is a belt for the braces.
    revision: Math.max(meta.get('current_revision') ?? 0, logged),
    compactedRevision: meta.get('compacted_revision') ?? 0,
  };
}

function toRow(event: StoreEvent): LogInsert {
  const { object, previous } = event;
  return [event.revision, event.key, object.createRevision, previous?.revision ?? 0, event.type === 'delete' ? 1 : 0, object.json];
}

function toStoredObject(row: LogRow): StoredObject {
  return { key: row.key, revision: row.revision, createRevision: row.create_revision, json: row.value };
}

function toEvent(row: HistoryRow): StoreEvent {
  const event: StoreEvent = {
    type: row.deleted ? 'delete' : row.prev_revision === 0 ? 'create' : 'update',
    key: row.key,
    revision: row.revision,
    object: toStoredObject(row),
  };
  // Present exactly when the row replaced a version (as in live events); compaction never removes it.
  if (row.previous_revision !== null) {
    event.previous = { key: row.key, revision: row.previous_revision, createRevision: row.previous_create_revision!, json: row.previous_value! };
  }
  return event;
}
