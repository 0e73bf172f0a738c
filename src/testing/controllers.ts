/**
 * Helpers for controller tests. Imported only by `*.test.ts` files.
 */
import type { Client, ClientWatch } from '../client/index.js';

export interface WaitForOptions {
  /** Give up after this long. @default 5000 */
  timeoutMs?: number;
  /** Pause between checks. @default 5 */
  intervalMs?: number;
  /** What to print about the state last seen when time runs out. */
  describe?: () => unknown | Promise<unknown>;
  /** What is awaited, in words, for the timeout's message (by default the condition's source). */
  what?: string;
}

/**
 * Checks `condition` until it returns something truthy and resolves with that value; on timeout
 * throws an error that names what was awaited and, with `describe`, the state last seen.
 * Checks are cheap in-process reads, a few milliseconds apart; nothing here sleeps for a fixed time
 * before looking.
 *
 * @example
 * await waitFor(async () => (await client.list(refs.pods, { namespace })).items.length === 0, { describe: listPods });
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 5;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = options.describe ? await options.describe() : undefined;
      const parts = [`waitFor: condition not met within ${timeoutMs} ms: ${options.what ?? condition.toString()}`];
      if (seen !== undefined) parts.push(`last seen: ${JSON.stringify(seen, null, 2)}`);
      if (lastError) parts.push(`last error: ${String(lastError)}`);
      throw new Error(parts.join('\n'));
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Wraps a real client so a test can cut its watches as a broken connection would: each open watch
 * stops and its `onError` is called. Everything else goes to `inner` unchanged.
 */
export function breakableClient(inner: Client): Client & { breakWatches(): void } {
  const live = new Set<{ watch: ClientWatch; onError?: (error: unknown) => void }>();
  return Object.assign(Object.create(inner) as Client, {
    watch: ((ref, query, onEvent, onError) => {
      const entry = { watch: inner.watch(ref, query, onEvent, onError), onError };
      live.add(entry);
      return { stop: () => (entry.watch.stop(), live.delete(entry)) };
    }) as Client['watch'],
    breakWatches() {
      for (const entry of [...live]) {
        entry.watch.stop();
        live.delete(entry);
        entry.onError?.(new Error('connection reset'));
      }
    },
  });
}
