/**
 * Expectations: how many pod creates and deletes a DaemonSet's last sync issued that the informer has not
 * reported yet. While some are outstanding the cache is known to be stale, so the sync does not plan new
 * writes. Upstream: ControllerExpectations in pkg/controller/controller_utils.go.
 */

import { realClock, type Clock } from '../../client/index.js';

/** Expectations older than this are treated as satisfied, so a lost watch event cannot wedge a DaemonSet. */
export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
}

/** Per-key counters of unobserved creates (`add`) and deletes (`del`). Keys are DaemonSet `namespace/name`. */
export class ControllerExpectations {
  private readonly entries = new Map<string, Expectation>();

  constructor(private readonly clock: Clock = realClock) {}

  /** Replaces the key's expectations with `add` creates and `del` deletes, stamped now. */
  setExpectations(key: string, add: number, del: number): void {
    this.entries.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, count: number): void {
    this.setExpectations(key, count, 0);
  }

  expectDeletions(key: string, count: number): void {
    this.setExpectations(key, 0, count);
  }

  /** One create was seen (or will never be seen because it failed). */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** One delete was seen (or will never be seen because it failed). */
  deletionObserved(key: string): void {
    this.lowerExpectations(key, 0, 1);
  }

  lowerExpectations(key: string, add: number, del: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.add -= add;
    entry.del -= del;
  }

  /**
   * Whether a sync may plan writes: no expectations recorded, all observed (both counters ≤ 0), or recorded
   * more than 5 minutes ago.
   */
  satisfiedExpectations(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return true;
    if (entry.add <= 0 && entry.del <= 0) return true;
    return this.clock.now() - entry.timestamp > expectationsTimeoutMs;
  }

  /** The outstanding counters, for logs and tests. */
  get(key: string): { add: number; del: number } | undefined {
    const entry = this.entries.get(key);
    return entry ? { add: entry.add, del: entry.del } : undefined;
  }

  deleteExpectations(key: string): void {
    this.entries.delete(key);
  }
}
