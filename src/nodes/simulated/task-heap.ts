/**
 * One scheduled-task heap for a whole fleet: every simulated node and pod asks for "run my key at
 * time T", and the heap keeps a single clock timer armed for the earliest entry. 5,000 nodes with a
 * lease each mean 5,000 heap entries, never 5,000 timers.
 *
 * Keys are deduplicated with "earliest wins": asking for a key that is already due sooner changes
 * nothing, asking for it sooner moves it forward. A run decides for itself when it wants to run
 * again. Stale heap entries (moved or cancelled keys) are skipped lazily when they reach the top.
 */
import type { Clock, Timer } from '../../client/index.js';

interface Entry {
  at: number;
  seq: number;
  key: string;
}

export class TaskHeap {
  private readonly heap: Entry[] = [];
  /** key → its live entry; an entry not in here is stale. */
  private readonly live = new Map<string, Entry>();
  private seq = 0;
  private timer?: Timer;
  private timerAt = Infinity;
  private stopped = false;
  private flushQueued = false;

  /**
   * `run` receives the keys that fell due, in time order, at most `maxPerTurn` per turn of the event loop:
   * a thousand pods falling due together start over several turns, so other work (API requests, watch
   * events) is served in between instead of waiting for all of them.
   */
  constructor(
    private readonly clock: Clock,
    private readonly run: (keys: string[]) => void,
    private readonly maxPerTurn = 64,
  ) {}

  /** Runs `key` at `at` (clock milliseconds), unless it is already due at or before then. */
  schedule(key: string, at: number): void {
    if (this.stopped) return;
    const existing = this.live.get(key);
    if (existing && existing.at <= at) return;
    const entry: Entry = { at, seq: this.seq++, key };
    this.live.set(key, entry);
    this.push(entry);
    if (at <= this.clock.now()) this.flushSoon();
    else this.arm();
  }

  /** Forgets `key` (its heap entry becomes stale). */
  cancel(key: string): void {
    this.live.delete(key);
  }

  /** When `key` is next due, if scheduled. */
  dueAt(key: string): number | undefined {
    return this.live.get(key)?.at;
  }

  /** Live scheduled keys. */
  get size(): number {
    return this.live.size;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.live.clear();
    this.heap.length = 0;
  }

  // ----------------------------------------------------------------------------------------------

  /**
   * Work due now runs on the next turn of the event loop, without a clock timer (a fake clock only
   * fires timers when advanced); everything due by then runs in the same batch.
   */
  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.tick();
    });
  }

  private arm(): void {
    this.dropStale();
    const top = this.heap[0];
    if (!top) {
      this.timer?.cancel();
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= top.at) return;
    this.timer?.cancel();
    this.timerAt = top.at;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, top.at - this.clock.now());
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const due: string[] = [];
    let more = false;
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) break;
      if (due.length === this.maxPerTurn) {
        more = true;
        break;
      }
      this.pop();
      this.live.delete(top.key);
      due.push(top.key);
    }
    if (due.length > 0) this.run(due);
    // The rest of what is due runs on the next turn; the timer waits for what is due later.
    if (more) this.flushSoon();
    else this.arm();
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0]!.key) !== this.heap[0]) this.pop();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (h.length === 0 || !last) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
