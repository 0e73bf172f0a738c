/**
 * The watch cache: every current object and a window of recent events, held in memory and fed by one
 * watch on the store. Lists, GETs and watches are served from here, never by re-reading the store.
 *
 * Guarantees:
 * - An event is applied here before the write that caused it is acknowledged (the store emits events
 *   before resolving a write), so a client always reads its own acknowledged writes.
 * - Each object version is serialized once (by the store); lists and watch events reuse that string.
 * - A watch from revision N gets every later event exactly once, in order, or 410 Expired when events
 *   after N have already left the window.
 */
import { expired } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Store, StoreEvent, StoredObject, WatchHandle } from '../store/index.js';
import { resourceOfKey, storagePrefix, type ResourceInfo } from './resources.js';

/**
 * One version of one object: its JSON (serialized once by the store, shared by every list and watch)
 * and, parsed on first use (or handed over by the store with the write), the object. Versions give up
 * their parsed form once their event is delivered, so a big fleet holds JSON, not parsed copies. What
 * selectors read (labels, selectable fields) is kept per version, as upstream's watch cache keeps them
 * per element: a filtered watch judges the version an event replaces without parsing it again.
 */
export class CachedObject {
  private labelsSeen?: Record<string, string> | null;
  private fieldsSeen?: Map<string, string | undefined>;

  constructor(
    readonly key: string,
    readonly revision: number,
    /** The serialized object, with its resourceVersion. Never re-encode; reuse it. */
    readonly json: string,
    readonly resource: ResourceInfo,
    private parsed?: KubeObject,
  ) {}

  /** The parsed object. Shared by every reader: treat it as frozen. */
  get object(): KubeObject {
    return (this.parsed ??= JSON.parse(this.json) as KubeObject);
  }

  get isParsed(): boolean {
    return this.parsed !== undefined;
  }

  /** The object's labels, for label selectors. */
  labels(): Record<string, string> | undefined {
    if (this.labelsSeen === undefined) this.labelsSeen = this.object.metadata.labels ?? null;
    return this.labelsSeen ?? undefined;
  }

  /** The value of a selectable field, read by `read` the first time it is asked for. */
  field(name: string, read: (object: KubeObject) => string | undefined): string | undefined {
    this.fieldsSeen ??= new Map();
    if (!this.fieldsSeen.has(name)) this.fieldsSeen.set(name, read(this.object));
    return this.fieldsSeen.get(name);
  }

  /** Drops the parsed form; a later reader parses the JSON again. */
  release(): void {
    this.parsed = undefined;
  }
}

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: CacheEventType;
  revision: number;
  object: CachedObject;
  previous?: CachedObject;
}

/** Decides whether an object is visible to a watcher or list (by `labels()` and `field()`, which are kept per version). */
export type ObjectFilter = (object: CachedObject) => boolean;

export interface WatchOptions {
  resource: ResourceInfo;
  namespace?: string;
  filter?: ObjectFilter;
  /** Start after this revision; undefined or 0 means "current state as ADDED events, then changes". */
  fromRevision?: number;
  onEvent: (type: CacheEventType, object: CachedObject) => void;
}

interface Watcher {
  /** For a watch in a namespace: its objects' key prefix (as `list` uses), so the check needs no parse. */
  keyPrefix?: string;
  filter?: ObjectFilter;
  onEvent: (type: CacheEventType, object: CachedObject) => void;
}

export interface WatchCacheOptions {
  /** How many recent events to keep for watches that resume from a past revision. */
  historySize?: number;
  /**
   * How many bytes of object JSON those events may hold; the oldest go first when either bound is
   * reached (a watch from before them gets 410 Expired and lists again, as on a cluster). @default 16 MiB
   */
  historyBytes?: number;
}

export class WatchCache {
  /** resource → key → current object. Keys are namespaced storage keys, so a namespace prefix selects a namespace. */
  private readonly objects = new Map<ResourceInfo, Map<string, CachedObject>>();
  /** Ring of the newest events; `history[historyStart..]` in revision order. */
  private history: CacheEvent[] = [];
  private readonly historySize: number;
  private readonly historyBytesLimit: number;
  /** JSON bytes (UTF-16 units) of the objects the history's events carry. */
  private historyBytes = 0;
  private readonly watchers = new Map<ResourceInfo, Set<Watcher>>();
  private storeWatch?: WatchHandle;
  private currentRevision = 0;
  /** Callers of `reached` waiting for a revision the cache does not hold yet. */
  private readonly revisionWaiters = new Set<{ revision: number; resolve(): void }>();
  /** Events at or below this revision may be missing from history; watches from before it get 410. */
  private oldestResumableRevision = 0;

  constructor(private readonly store: Store, options: WatchCacheOptions = {}) {
    this.historySize = options.historySize ?? 20_000;
    this.historyBytesLimit = options.historyBytes ?? 16 * 1024 * 1024;
  }

  /** Loads every object from the store and follows its changes. */
  async start(): Promise<void> {
    const { items, revision } = await this.store.list('/registry/');
    for (const item of items) {
      const cached = this.toCached(item);
      if (cached) this.mapFor(cached.resource).set(cached.key, cached);
    }
    this.currentRevision = revision;
    this.oldestResumableRevision = revision;
    this.storeWatch = this.store.watch('/registry/', revision, (event) => this.apply(event));
  }

  stop(): void {
    this.storeWatch?.stop();
    for (const set of this.watchers.values()) set.clear();
  }

  revision(): number {
    return this.currentRevision;
  }

  /** Resolves once the cache holds `revision` (or after `timeoutMs`, should that revision never come). */
  reached(revision: number, timeoutMs = 1000): Promise<void> {
    if (this.currentRevision >= revision) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { revision, resolve: () => {} };
      const timer = setTimeout(() => {
        this.revisionWaiters.delete(waiter);
        resolve();
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.revisionWaiters.add(waiter);
    });
  }

  get(resource: ResourceInfo, key: string): CachedObject | undefined {
    return this.objects.get(resource)?.get(key);
  }

  /** Current objects of a resource (within a namespace if given), sorted by key as etcd would list them. */
  list(resource: ResourceInfo, namespace?: string, filter?: ObjectFilter): CachedObject[] {
    const map = this.objects.get(resource);
    if (!map) return [];
    const prefix = storagePrefix(resource, namespace);
    const out: CachedObject[] = [];
    for (const cached of map.values()) {
      if (namespace && !cached.key.startsWith(prefix)) continue;
      if (filter) {
        const wasParsed = cached.isParsed;
        const visible = filter(cached);
        if (!wasParsed) cached.release();
        if (!visible) continue;
      }
      out.push(cached);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  count(resource: ResourceInfo): number {
    return this.objects.get(resource)?.size ?? 0;
  }

  /**
   * Starts a watch. With `fromRevision` 0/undefined the current matching objects come first as ADDED;
   * otherwise the kept events after `fromRevision` are replayed. Throws 410 Expired when they are gone.
   */
  watch(options: WatchOptions): () => void {
    const watcher: Watcher = {
      keyPrefix: options.namespace ? storagePrefix(options.resource, options.namespace) : undefined,
      filter: options.filter,
      onEvent: options.onEvent,
    };
    const from = options.fromRevision ?? 0;
    if (from === 0) {
      for (const cached of this.list(options.resource, options.namespace, options.filter)) watcher.onEvent('ADDED', cached);
    } else if (from < this.currentRevision) {
      if (from < this.oldestResumableRevision) {
        throw expired(`too old resource version: ${from} (${this.oldestResumableRevision})`);
      }
      for (const event of this.eventsAfter(from)) {
        if (event.object.resource === options.resource) this.deliver(watcher, event);
      }
    }
    let set = this.watchers.get(options.resource);
    if (!set) this.watchers.set(options.resource, (set = new Set()));
    set.add(watcher);
    return () => set!.delete(watcher);
  }

  watcherCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  private eventsAfter(revision: number): CacheEvent[] {
    // History is sorted by revision: binary search for the first event after `revision`.
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  private apply(event: StoreEvent): void {
    const cached = this.toCached(event.object, event.decoded as KubeObject | undefined);
    if (!cached) return;
    const map = this.mapFor(cached.resource);
    const previous = map.get(cached.key);
    let type: CacheEventType;
    if (event.type === 'delete') {
      map.delete(cached.key);
      type = 'DELETED';
    } else {
      map.set(cached.key, cached);
      type = previous ? 'MODIFIED' : 'ADDED';
    }
    const cacheEvent: CacheEvent = { type, revision: event.revision, object: cached, previous };
    this.currentRevision = event.revision;
    this.remember(cacheEvent);
    for (const waiter of this.revisionWaiters) {
      if (waiter.revision > event.revision) continue;
      this.revisionWaiters.delete(waiter);
      waiter.resolve();
    }
    const set = this.watchers.get(cached.resource);
    if (set) for (const watcher of set) this.deliver(watcher, cacheEvent);
    // Keep JSON only: a watcher's selector may have parsed the object, and in-process watchers hold
    // their own reference; a later reader parses again.
    cached.release();
    previous?.release();
  }

  private remember(event: CacheEvent): void {
    this.history.push(event);
    this.historyBytes += event.object.json.length;
    if (this.history.length <= this.historySize * 1.25 && this.historyBytes <= this.historyBytesLimit * 1.25) return;
    // Trim in chunks, down to both bounds, so the copy cost is amortized over many events.
    let dropped = Math.max(0, this.history.length - this.historySize);
    for (let i = 0; i < dropped; i++) this.historyBytes -= this.history[i]!.object.json.length;
    while (this.historyBytes > this.historyBytesLimit && dropped < this.history.length - 1) this.historyBytes -= this.history[dropped++]!.object.json.length;
    if (dropped === 0) return;
    this.oldestResumableRevision = this.history[dropped - 1]!.revision;
    this.history = this.history.slice(dropped);
  }


  /**
   * Upstream's rule for a filtered watch: an object entering the filter is ADDED, one leaving it is
   * DELETED, one staying is MODIFIED.
   */
  private deliver(watcher: Watcher, event: CacheEvent): void {
    try {
      this.deliverUnguarded(watcher, event);
    } catch (error) {
      // A watcher's failure must never break the write path that is emitting this event.
      console.error(`watch cache: a watcher failed on ${event.object.key}: ${(error as Error).stack ?? String(error)}`);
    }
  }

  private deliverUnguarded(watcher: Watcher, event: CacheEvent): void {
    if (watcher.keyPrefix !== undefined && !event.object.key.startsWith(watcher.keyPrefix)) return;
    const matchesNow = event.type !== 'DELETED' && (!watcher.filter || watcher.filter(event.object));
    const matchedBefore = event.previous !== undefined && (!watcher.filter || watcher.filter(event.previous));
    if (event.type === 'DELETED') {
      if (!watcher.filter || watcher.filter(event.object)) watcher.onEvent('DELETED', event.object);
    } else if (matchesNow && matchedBefore) watcher.onEvent('MODIFIED', event.object);
    else if (matchesNow) watcher.onEvent('ADDED', event.object);
    else if (matchedBefore) watcher.onEvent('DELETED', event.object);
  }

  private mapFor(resource: ResourceInfo): Map<string, CachedObject> {
    let map = this.objects.get(resource);
    if (!map) this.objects.set(resource, (map = new Map()));
    return map;
  }

  private toCached(stored: StoredObject, decoded?: KubeObject): CachedObject | undefined {
    const resource = resourceOfKey(stored.key);
    if (!resource) return undefined;
    return new CachedObject(stored.key, stored.revision, stored.json, resource, decoded);
  }
}
