/**
 * Events expire. kube-apiserver stores every Event under an etcd lease of `--event-ttl` (default one
 * hour) that each write of the Event renews, so a cluster keeps recent Events only, however many
 * rollouts it has seen. Here the API server notes each Event's expiry as the watch cache sees its
 * writes, and deletes expired Events from the store ten times a second, a bounded number at a time.
 *
 * Events already stored when the server starts expire one TTL after the start (etcd's leases keep
 * their remaining time across a restart; see docs/differences.md).
 */
import { StatusError } from '../api/errors.js';
import type { Store } from '../store/index.js';
import type { ResourceInfo } from './resources.js';
import type { WatchCache } from './watch-cache.js';

/** kube-apiserver's default `--event-ttl`. */
export const defaultEventTtlMs = 60 * 60_000;

/**
 * Expired Events deleted per sweep. With a sweep every 100 ms, the 5,000 Events of a big rollout expiring
 * together go in five seconds, and no sweep holds the event loop for more than about a millisecond.
 */
export const deletesPerSweep = 100;

export interface EventExpiryOptions {
  store: Store;
  cache: WatchCache;
  events: ResourceInfo;
  ttlMs: number;
  now: () => number;
  log: (message: string) => void;
}

export class EventExpiry {
  /** Storage key → when the Event expires and the revision that expiry belongs to; oldest write first. */
  private readonly expiries = new Map<string, { at: number; revision: number }>();
  private stopWatch?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: EventExpiryOptions) {}

  /** Starts tracking the cache's Events (the cache must be started) and sweeping every `sweepIntervalMs`. */
  start(sweepIntervalMs = 100): void {
    const { cache, events, ttlMs, now } = this.options;
    this.stopWatch = cache.watch({
      resource: events,
      onEvent: (type, cached) => {
        // Deleted and re-inserted, so that the map stays in order of expiry (every write adds the same TTL).
        this.expiries.delete(cached.key);
        if (type !== 'DELETED') this.expiries.set(cached.key, { at: now() + ttlMs, revision: cached.revision });
      },
    });
    this.timer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopWatch?.();
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Deletes up to {@link deletesPerSweep} expired Events. A delete is conditional on the revision the
   * expiry was noted for: an Event written again meanwhile has a new expiry and stays.
   */
  sweep(): void {
    const { store, now, log } = this.options;
    const time = now();
    let deleted = 0;
    for (const [key, expiry] of this.expiries) {
      if (expiry.at > time || deleted === deletesPerSweep) break;
      this.expiries.delete(key);
      deleted++;
      store.delete(key, expiry.revision).catch((error: unknown) => {
        // Gone already (its namespace was deleted), or written again since: nothing to do.
        if (error instanceof StatusError && (error.code === 404 || error.code === 409)) return;
        log(`could not delete expired event ${key}: ${String(error)}`);
      });
    }
  }
}
