/**
 * Fan-out of committed store events to watchers.
 *
 * Each watcher gets the history it asked for first (delivered from a microtask, never from inside
 * `watch()`), then live events, in revision order, each at most once: a watcher remembers the last
 * revision it was given (its cursor) and drops anything at or below it, which is what lets a watch
 * registered while a batch is between commit and announcement see that batch exactly once.
 */

import type { StoreEvent, WatchHandle } from './types.js';

export interface Subscription {
  prefix: string;
  /** Events at or below this revision are never delivered (they are in `replay` or before the start). */
  cursor: number;
  /** Committed history to deliver first, in revision order, already filtered by prefix. */
  replay: StoreEvent[];
  onEvent: (event: StoreEvent) => void;
}

/** The set of live watchers of one store. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  /** Registers a watcher; its replay starts on a microtask, so `onEvent` never runs before this returns. */
  add(subscription: Subscription): WatchHandle {
    const watcher = new Watcher(subscription);
    this.watchers.add(watcher);
    return {
      stop: () => {
        watcher.stop();
        this.watchers.delete(watcher);
      },
    };
  }

  /** Offers committed events, in revision order, to every watcher. */
  publish(events: readonly StoreEvent[]): void {
    for (const event of events) {
      for (const watcher of this.watchers) watcher.offer(event);
    }
  }

  /** Stops every watcher (the store is closing). */
  stopAll(): void {
    for (const watcher of this.watchers) watcher.stop();
    this.watchers.clear();
  }
}

class Watcher {
  private readonly prefix: string;
  private readonly onEvent: (event: StoreEvent) => void;
  private cursor: number;
  /** Events waiting behind the replay; while non-empty, live events queue here to keep the order. */
  private backlog: StoreEvent[];
  private stopped = false;

  constructor({ prefix, cursor, replay, onEvent }: Subscription) {
    this.prefix = prefix;
    this.cursor = cursor;
    this.onEvent = onEvent;
    this.backlog = replay;
    if (replay.length > 0) queueMicrotask(() => this.drain());
  }

  offer(event: StoreEvent): void {
    if (this.stopped || event.revision <= this.cursor || !event.key.startsWith(this.prefix)) return;
    this.cursor = event.revision;
    if (this.backlog.length > 0) this.backlog.push(event);
    else this.deliver(event);
  }

  stop(): void {
    this.stopped = true;
    this.backlog = [];
  }

  private drain(): void {
    // Indexing (not shift) keeps the drain linear; offer() may append while we deliver.
    const backlog = this.backlog;
    for (let i = 0; i < backlog.length && !this.stopped; i++) this.deliver(backlog[i]!);
    if (this.backlog === backlog) this.backlog = [];
  }

  private deliver(event: StoreEvent): void {
    try {
      this.onEvent(event);
    } catch (error) {
      // A throwing callback is a bug in the caller. Finish the store's bookkeeping (other watchers,
      // pending writers) first, then surface it as an uncaught exception rather than swallow it.
      process.nextTick(() => {
        throw error;
      });
    }
  }
}
