/**
 * Prow's requestCoalescer as a singleflight: while one request for a key is in flight, identical ones wait for
 * its outcome instead of going upstream. Keys exist only while their request is in flight, and a key is
 * forgotten before its waiters resume, so a request arriving after the outcome starts afresh.
 */
export class Coalescer<T> {
  readonly #inflight = new Map<string, Promise<T>>();
  #waiting = 0;

  /** Requests waiting for another's outcome right now. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Joins the request in flight for `key`, or runs `work` as the one others join. Decided synchronously, so
   * two requests can never both find the key free.
   */
  run(key: string, work: () => Promise<T>): { outcome: Promise<T>; joined: boolean } {
    const inflight = this.#inflight.get(key);
    if (inflight !== undefined) {
      this.#waiting += 1;
      const done = (): void => {
        this.#waiting -= 1;
      };
      inflight.then(done, done);
      return { outcome: inflight, joined: true };
    }
    const promise = work();
    this.#inflight.set(key, promise);
    // Registered before any waiter's reaction, so the key is gone by the time they resume.
    const forget = (): void => {
      if (this.#inflight.get(key) === promise) this.#inflight.delete(key);
    };
    promise.then(forget, forget);
    return { outcome: promise, joined: false };
  }
}
