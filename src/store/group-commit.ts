/**
 * The machinery every in-process backend shares: preconditions, revisions, stamping, group commit
 * and watch fan-out. A backend supplies only persistence (`persist`, `history`, `forget`, `release`).
 *
 * State is kept in two layers:
 * - `committed`: the latest committed version of every live key. Reads (`get`, `list`) and
 *   `currentRevision()` see only this layer, so nothing that is not durable is ever visible.
 * - `pending`: writes accepted but not yet committed (key -> new version, or `null` for a delete).
 *   Preconditions look here first, so a second write in the same tick sees the first.
 *
 * A write is checked, numbered, stamped and serialized synchronously, then queued. A flush commits the
 * whole queue as one batch (one backend transaction), moves it into `committed`, publishes its events
 * in revision order and only then resolves the writers. Because the queue always holds every uncommitted
 * write, a failed commit is undone by dropping `pending` and rewinding the revision counter: every
 * write of the batch is rejected and no watcher has seen any of them.
 *
 * A backend may commit off the event loop (`persist` returns a promise, e.g. SQLite in a worker thread
 * so that fsync never stalls the server). Then up to two batches are in flight (one committing, the next
 * waiting, so the backend never idles); writes arriving meanwhile queue up and form the next, larger
 * batch. Batches commit in order. If one fails, every write after it fails too (their preconditions
 * were checked against it): the backend must refuse the batches sent after a failed one until
 * `resumeAfterFailure` is called.
 */

import { internalError, type StatusError } from '../api/errors.js';
import type { ListResult, Store, StorableObject, StoreEvent, StoredObject, WatchHandle } from './types.js';
import { WatchHub } from './watch-hub.js';
import {
  commitFailed,
  compactedAway,
  futureRevision,
  keyExists,
  keyNotFound,
  revisionConflict,
  storeClosed,
  storeFailed,
} from './store-errors.js';

/** Counters for tests and benchmarks. */
export interface StoreStats {
  /** Batches committed, one backend transaction each. */
  transactions: number;
  /** Writes committed. */
  writes: number;
  /** Batches whose commit failed; every write in them was rejected. */
  failedTransactions: number;
}

/** The durable state a backend found when it opened. */
export interface InitialState {
  /** The latest live version of every key. */
  objects: Iterable<StoredObject>;
  /** The newest revision ever committed. */
  revision: number;
  compactedRevision: number;
}

export interface GroupCommitOptions {
  /**
   * Runs a flush later. `setImmediate` gathers every write of an event-loop turn into one transaction
   * (disk); `queueMicrotask` gathers the writes of one synchronous run (memory).
   */
  schedule: (flush: () => void) => void;
  /** Commit as soon as this many writes are queued, which bounds a transaction's size and duration. */
  maxBatch: number;
}

/** Batches committing at once with an asynchronous backend: one committing, the next waiting behind it. */
const maxInFlight = 2;

/** Revisions compacted per step (etcd deletes at most 1,000 revisions per compaction batch by default). */
export const compactionStepRevisions = 1000;

interface PendingWrite {
  event: StoreEvent;
  resolve(object: StoredObject): void;
  reject(error: unknown): void;
}

/** A shallow copy of `object` (which is left untouched) with `metadata.resourceVersion` stamped. */
function stamped(object: StorableObject, revision: number): StorableObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}

/**
 * A `Store` whose writes are group-committed through a backend's `persist`. See the file comment for
 * the two-layer state; subclasses implement durability and history only.
 */
export abstract class GroupCommitStore implements Store {
  private readonly committed = new Map<string, StoredObject>();
  private readonly pending = new Map<string, StoredObject | null>();
  private readonly hub = new WatchHub();
  private readonly schedule: (flush: () => void) => void;
  private readonly maxBatch: number;

  /** Written to the backend, not yet accepted by it. Holds every uncommitted write. */
  private queued: PendingWrite[] = [];
  /** Committed (a full batch was committed early), waiting for the flush to publish and resolve them. */
  private unannounced: PendingWrite[] = [];
  private flushScheduled = false;
  /** Batches an asynchronous `persist` is committing, oldest first, with their completion. */
  private inFlight: { batch: PendingWrite[]; done: Promise<void> }[] = [];
  /** Bumped by a rollback, so completions of batches it already rejected are ignored. */
  private epoch = 0;

  /** The last revision handed out, committed or not. */
  private assignedRevision: number;
  private committedRevision: number;
  private compacted: number;
  private closed = false;
  /** Set when the store can no longer tell what is durable; every later call fails with it. */
  private failure: StatusError | undefined;
  private readonly counters: StoreStats = { transactions: 0, writes: 0, failedTransactions: 0 };

  protected constructor(initial: InitialState, options: GroupCommitOptions) {
    for (const object of initial.objects) this.committed.set(object.key, object);
    this.assignedRevision = initial.revision;
    this.committedRevision = initial.revision;
    this.compacted = initial.compactedRevision;
    this.schedule = options.schedule;
    this.maxBatch = options.maxBatch;
  }

  // ---------------------------------------------------------------------------------------------
  // What a backend provides.

  /**
   * Durably records one batch, atomically: either every event is recorded or (by throwing, or rejecting)
   * none is. May return a promise to commit off the event loop.
   */
  protected abstract persist(events: readonly StoreEvent[]): void | Promise<void>;
  /** Committed events with revision > `afterRevision` and keys starting with `prefix`, in revision order. */
  protected abstract history(prefix: string, afterRevision: number): StoreEvent[];
  /**
   * Drops history at or below `to` that no watch from `to` on can need; `from` is the revision
   * compacted so far (history at or below it is gone already).
   */
  protected abstract forget(from: number, to: number): void | Promise<void>;
  /** Releases the backend after the final flush. */
  protected abstract release(): void | Promise<void>;

  /**
   * Called after a failed commit. Throw if the backend cannot confirm that the batch left no trace:
   * the store then refuses every further call (fail-stop) instead of guessing.
   */
  protected confirmRollback(): void {}

  /** Called after a failed asynchronous batch was rolled back: the backend may accept batches again. */
  protected resumeAfterFailure(): void {}

  // ---------------------------------------------------------------------------------------------
  // Store.

  /** The newest committed revision: every write up to it is durable and has been (or is being) announced. */
  currentRevision(): number {
    return this.committedRevision;
  }

  acceptedRevision(): number {
    return this.assignedRevision;
  }

  compactedRevision(): number {
    return this.compacted;
  }

  /** Counters of transactions and writes, for tests and benchmarks. */
  stats(): StoreStats {
    return { ...this.counters };
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.assertUsable();
    return this.committed.get(key);
  }

  async list(prefix: string): Promise<ListResult> {
    this.assertUsable();
    const items: StoredObject[] = [];
    for (const object of this.committed.values()) {
      if (object.key.startsWith(prefix)) items.push(object);
    }
    items.sort(byKey);
    return { items, revision: this.committedRevision };
  }

  async create(key: string, object: StorableObject): Promise<StoredObject> {
    this.assertUsable();
    if (this.latest(key)) throw keyExists(key);
    const revision = this.nextRevision();
    const decoded = stamped(object, revision);
    const created = { key, revision, createRevision: revision, json: JSON.stringify(decoded) };
    return this.enqueue({ type: 'create', key, revision, object: created, decoded });
  }

  async update(key: string, object: StorableObject, expectedRevision: number): Promise<StoredObject> {
    this.assertUsable();
    const previous = this.expectLatest(key, expectedRevision);
    const revision = this.nextRevision();
    const decoded = stamped(object, revision);
    const updated = { key, revision, createRevision: previous.createRevision, json: JSON.stringify(decoded) };
    return this.enqueue({ type: 'update', key, revision, object: updated, previous, decoded });
  }

  async delete(key: string, expectedRevision?: number): Promise<StoredObject> {
    this.assertUsable();
    const previous = this.expectLatest(key, expectedRevision);
    const revision = this.nextRevision();
    // The last state, stamped with the delete's revision.
    const decoded = stamped(JSON.parse(previous.json) as StorableObject, revision);
    const lastState = { key, revision, createRevision: previous.createRevision, json: JSON.stringify(decoded) };
    return this.enqueue({ type: 'delete', key, revision, object: lastState, previous, decoded });
  }

  /**
   * History up to the current revision is taken now (synchronously); it and then live events reach
   * `onEvent` from a microtask on, never from inside this call. `onEvent` must not throw: a throw is
   * rethrown as an uncaught exception once the store's bookkeeping is done.
   */
  watch(prefix: string, afterRevision: number, onEvent: (event: StoreEvent) => void): WatchHandle {
    this.assertUsable();
    if (afterRevision < this.compacted) throw compactedAway(afterRevision, this.compacted);
    // A backend committing off the event loop may already hold a batch not yet announced here: leave it to the hub.
    const replay = afterRevision < this.committedRevision ? this.readHistory(prefix, afterRevision).filter((event) => event.revision <= this.committedRevision) : [];
    const cursor = Math.max(afterRevision, this.committedRevision);
    return this.hub.add({ prefix, cursor, replay, onEvent });
  }

  /**
   * Compacts committed history; `revision` may not exceed `currentRevision()`. Compacting backwards is
   * a no-op. As on etcd, the revision counts as compacted at once: from the call on, a watch from
   * before it fails with 410 Expired, while the rows go behind it in steps of
   * {@link compactionStepRevisions} (etcd deletes in batches too), so that writes committed meanwhile
   * wait for one step, not for the whole compaction.
   */
  async compact(revision: number): Promise<void> {
    this.assertUsable();
    if (revision > this.committedRevision) throw futureRevision(revision, this.committedRevision);
    if (revision <= this.compacted) return;
    let from = this.compacted;
    this.compacted = revision;
    // A store closed between steps keeps the rows not yet deleted; after a restart the compacted
    // revision is the last step's, and the next compaction takes them.
    while (from < revision && !this.closed) {
      const to = Math.min(revision, from + compactionStepRevisions);
      try {
        await this.forget(from, to);
      } catch (error) {
        throw internalError(`could not compact to revision ${revision}`, error);
      }
      from = to;
    }
  }

  /** Commits and announces every queued write, stops the watchers and releases the backend. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Closed first: a watcher reacting to the final announcements can no longer queue writes that would be lost.
    this.closed = true;
    this.flush();
    while (this.inFlight.length > 0) {
      await this.inFlight[this.inFlight.length - 1]!.done;
      this.flush();
    }
    this.hub.stopAll();
    await this.release();
  }

  private readHistory(prefix: string, afterRevision: number): StoreEvent[] {
    try {
      return this.history(prefix, afterRevision);
    } catch (error) {
      throw internalError(`could not read history after revision ${afterRevision}`, error);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Preconditions.

  private assertUsable(): void {
    if (this.closed) throw storeClosed();
    if (this.failure) throw this.failure;
  }

  /** The newest version of `key`, including writes not yet committed. */
  private latest(key: string): StoredObject | undefined {
    const pending = this.pending.get(key);
    return pending === undefined ? this.committed.get(key) : (pending ?? undefined);
  }

  private expectLatest(key: string, expectedRevision: number | undefined): StoredObject {
    const current = this.latest(key);
    if (!current) throw keyNotFound(key);
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw revisionConflict(key, expectedRevision, current.revision);
    }
    return current;
  }

  private nextRevision(): number {
    return ++this.assignedRevision;
  }

  // ---------------------------------------------------------------------------------------------
  // Group commit.

  private enqueue(event: StoreEvent): Promise<StoredObject> {
    this.pending.set(event.key, event.type === 'delete' ? null : event.object);
    const written = new Promise<StoredObject>((resolve, reject) => this.queued.push({ event, resolve, reject }));
    // A full queue is committed at once to bound the transaction; it is announced by the scheduled flush.
    if (this.queued.length >= this.maxBatch && this.inFlight.length < maxInFlight) this.commitQueued();
    this.scheduleFlush();
    return written;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    // With the backend busy, a completion flushes again.
    if (this.inFlight.length >= maxInFlight) return;
    this.commitQueued();
    this.announce();
  }

  /**
   * Commits the queued writes in batches of at most `maxBatch` (up to `maxInFlight` at a time when the
   * backend commits off the event loop), or rejects every uncommitted write when a batch fails: what
   * queued behind a failed batch was checked against it.
   */
  private commitQueued(): void {
    while (this.queued.length > 0 && this.inFlight.length < maxInFlight) {
      const batch = this.queued.splice(0, this.maxBatch);
      let result: void | Promise<void>;
      try {
        result = this.persist(batch.map((write) => write.event));
      } catch (error) {
        this.rollBackAll(batch, error);
        return;
      }
      if (!result) {
        this.committedBatch(batch);
        continue;
      }
      const epoch = this.epoch;
      const entry = {
        batch,
        done: result.then(
          () => {
            if (epoch !== this.epoch) return;
            this.inFlight.shift();
            this.committedBatch(batch);
            this.announce();
            if (this.queued.length > 0) this.scheduleFlush();
          },
          (error: unknown) => {
            if (epoch !== this.epoch) return;
            this.rollBackAll(undefined, error);
            this.resumeAfterFailure();
          },
        ),
      };
      this.inFlight.push(entry);
    }
  }

  /** Rejects every write not yet committed: in flight (from the failed batch on), `extra`, and queued. */
  private rollBackAll(extra: PendingWrite[] | undefined, error: unknown): void {
    this.epoch++;
    const writes = [...this.inFlight.flatMap((entry) => entry.batch), ...(extra ?? []), ...this.queued.splice(0)];
    this.inFlight = [];
    this.rollBack(writes, error);
  }

  /** Makes a durable batch visible: the committed layer, the revision, the counters; announced next. */
  private committedBatch(batch: PendingWrite[]): void {
    for (const { event } of batch) {
      if (event.type === 'delete') this.committed.delete(event.key);
      else this.committed.set(event.key, event.object);
    }
    // What is still pending is exactly what was written after this batch: in flight behind it, or queued.
    this.pending.clear();
    for (const { event } of [...this.inFlight.flatMap((entry) => entry.batch), ...this.queued]) this.pending.set(event.key, event.type === 'delete' ? null : event.object);
    this.committedRevision = batch[batch.length - 1]!.event.revision;
    this.counters.transactions++;
    this.counters.writes += batch.length;
    this.unannounced = this.unannounced.length === 0 ? batch : this.unannounced.concat(batch);
  }

  /** Publishes committed writes to watchers in revision order, then resolves their writers. */
  private announce(): void {
    if (this.unannounced.length === 0) return;
    const batch = this.unannounced;
    this.unannounced = [];
    this.hub.publish(batch.map((write) => write.event));
    for (const write of batch) {
      delete write.event.decoded;
      write.resolve(write.event.object);
    }
  }

  /**
   * Undoes a failed batch. `committed` never saw it; `pending` holds exactly its writes; the revisions it
   * used were never visible, so the counter rewinds and they are handed out again.
   */
  private rollBack(batch: PendingWrite[], cause: unknown): void {
    this.pending.clear();
    this.assignedRevision = this.committedRevision;
    this.counters.failedTransactions++;
    const error = commitFailed(batch.length, cause);
    for (const write of batch) write.reject(error);
    try {
      this.confirmRollback();
    } catch (doubt) {
      this.failure = storeFailed(doubt);
    }
  }
}

function byKey(a: StoredObject, b: StoredObject): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
