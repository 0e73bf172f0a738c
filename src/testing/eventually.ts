import { waitFor } from './controllers.js';

/**
 * Polls `check` until it holds: until it neither throws nor returns false (a check made of assertions
 * holds once they pass). For end-to-end tests, whose checks run kubectl: 100 ms apart, 30 s at most.
 */
export async function eventually(what: string, check: () => Promise<boolean | void>, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await check()) !== false, { what, timeoutMs, intervalMs: 100 });
}
