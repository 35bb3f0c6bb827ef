import { UpstreamError } from './upstream.ts';

/** Prow's time spacing per token budget (`--throttling-time-ms` and friends), in milliseconds. */
export interface SpacingSettings {
  /** Between two GETs of one budget. */
  getMs: number;
  /** Between any other pair of REST requests. */
  otherMs: number;
  /** Between GraphQL requests. */
  v4Ms: number;
  /** Longest wait spacing imposes on REST; beyond it the request goes anyway (better a 403 than a huge queue). */
  maxDelayMs: number;
  maxDelayV4Ms: number;
}

export interface ThrottleOptions {
  /** Upstream requests in flight at once, over all tokens (Prow's `--concurrency`). */
  concurrency: number;
  /** Off when undefined, as in Prow unless both v3 spacings are set. */
  spacing?: SpacingSettings | undefined;
  now?: (() => number) | undefined;
}

/** What one request looks like to the throttle. */
export interface ThrottleKind {
  get: boolean;
  api: 'v3' | 'v4';
}

interface Scheduled {
  at: number;
  get: boolean;
}

/**
 * Prow's tokensRegistry arithmetic: a request goes at `max(now, last + spacing)`, with the GET spacing when
 * both it and the one before are GETs, the other spacing otherwise, and the wait capped at `maxDelay`.
 */
export function nextSlot(last: Scheduled | undefined, now: number, get: boolean, spacing: { getMs: number; otherMs: number; maxDelayMs: number }): { waitMs: number; slot: Scheduled } {
  const gap = last === undefined ? 0 : last.get && get ? spacing.getMs : spacing.otherMs;
  const at = last === undefined ? now : Math.max(now, last.at + gap);
  const waitMs = Math.min(at - now, spacing.maxDelayMs);
  return { waitMs, slot: { at: now + waitMs, get } };
}

/** A budget under GitHub's secondary rate limit for longer than the request can wait. */
export class BudgetBlockedError extends Error {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`GitHub's secondary rate limit for this token is in effect for another ${retryAfterSeconds}s; ghproxy holds its requests until then. Retry after that.`);
    this.name = 'BudgetBlockedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The throttle in front of GitHub: a budget under a secondary rate limit waits until `retry-after` has
 * passed (so the proxy does not deepen the penalty), Prow's optional spacing per token budget, then one of
 * `concurrency` slots shared by every token.
 */
export class Throttle {
  readonly #concurrency: number;
  readonly #spacing: SpacingSettings | undefined;
  readonly #now: () => number;
  #active = 0;
  readonly #queue: Waiter[] = [];
  readonly #last = new Map<string, Scheduled>();
  readonly #blocked = new Map<string, number>();

  constructor(opts: ThrottleOptions) {
    this.#concurrency = opts.concurrency;
    this.#spacing = opts.spacing;
    this.#now = opts.now ?? Date.now;
  }

  /** Requests holding a slot. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Marks a budget as under a secondary rate limit until `until` (unix ms). */
  block(budget: string, until: number): void {
    this.#blocked.set(budget, Math.max(until, this.#blocked.get(budget) ?? 0));
  }

  /** Milliseconds the budget must still wait before GitHub takes its requests again, 0 when free. */
  blockedFor(budget: string): number {
    const until = this.#blocked.get(budget);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left <= 0) this.#blocked.delete(budget);
    return Math.max(0, left);
  }

  /**
   * Waits for the budget's turn and a slot, then returns how long it waited for its turn (the spacing and any
   * block, Prow's wait metric) and the function that frees the slot. Throws BudgetBlockedError when a block
   * outlasts `deadline`, and an UpstreamError timeout when no slot frees up before it.
   */
  async acquire(budget: string, kind: ThrottleKind, deadline: number): Promise<{ waitedMs: number; release: () => void }> {
    const started = this.#now();
    const blocked = this.blockedFor(budget);
    if (blocked > 0) {
      if (started + blocked >= deadline) throw new BudgetBlockedError(Math.ceil(blocked / 1000));
      await sleep(blocked);
    }
    if (this.#spacing !== undefined) {
      const s = this.#spacing;
      const key = `${kind.api}:${budget}`;
      const spacing = kind.api === 'v4' ? { getMs: s.v4Ms, otherMs: s.v4Ms, maxDelayMs: s.maxDelayV4Ms } : { getMs: s.getMs, otherMs: s.otherMs, maxDelayMs: s.maxDelayMs };
      const { waitMs, slot } = nextSlot(this.#last.get(key), this.#now(), kind.get, spacing);
      this.#last.set(key, slot);
      await sleep(waitMs);
    }
    const waitedMs = this.#now() - started;
    await this.#slot(deadline);
    let released = false;
    return {
      waitedMs,
      release: () => {
        if (released) return;
        released = true;
        this.#free();
      },
    };
  }

  #slot(deadline: number): Promise<void> {
    if (this.#active < this.#concurrency) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.#queue.indexOf(waiter);
          if (i !== -1) this.#queue.splice(i, 1);
          reject(new UpstreamError('timeout', 'no upstream slot freed up within the request timeout (raise GHPROXY_CONCURRENCY)'));
        }, Math.max(0, deadline - this.#now())),
      };
      this.#queue.push(waiter);
    });
  }

  #free(): void {
    const next = this.#queue.shift();
    if (next === undefined) {
      this.#active -= 1;
      return;
    }
    clearTimeout(next.timer);
    next.resolve();
  }
}
