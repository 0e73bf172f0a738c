/**
 * Polls `check` until it holds: until it neither throws nor returns false. After `timeoutMs` it fails
 * with what was awaited and the last error, if any.
 */
export async function eventually(what: string, check: () => Promise<boolean | void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      if ((await check()) !== false) return;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${failure ? `: ${(failure as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
