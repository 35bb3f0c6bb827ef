/** Runs work one at a time per key, in arrival order; different keys run side by side. */
export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running (for tests: the map empties once work settles). */
  readonly size: number;
}

/** An in-process keyed lock: a promise chain per key, removed when its last holder finishes. */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const before = tails.get(key) ?? Promise.resolve();
      // Tails never reject (see below), so the previous holder's outcome never reaches this one.
      const mine = before.then(work);
      // The chain must go on after a failure, and must not leave an unhandled rejection behind.
      const tail = mine.catch(() => undefined);
      tails.set(key, tail);
      try {
        return await mine;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    get size() {
      return tails.size;
    },
  };
}
