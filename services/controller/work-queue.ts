import type { Logger } from '../../lib/log.ts';

/** Options of a WorkQueue. */
export interface WorkQueueOptions {
  /** How many keys are worked on at once (never the same key twice at once). */
  concurrency: number;
  /** Retry delay after the first failure of a key; doubles each failure up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  log: Logger;
  /** What the queue's log lines name it by. */
  name: string;
}

/**
 * A controller's work queue, as client-go has it: keys (job names) rather than events, so ten changes to one
 * job while it waits are one reconcile; one worker per key at a time; a key added while it is being worked is
 * worked again afterwards; a failing key is retried with exponential backoff, others are not held up.
 */
export class WorkQueue {
  readonly #opts: Required<Omit<WorkQueueOptions, 'log' | 'name'>> & Pick<WorkQueueOptions, 'log' | 'name'>;
  readonly #work: (key: string) => Promise<void>;
  readonly #waiting = new Set<string>();
  readonly #active = new Set<string>();
  readonly #again = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #idle: (() => void)[] = [];
  #closed = false;

  constructor(work: (key: string) => Promise<void>, opts: WorkQueueOptions) {
    this.#work = work;
    this.#opts = { baseBackoffMs: 500, maxBackoffMs: 30_000, ...opts };
  }

  /** Queues `key` now (or right after its current run). */
  add(key: string): void {
    if (this.#closed) return;
    if (this.#active.has(key)) {
      this.#again.add(key);
      return;
    }
    this.#waiting.add(key);
    this.#pump();
  }

  /** Queues `key` after `ms`; an earlier pending delay for the key is kept if it fires sooner. */
  addAfter(key: string, ms: number): void {
    if (this.#closed) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = Date.now() + ms;
    const existing = this.#timers.get(key) as (NodeJS.Timeout & { due?: number }) | undefined;
    if (existing?.due !== undefined && existing.due <= due) return;
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms) as NodeJS.Timeout & { due?: number };
    timer.due = due;
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Keys waiting or being worked. */
  get size(): number {
    return this.#waiting.size + this.#active.size;
  }

  /** Resolves when nothing is waiting or being worked (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops taking keys and waits for the ones being worked. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    this.#waiting.clear();
    this.#again.clear();
    await this.idle();
  }

  #pump(): void {
    for (const key of this.#waiting) {
      if (this.#active.size >= this.#opts.concurrency) break;
      this.#waiting.delete(key);
      this.#active.add(key);
      void this.#run(key);
    }
    if (this.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #run(key: string): Promise<void> {
    try {
      await this.#work(key);
      this.#failures.delete(key);
    } catch (err) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      const delay = Math.min(this.#opts.maxBackoffMs, this.#opts.baseBackoffMs * 2 ** (failures - 1));
      this.#opts.log.warn({ err, key, failures, retryInMs: delay, queue: this.#opts.name }, 'reconcile failed; retrying');
      this.addAfter(key, delay);
    } finally {
      this.#active.delete(key);
      if (this.#again.delete(key)) this.#waiting.add(key);
      this.#pump();
    }
  }
}
