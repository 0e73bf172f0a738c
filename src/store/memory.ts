/**
 * An in-memory `Store` for unit tests: the same semantics as the SQLite store (revisions, preconditions,
 * group commit, watch history, compaction) without durability. Writes are committed from a microtask.
 */

import { GroupCommitStore } from './group-commit.js';
import type { StoreEvent } from './types.js';

/**
 * A `Store` held in memory. Writes resolve on a microtask; history is kept until `compact`, which
 * drops every event at or below the compacted revision (a watch can only start above it).
 */
export class MemoryStore extends GroupCommitStore {
  /** Every committed event above the compacted revision, in revision order. */
  private events: StoreEvent[] = [];

  constructor() {
    // No batch cap: a synchronous run of writes is one batch, and nothing is written anywhere.
    super({ objects: [], revision: 0, compactedRevision: 0 }, { schedule: queueMicrotask, maxBatch: Infinity });
  }

  protected override persist(events: readonly StoreEvent[]): void {
    for (const event of events) this.events.push(event);
  }

  protected override history(prefix: string, afterRevision: number): StoreEvent[] {
    const replay: StoreEvent[] = [];
    for (let i = firstAfter(this.events, afterRevision); i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.key.startsWith(prefix)) replay.push(event);
    }
    return replay;
  }

  protected override forget(_from: number, to: number): void {
    // Events carry their previous state, so nothing at or below the compacted revision is needed.
    this.events = this.events.slice(firstAfter(this.events, to));
  }

  protected override release(): void {
    this.events = [];
  }
}

/** Index of the first event with a revision above `revision` (binary search; events are in revision order). */
function firstAfter(events: readonly StoreEvent[], revision: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.revision <= revision) low = middle + 1;
    else high = middle;
  }
  return low;
}
