/**
 * The failed-pod backoff: after the controller deletes a Failed daemon pod on a node it waits before
 * deleting (and so replacing) another one there, 1 s at first, doubling up to 15 min.
 * Upstream: failedPodsBackoff (a flowcontrol.Backoff) and failedPodsBackoffKey in
 * pkg/controller/daemon/daemon_controller.go.
 */

import { realClock, type Clock } from '../../client/index.js';
import type { DaemonSet } from '../../api/types.js';

export const failedPodsBackoffInitialMs = 1000;
export const failedPodsBackoffMaxMs = 15 * 60 * 1000;

/** `<ds uid>/<status.observedGeneration>/<node>`: a spec change (new generation) starts afresh. */
export function failedPodsBackoffKey(ds: DaemonSet, nodeName: string): string {
  return `${ds.metadata.uid ?? ''}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
}

interface Entry {
  durationMs: number;
  lastUpdate: number;
}

/** Per-key exponential backoff measured from the last {@link FailedPodsBackoff.next}. */
export class FailedPodsBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly initialMs = failedPodsBackoffInitialMs,
    private readonly maxMs = failedPodsBackoffMaxMs,
  ) {}

  /** Starts or doubles the key's backoff from now. An entry idle for twice the maximum starts over. */
  next(key: string): void {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    if (!entry || now - entry.lastUpdate > 2 * this.maxMs) {
      this.entries.set(key, { durationMs: this.initialMs, lastUpdate: now });
      return;
    }
    entry.durationMs = Math.min(entry.durationMs * 2, this.maxMs);
    entry.lastUpdate = now;
  }

  /** Whether less than the key's current duration has passed since its last `next`. */
  isInBackOffSinceUpdate(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.clock.now() - entry.lastUpdate < entry.durationMs;
  }

  /** The key's current duration; 0 when it has none. */
  get(key: string): number {
    return this.entries.get(key)?.durationMs ?? 0;
  }

  /** Drops entries idle for more than twice the maximum (called now and then to bound memory). */
  gc(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (now - entry.lastUpdate > 2 * this.maxMs) this.entries.delete(key);
  }
}
