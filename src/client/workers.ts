/**
 * The worker loop every controller shares: take a key, sync it, and let the outcome decide what
 * happens to the key next. Syncs never retry or sleep themselves; this is the one place that does.
 * Upstream: `processNextWorkItem` in each controller, and controller-runtime's `reconcileHandler`.
 */
import type { WorkQueue } from './work-queue.js';

/** What a successful sync may ask for besides "done". */
export interface SyncResult {
  /** Sync the key again after this many milliseconds (its backoff is reset first). */
  requeueAfterMs?: number;
  /** Sync the key again after its rate-limited backoff, without reporting an error. */
  requeue?: boolean;
}

/** Brings the object named by `key` to its desired state, reading current state afresh. */
export type SyncFunction = (key: string) => Promise<void | SyncResult>;

/**
 * An error retrying will not fix (a malformed reference, say). The worker reports it and forgets the
 * key instead of retrying; a later change to the object enqueues it again.
 */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

export interface WorkersConfig {
  queue: WorkQueue;
  sync: SyncFunction;
  /** How many syncs may run at once (each on a different key). @default 1 */
  workers?: number;
  /** Told about every failed sync, before the key is retried (or dropped, for a `TerminalError`). */
  onError?: (error: unknown, key: string) => void;
}

export interface Workers {
  /**
   * Shuts the queue down and resolves once the syncs already running have finished. No sync starts
   * after `stop()`, even for keys still queued.
   */
  stop(): Promise<void>;
}

/**
 * Starts `workers` loops over `queue`. Outcome of a sync, per key:
 * - resolves with nothing: `forget` (backoff reset);
 * - resolves `{ requeueAfterMs }`: `forget`, then `addAfter`;
 * - resolves `{ requeue: true }`: `addRateLimited`;
 * - throws a `TerminalError`: `onError`, then `forget`;
 * - throws anything else: `onError`, then `addRateLimited`.
 *
 * @example
 * const workers = runWorkers({ queue, sync: (key) => controller.sync(key), workers: 2, onError: report });
 * // ... later
 * await workers.stop();
 */
export function runWorkers(config: WorkersConfig): Workers {
  const { queue, sync, onError } = config;
  const count = config.workers ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot run workers: 'workers' must be a positive integer: current value ${count}`);
  }
  let stopping = false;

  // A failing reporter must not kill the worker loop.
  function report(error: unknown, key: string): void {
    try {
      onError?.(error, key);
    } catch {
      // nothing better to do with it
    }
  }

  async function processKey(key: string): Promise<void> {
    try {
      const result = await sync(key);
      if (result?.requeue) {
        queue.addRateLimited(key);
      } else if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
        queue.forget(key);
        queue.addAfter(key, result.requeueAfterMs);
      } else {
        queue.forget(key);
      }
    } catch (error) {
      report(error, key);
      if (error instanceof TerminalError) queue.forget(key);
      else queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      if (stopping) {
        queue.done(key);
        continue;
      }
      await processKey(key);
    }
  }

  const loops = Array.from({ length: count }, () => loop());
  return {
    async stop() {
      stopping = true;
      queue.shutDown();
      await Promise.all(loops);
    },
  };
}
