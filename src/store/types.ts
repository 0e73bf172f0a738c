/**
 * The Store: a revisioned key-value store of Kubernetes objects, the only durable state of everynode.
 *
 * Contract (every backend; `contract.ts` tests it):
 * - One global revision counter, starting at 1 for an empty store. Every successful create, update and
 *   delete gets the next revision. Revisions only grow, also across restarts.
 * - The store stamps `metadata.resourceVersion = String(revision)` on the object it writes, serializes it
 *   once (`json`), and hands that same string to readers and watchers. For a delete, the last state is
 *   stamped with the delete's revision (what a Kubernetes DELETED event carries).
 * - A write's promise resolves only after the write is durable (committed); writes that arrive together
 *   may share one transaction (group commit). Preconditions (exists / does not exist / revision) are
 *   checked in arrival order against all earlier writes, including those not yet committed.
 * - Watchers see committed events in revision order, each exactly once, before the write's promise resolves.
 * - Errors are `StatusError`s: 404 NotFound, 409 AlreadyExists, 409 Conflict (stale revision),
 *   410 Expired (watch from a compacted revision). `details.name` carries the key.
 */

/** What the store accepts: any object with metadata (the store stamps metadata.resourceVersion). */
export interface StorableObject {
  metadata: object;
  [field: string]: unknown;
}

export interface StoredObject {
  key: string;
  /** The revision of the last write to this key (its resourceVersion). */
  revision: number;
  /** The revision at which this key was created. */
  createRevision: number;
  /** The object as JSON, with `metadata.resourceVersion` stamped. Serialized once; share it, never re-encode. */
  json: string;
}

export interface StoreEvent {
  type: 'create' | 'update' | 'delete';
  key: string;
  revision: number;
  /** The object after the write; for a delete, the last state stamped with the delete's revision. */
  object: StoredObject;
  /** The state before the write (absent for a create). */
  previous?: StoredObject;
  /**
   * The object `object.json` was serialized from, while the write that made it is being announced: a
   * reader may use it instead of parsing the JSON, and must treat it as frozen. Absent for events read
   * back from storage, and dropped once the write is acknowledged, so a store keeping events keeps only
   * their JSON.
   */
  decoded?: StorableObject;
}

export interface ListResult {
  items: StoredObject[];
  /** The store's revision at the time of the list. */
  revision: number;
}

export interface WatchHandle {
  /** Stops delivery; idempotent. */
  stop(): void;
}

export interface Store {
  /** The newest revision written (0 for a store that has never been written). */
  currentRevision(): number;
  /**
   * The newest revision accepted, durable or not yet: `currentRevision()` reaches it once the writes
   * accepted so far are committed (unless one fails).
   */
  acceptedRevision(): number;
  /** The oldest revision a watch may start from; watches from older revisions fail with 410. */
  compactedRevision(): number;

  get(key: string): Promise<StoredObject | undefined>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ListResult>;

  /** Fails with AlreadyExists when the key exists. */
  create(key: string, object: StorableObject): Promise<StoredObject>;
  /** Fails with NotFound when the key is missing and Conflict when its revision is not `expectedRevision`. */
  update(key: string, object: StorableObject, expectedRevision: number): Promise<StoredObject>;
  /** Fails with NotFound when missing and Conflict when `expectedRevision` is given and differs. Returns the deleted state. */
  delete(key: string, expectedRevision?: number): Promise<StoredObject>;

  /**
   * Delivers every event with revision > `afterRevision` whose key starts with `prefix`, first the
   * history still kept, then live events. Throws 410 Expired when `afterRevision` < compactedRevision().
   */
  watch(prefix: string, afterRevision: number, onEvent: (event: StoreEvent) => void): WatchHandle;

  /** Forgets history (superseded versions and tombstones) at or below `revision`. */
  compact(revision: number): Promise<void>;

  /** Flushes pending writes and releases the backend; further calls fail. */
  close(): Promise<void>;
}
