import { Redis } from 'ioredis';
import type { Logger } from '../../lib/log.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import type { EventJob } from './event-job.ts';
import { encodeEntry, intakeStreamKey } from './journal-entry.ts';

/** Where the webhook route puts an accepted delivery; resolves once it is durable. */
export interface Intake {
  /** `raw` is the body's bytes, when the caller has them, to spare encoding `job.body` again. */
  append(job: EventJob, raw?: Buffer): Promise<void>;
  /** Deliveries accepted and not yet moved on; fails while Redis is away (used by /healthz and /metrics). */
  depth(): Promise<number>;
  /** Waits for writes in flight, then lets go of connections. */
  close(): Promise<void>;
}

interface Pending {
  fields: (string | Buffer)[];
  resolve: () => void;
  reject: (err: Error) => void;
}

interface State {
  pending: Pending[];
  scheduled: boolean;
  inflight: Set<Promise<void>>;
  closed: boolean;
}

export interface IntakeJournalOptions {
  redis: RedisSettings;
  logger: Logger;
  /** A write Redis has not acknowledged by then fails (and the request gets 503). */
  commandTimeoutMs?: number | undefined;
  /** While Redis is (re)connecting, writes wait this long for it before failing. */
  connectWaitMs?: number | undefined;
}

/**
 * The intake journal: a Redis stream that every accepted delivery is appended to before GitHub gets its 200.
 * Appends arriving in the same event-loop turn go to Redis in one pipeline (one XADD each), so a busy hook
 * pays one round trip per batch rather than per request; each caller still waits for its own XADD.
 * While Redis is unreachable, appends fail at once instead of queueing, so the caller can answer 503.
 */
export class IntakeJournal implements Intake {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #log: Logger;
  readonly #connectWaitMs: number;
  readonly #state: State = { pending: [], scheduled: false, inflight: new Set(), closed: false };

  constructor(opts: IntakeJournalOptions) {
    this.#key = intakeStreamKey(opts.redis.prefix);
    this.#log = opts.logger;
    this.#connectWaitMs = opts.connectWaitMs ?? 1_000;
    this.#redis = new Redis(opts.redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: opts.commandTimeoutMs ?? 5_000,
    });
    let lastError = '';
    this.#redis.on('error', (err: Error) => {
      // ioredis repeats the same error on every reconnect attempt; once per distinct message is enough.
      if (err.message !== lastError) this.#log.warn({ err: err.message }, 'intake journal: Redis connection error');
      lastError = err.message;
    });
    this.#redis.on('ready', () => (lastError = ''));
  }

  append(job: EventJob, raw?: Buffer): Promise<void> {
    if (this.#state.closed) return Promise.reject(new Error('intake journal is closed'));
    return new Promise((resolve, reject) => {
      this.#state.pending.push({ fields: encodeEntry(job, raw), resolve, reject });
      if (!this.#state.scheduled) {
        this.#state.scheduled = true;
        setImmediate(() => {
          this.#flush();
        });
      }
    });
  }

  /** Entries not yet moved into the queue. */
  async depth(): Promise<number> {
    await this.#connected();
    return this.#redis.xlen(this.#key);
  }

  async close(): Promise<void> {
    this.#state.closed = true;
    while (this.#state.scheduled || this.#state.inflight.size > 0) {
      await Promise.all(this.#state.inflight);
      await new Promise((r) => setImmediate(r));
    }
    try {
      await this.#redis.quit();
    } catch {
      this.#redis.disconnect();
    }
  }

  /** Resolves when the connection is ready, waiting a little through a (re)connect; rejects if it stays down. */
  #connected(): Promise<void> {
    if (this.#redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#redis.off('ready', onReady);
        reject(new Error(`Redis is not connected (${this.#redis.status})`));
      }, this.#connectWaitMs);
      this.#redis.once('ready', onReady);
    });
  }

  #flush(): void {
    const batch = this.#state.pending;
    this.#state.pending = [];
    this.#state.scheduled = false;
    if (batch.length === 0) return;
    const done = this.#write(batch);
    this.#state.inflight.add(done);
    void done.finally(() => this.#state.inflight.delete(done));
  }

  /** One pipeline for the whole batch; each caller learns the fate of its own XADD. */
  async #write(batch: Pending[]): Promise<void> {
    let results: [Error | null, unknown][] | null;
    try {
      await this.#connected();
      const pipeline = this.#redis.pipeline();
      for (const p of batch) pipeline.xadd(this.#key, '*', ...p.fields);
      results = await pipeline.exec();
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of batch) p.reject(error);
      return;
    }
    for (const [i, p] of batch.entries()) {
      const [err] = results?.[i] ?? [new Error('Redis returned no reply for the write')];
      if (err) p.reject(err);
      else p.resolve();
    }
  }
}
