/**
 * A minimal informer: list, then watch from the list's resourceVersion, keeping a local copy of every
 * object and telling handlers about each change. When the watch ends (410 Expired, a broken stream)
 * it lists again after a backoff and reports the difference as adds, updates and deletes, so
 * handlers see a consistent story without ever missing a deletion.
 * Upstream: the Reflector and shared informer in k8s.io/client-go/tools/cache.
 */
import type { KubeObject, WatchEventType } from '../api/types.js';
import type { Client, ClientWatch, ListQuery, ResourceRef } from './types.js';
import { realClock, type Clock, type Timer } from './clock.js';
import { errorText, silentLogger, type Logger } from './logger.js';
import { objectKey } from './object-meta.js';
import { resourceName } from './resources.js';

/**
 * Called synchronously as changes arrive. Handlers must be quick and must not mutate the objects
 * (they may be shared with other watchers); a controller's handlers only enqueue keys.
 */
export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** `obj` is the last state seen: the DELETED event's object, or the cached one after a relist. */
  onDelete?(obj: T): void;
}

/** Names the index values of an object (e.g. its controller's UID); an object may have none or several. */
export type IndexFunc<T extends KubeObject> = (obj: T) => readonly string[];

export interface InformerConfig {
  client: Client;
  resource: ResourceRef;
  /** Narrows what is listed and watched (namespace, selectors). */
  query?: ListQuery;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** First delay before listing again after the watch ends; doubles up to 30 s. @default 100 */
  relistBackoffMs?: number;
}

const maxRelistBackoffMs = 30_000;

export class Informer<T extends KubeObject = KubeObject> {
  private readonly client: Client;
  private readonly resource: ResourceRef;
  private readonly query: ListQuery;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly baseBackoffMs: number;
  private readonly handlers: InformerHandlers<T>[] = [];
  /** objectKey → latest object seen. */
  private readonly store = new Map<string, T>();
  private watchHandle?: ClientWatch;
  private relistTimer?: Timer;
  private backoffMs: number;
  private synced = false;
  private stopped = false;
  /** Bumped on every (re)watch, so callbacks of an abandoned watch are ignored. */
  private generation = 0;
  /** Bumped on every change to the cached objects. */
  private changes = 0;
  /** index name → how to compute an object's values, and value → objectKey → object. */
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Map<string, T>>>();

  constructor(config: InformerConfig) {
    this.client = config.client;
    this.resource = config.resource;
    this.query = config.query ?? {};
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.baseBackoffMs = config.relistBackoffMs ?? 100;
    this.backoffMs = this.baseBackoffMs;
  }

  /** Registers handlers; those added before `start()` also see the initial objects as adds. */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /**
   * Lists, delivers every object as an add, and starts watching. Resolves once the initial objects
   * are delivered; rejects if the first list fails.
   */
  async start(): Promise<void> {
    await this.listAndWatch();
    this.synced = true;
  }

  /** Stops watching; no handler is called afterwards. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.relistTimer?.cancel();
    this.relistTimer = undefined;
  }

  /**
   * Keeps objects findable by `byIndex(name, value)`, so a controller reads the few objects it needs
   * instead of filtering every cached one (upstream: cache.Indexer). Add indexes before `start()`.
   */
  addIndex(name: string, indexFunc: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`index ${name} already exists`);
    this.indexers.set(name, indexFunc);
    const index = new Map<string, Map<string, T>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.store) for (const value of indexFunc(obj)) addToIndex(index, value, key, obj);
  }

  /** The cached objects whose index `name` holds `value`. Never mutate them. */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`no index ${name}`);
    const bucket = index.get(value);
    return bucket ? [...bucket.values()] : [];
  }

  /** A counter that moves whenever a cached object changes: equal readings mean an unchanged cache. */
  get changeCount(): number {
    return this.changes;
  }

  /** Whether the initial list has been delivered. */
  get hasSynced(): boolean {
    return this.synced;
  }

  /** The cached object, if any. Never mutate it. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(objectKey(namespace, name));
  }

  /** Every cached object (in one namespace when given). Never mutate them. */
  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  // ----------------------------------------------------------------------------------------------

  private async listAndWatch(): Promise<void> {
    const list = await this.client.list<T>(this.resource, this.query);
    if (this.stopped) return;
    this.replace(list.items);
    const generation = ++this.generation;
    this.watchHandle = this.client.watch<T>(
      this.resource,
      { ...this.query, resourceVersion: list.metadata.resourceVersion },
      (type, obj) => {
        if (generation === this.generation) this.onWatchEvent(type, obj);
      },
      (error) => {
        if (generation === this.generation) this.onWatchEnded(error);
      },
    );
    this.backoffMs = this.baseBackoffMs;
  }

  private onWatchEvent(type: WatchEventType, obj: T): void {
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
        this.upsert(obj);
        return;
      case 'DELETED':
        this.remove(obj);
        return;
      case 'ERROR':
        this.onWatchEnded(obj);
        return;
      default:
        // BOOKMARK: nothing changed.
        return;
    }
  }

  private onWatchEnded(error: unknown): void {
    if (this.stopped) return;
    this.generation++;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.log('watch ended, listing again', { resource: resourceName(this.resource), error: errorText(error), afterMs: this.backoffMs });
    this.scheduleRelist();
  }

  private scheduleRelist(): void {
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, maxRelistBackoffMs);
    this.relistTimer = this.clock.setTimer(() => {
      this.relistTimer = undefined;
      if (this.stopped) return;
      this.listAndWatch().catch((error) => {
        this.log('list failed', { resource: resourceName(this.resource), error: errorText(error) });
        this.scheduleRelist();
      });
    }, delay);
  }

  /** Makes the store equal to `items`, telling handlers what changed. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(keyOf(obj));
      this.upsert(obj);
    }
    for (const [key, old] of [...this.store]) {
      if (!seen.has(key)) this.remove(old);
    }
  }

  private upsert(obj: T): void {
    const key = keyOf(obj);
    const old = this.store.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion && old.metadata.uid === obj.metadata.uid) return;
    if (old && old.metadata.uid !== obj.metadata.uid) {
      // Deleted and created again between two lists: two different objects.
      this.remove(old);
    }
    this.store.set(key, obj);
    this.changes++;
    this.reindex(key, old && old.metadata.uid === obj.metadata.uid ? old : undefined, obj);
    if (old && old.metadata.uid === obj.metadata.uid) this.notify((h) => h.onUpdate?.(old, obj));
    else this.notify((h) => h.onAdd?.(obj));
  }

  private remove(obj: T): void {
    const key = keyOf(obj);
    const cached = this.store.get(key);
    // A deletion of an older object than the cached one was already reported when it was replaced.
    if (cached && cached.metadata.uid !== obj.metadata.uid) return;
    this.store.delete(key);
    this.changes++;
    if (cached) this.reindex(key, cached, undefined);
    this.notify((h) => h.onDelete?.(obj));
  }

  private reindex(key: string, old: T | undefined, obj: T | undefined): void {
    for (const [name, indexFunc] of this.indexers) {
      const index = this.indices.get(name)!;
      const oldValues = old ? indexFunc(old) : [];
      const newValues = obj ? indexFunc(obj) : [];
      for (const value of oldValues) if (!newValues.includes(value)) removeFromIndex(index, value, key);
      for (const value of newValues) addToIndex(index, value, key, obj!);
    }
  }

  private notify(call: (handlers: InformerHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (error) {
        // A handler's bug must not break the store or the other handlers.
        this.log('informer handler failed', { resource: resourceName(this.resource), error: errorText(error) });
      }
    }
  }
}

function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
}

function addToIndex<T>(index: Map<string, Map<string, T>>, value: string, key: string, obj: T): void {
  let bucket = index.get(value);
  if (!bucket) index.set(value, (bucket = new Map()));
  bucket.set(key, obj);
}

function removeFromIndex<T>(index: Map<string, Map<string, T>>, value: string, key: string): void {
  const bucket = index.get(value);
  if (!bucket) return;
  bucket.delete(key);
  if (bucket.size === 0) index.delete(value);
}
