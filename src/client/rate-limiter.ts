/**
 * Per-key retry delays for the work queue. Upstream: `ItemExponentialFailureRateLimiter` in
 * k8s.io/client-go/util/workqueue/default_rate_limiters.go.
 */

/** Decides how long a key waits before its next retry. */
export interface RateLimiter {
  /** The delay for the key's next retry; each call counts one more failure. */
  when(key: string): number;
  /** Clears the key's failures: its next retry starts from the base delay again. */
  forget(key: string): void;
  /** How many failures are counted for the key. */
  retries(key: string): number;
}

export interface ExponentialBackoffConfig {
  /** Delay after the first failure. @default 5 */
  baseMs?: number;
  /** Longest delay. @default 1_000_000 (1000 s) */
  maxMs?: number;
}

/**
 * `baseMs * 2^failures`, capped at `maxMs`: with the defaults 5 ms, 10 ms, 20 ms, ... reaching the
 * 1000 s cap after 18 failures in a row, the same numbers as upstream's default controller limiter.
 */
export class ExponentialBackoff implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(config: ExponentialBackoffConfig = {}) {
    this.baseMs = config.baseMs ?? 5;
    this.maxMs = config.maxMs ?? 1_000_000;
    if (!(this.baseMs > 0) || !(this.maxMs >= this.baseMs)) {
      throw new RangeError(`Cannot create the backoff: 'baseMs' must be > 0 and <= 'maxMs': current values ${this.baseMs} and ${this.maxMs}`);
    }
  }

  when(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    // 2 ** failures is exact for any count we will ever reach and only overflows to Infinity.
    return Math.min(this.baseMs * 2 ** failures, this.maxMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}
