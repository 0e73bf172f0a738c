/**
 * The controllers' work queue, with upstream's semantics (k8s.io/client-go/util/workqueue: the
 * plain queue, the delaying queue and the rate-limiting queue in one class).
 *
 * A key is in at most one of three states at a time, which is what makes syncs safe to run in
 * parallel: a key is never handed to two workers at once.
 *
 *   queued      waiting in FIFO order to be handed out by `get()`
 *   processing  handed out and not yet `done()`; an `add()` meanwhile marks it dirty, and `done()`
 *               queues it again, so the change that caused the add is never lost
 *   waiting     scheduled by `addAfter()` / `addRateLimited()`; joins the queue when due
 */
import { realClock, type Clock, type Timer } from './clock.js';
import { ExponentialBackoff, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueConfig {
  /** @default realClock */
  clock?: Clock;
  /** Delays for `addRateLimited`. @default new ExponentialBackoff() (5 ms doubling to 1000 s) */
  rateLimiter?: RateLimiter;
}

interface DelayedEntry {
  key: string;
  readyAt: number;
  /** Insertion order: keys due at the same time join the queue in the order they were delayed. */
  seq: number;
}

const before = (a: DelayedEntry, b: DelayedEntry): boolean => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);

export class WorkQueue {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  /** FIFO of queued keys; `queue[head..]` is live (shifting an array is O(n), moving `head` is not). */
  private queue: string[] = [];
  private head = 0;
  /** Keys that need processing: every queued key, plus processing keys added again. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  /** Workers blocked in `get()` while the queue is empty. */
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  /** Delayed keys and when each is due; only the earliest request per key counts. */
  private readonly delayed = new Map<string, number>();
  /** Min-heap by readyAt over `delayed`; entries whose time no longer matches the map are stale. */
  private heap: DelayedEntry[] = [];
  private seq = 0;
  private timer?: Timer;
  private timerAt?: number;
  private shuttingDown = false;

  constructor(config: WorkQueueConfig = {}) {
    this.clock = config.clock ?? realClock;
    this.rateLimiter = config.rateLimiter ?? new ExponentialBackoff();
  }

  /** Marks the key as needing processing. A no-op if it is already queued or after `shutDown()`. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    // A key being processed is queued again by done(), never handed to a second worker now.
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /**
   * Adds the key once `ms` milliseconds have passed (at once when `ms <= 0`). A key already waiting
   * keeps the earlier of its two due times.
   */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const current = this.delayed.get(key);
    if (current !== undefined && current <= readyAt) return;
    this.delayed.set(key, readyAt);
    this.pushHeap({ key, readyAt, seq: this.seq++ });
    this.armTimer();
  }

  /** Adds the key after its rate limiter's delay: the retry path after a failed sync. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Ends the key's backoff: call after a successful sync so its next failure starts over. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** How many rate-limited retries the key has had since it was last forgotten. */
  numRequeues(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /**
   * The next key to process, marked as processing until `done(key)`. Waits while the queue is
   * empty. Resolves `undefined` once the queue is shut down and has nothing queued left (keys
   * queued before `shutDown()` are still handed out, as upstream does).
   */
  get(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined || this.shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends processing of the key; queues it again if it was added while being processed. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.enqueue(key);
  }

  /** Number of queued keys (not counting processing or delayed ones). */
  len(): number {
    return this.queue.length - this.head;
  }

  /** Keys waiting for `addAfter` / `addRateLimited` to fall due. */
  delayedLen(): number {
    return this.delayed.size;
  }

  /**
   * Stops accepting keys: later adds are ignored, delayed keys are dropped, and blocked `get()`
   * calls resolve `undefined`.
   */
  shutDown(): void {
    this.shuttingDown = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.delayed.clear();
    this.heap = [];
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  // ----------------------------------------------------------------------------------------------

  private enqueue(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      // Hand the key straight to a blocked worker: it is processing from this moment.
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queue.push(key);
  }

  private take(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Moves every due delayed key into the queue and re-arms the timer for the next one. */
  private releaseDue(): void {
    this.timer = undefined;
    this.timerAt = undefined;
    const now = this.clock.now();
    for (let entry = this.peekHeap(); entry && entry.readyAt <= now; entry = this.peekHeap()) {
      this.popHeap();
      this.delayed.delete(entry.key);
      this.add(entry.key);
    }
    this.armTimer();
  }

  /** One timer for the earliest delayed key, however many keys wait. */
  private armTimer(): void {
    const next = this.peekHeap();
    if (!next) {
      this.timer?.cancel();
      this.timer = undefined;
      this.timerAt = undefined;
      return;
    }
    if (this.timer && this.timerAt === next.readyAt) return;
    this.timer?.cancel();
    this.timerAt = next.readyAt;
    this.timer = this.clock.setTimer(() => this.releaseDue(), next.readyAt - this.clock.now());
  }

  /** The earliest live entry, discarding stale ones on the way. */
  private peekHeap(): DelayedEntry | undefined {
    while (this.heap.length) {
      const top = this.heap[0];
      if (this.delayed.get(top.key) === top.readyAt) return top;
      this.popHeap();
    }
    return undefined;
  }

  private pushHeap(entry: DelayedEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private popHeap(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!heap.length || !last) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) return;
      [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
      i = smallest;
    }
  }
}
