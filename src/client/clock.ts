/**
 * Time, injected. Every component that waits or measures time takes a `Clock`, so unit tests drive
 * time with `FakeClock` instead of sleeping.
 */

/** A scheduled callback that has not run yet. */
export interface Timer {
  /** Prevents the callback from running; a no-op once it has run. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (or since the fake clock's start). */
  now(): number;
  /** Runs `fn` once, `ms` milliseconds from now (at once, on a later turn, when `ms <= 0`). */
  setTimer(fn: () => void, ms: number): Timer;
}

/**
 * The wall clock. Its timers are unref'd: a pending requeue never keeps a process alive on its own
 * (whatever owns the controllers, the API server for one, does that).
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface FakeTimer {
  at: number;
  /** Creation order, so timers due at the same time run in the order they were set. */
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. `advance(ms)` runs, in time order, every timer that falls due
 * within the step, including timers set by those callbacks.
 *
 * @example
 * const clock = new FakeClock();
 * clock.setTimer(() => console.log('fired'), 100);
 * clock.advance(99);  // nothing
 * clock.advance(1);   // fired
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: FakeTimer[] = [];
  private seq = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(fn: () => void, ms: number): Timer {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, running the timers that fall due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }

  /** How many timers are set and neither run nor cancelled. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(target: number): FakeTimer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
