/** How `until` polls. */
export interface UntilOptions {
  /** Give up after this long: 10 s unless set. */
  timeoutMs?: number;
  /** Between tries: 20 ms unless set. */
  everyMs?: number;
  /** What the test saw, for the timeout's message. */
  seen?: () => unknown;
}

/**
 * Polls `read` until it answers something other than undefined, null or false, and returns that; after
 * `timeoutMs` it fails with "timed out waiting for <what>". The one polling helper of the tests.
 */
export async function until<T>(what: string, read: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: UntilOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      const seen = opts.seen === undefined ? '' : `; saw ${JSON.stringify(opts.seen())}`;
      throw new Error(`timed out waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.everyMs ?? 20));
  }
}
