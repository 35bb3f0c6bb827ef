import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../lib/log.ts';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import { createRedis, type RedisSettings } from '../../lib/queue/redis.ts';
import type { EventJob } from './event-job.ts';
import { eventJobId, eventJobOptions } from './event-job-options.ts';
import { decodeEntry, intakeGroup, intakeStreamKey, seenKey } from './journal-entry.ts';

export interface JournalDrainerOptions {
  redis: RedisSettings;
  logger: Logger;
  /** This drainer's consumer name in the group; unique per process by default. */
  consumer?: string | undefined;
  /** Entries moved per round trip. */
  batchSize?: number | undefined;
  /** An entry another drainer took and has not acknowledged for this long is taken over (its drainer died). */
  claimIdleMs?: number | undefined;
  /** How long one blocking read waits for new entries. */
  blockMs?: number | undefined;
  /** How long a delivery id is remembered, so a redelivery after its job was removed is still dropped. */
  seenTtlSeconds?: number | undefined;
  /** Registry for the drainer's counters (moved, duplicates). */
  metrics?: Registry | undefined;
  /** Attempts and backoff of the jobs it adds; `eventJobOptions` by default (tests shorten them). */
  jobOptions?: Pick<JobsOptions, 'attempts' | 'backoff'> | undefined;
}

type StreamEntry = [id: string, fields: string[]];

interface State {
  closed: boolean;
  blocked: boolean;
  groupReady: boolean;
  nextClaimAt: number;
  loop: Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Moves accepted deliveries from the intake journal into the BullMQ `events` queue (job id = delivery), then
 * acknowledges and deletes them from the journal. Any number of drainers share the work through a consumer
 * group; entries a dead drainer had read but not moved stay pending and are claimed by the next live one.
 * A delivery seen before (a redelivery) is dropped, even when its first job already completed and was removed.
 */
export class JournalDrainer {
  readonly #redis: Redis;
  readonly #queue: Queue<EventJob>;
  readonly #log: Logger;
  readonly #key: string;
  readonly #prefix: string;
  readonly #consumer: string;
  readonly #batch: number;
  readonly #claimIdleMs: number;
  readonly #blockMs: number;
  readonly #seenTtl: number;
  readonly #jobOptions: JobsOptions;
  readonly #moved: Counter | undefined;
  readonly #duplicates: Counter | undefined;
  readonly #state: State;

  private constructor(opts: JournalDrainerOptions) {
    this.#redis = createRedis(opts.redis);
    this.#redis.on('error', (err: Error) => {
      opts.logger.debug({ err: err.message }, 'drainer: Redis connection error');
    });
    this.#queue = createQueue<EventJob>(opts.redis, queueNames.events);
    this.#queue.on('error', (err: Error) => {
      opts.logger.debug({ err: err.message }, 'drainer: queue connection error');
    });
    this.#log = opts.logger;
    this.#prefix = opts.redis.prefix;
    this.#key = intakeStreamKey(opts.redis.prefix);
    this.#consumer = opts.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#batch = opts.batchSize ?? 200;
    this.#claimIdleMs = opts.claimIdleMs ?? 30_000;
    this.#blockMs = opts.blockMs ?? 1_000;
    this.#seenTtl = opts.seenTtlSeconds ?? 7 * 24 * 3600;
    this.#jobOptions = { ...eventJobOptions, ...opts.jobOptions };
    if (opts.metrics) {
      this.#moved = new Counter({ name: 'prow_hook_intake_moved_total', help: 'Deliveries moved from the intake journal into the events queue.', registers: [opts.metrics] });
      this.#duplicates = new Counter({ name: 'prow_hook_intake_duplicates_total', help: 'Redeliveries of a delivery already taken, dropped.', registers: [opts.metrics] });
    }
    this.#state = { closed: false, blocked: false, groupReady: false, nextClaimAt: 0, loop: Promise.resolve() };
  }

  /** Starts draining in the background; entries left by dead drainers are claimed first. */
  static start(opts: JournalDrainerOptions): JournalDrainer {
    const drainer = new JournalDrainer(opts);
    drainer.#state.loop = drainer.#run();
    return drainer;
  }

  /** Stops after the batch in hand is moved; what was read and not moved stays pending for the next drainer. */
  async close(): Promise<void> {
    this.#state.closed = true;
    // A blocking read holds nothing yet: cutting it short loses nothing and saves waiting for its timeout.
    if (this.#state.blocked) this.#redis.disconnect();
    await this.#state.loop;
    await this.#queue.close();
    this.#redis.disconnect();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#state.closed) {
      try {
        await this.#ensureGroup();
        if (Date.now() >= this.#state.nextClaimAt) {
          await this.#claimStale();
          this.#state.nextClaimAt = Date.now() + Math.max(1, Math.floor(this.#claimIdleMs / 2));
        }
        this.#state.blocked = true;
        const reply = (await this.#redis.xreadgroup(
          'GROUP', intakeGroup, this.#consumer, 'COUNT', this.#batch, 'BLOCK', this.#blockMs, 'STREAMS', this.#key, '>',
        )) as [string, StreamEntry[]][] | null;
        this.#state.blocked = false;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length > 0) await this.#move(entries);
        failures = 0;
      } catch (err) {
        this.#state.blocked = false;
        if (this.#stopping()) break;
        if (err instanceof Error && err.message.includes('NOGROUP')) this.#state.groupReady = false;
        failures++;
        this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'drainer: moving deliveries failed; retrying');
        await sleep(Math.min(5_000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** Read through a call: close() flips the flag while the loop awaits, which narrowing cannot see. */
  #stopping(): boolean {
    return this.#state.closed;
  }

  async #ensureGroup(): Promise<void> {
    if (this.#state.groupReady) return;
    try {
      // From id 0 so that entries written before any drainer existed are moved too.
      await this.#redis.xgroup('CREATE', this.#key, intakeGroup, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    }
    this.#state.groupReady = true;
  }

  async #claimStale(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries, deleted] = (await this.#redis.xautoclaim(
        this.#key, intakeGroup, this.#consumer, this.#claimIdleMs, cursor, 'COUNT', this.#batch,
      )) as [string, (StreamEntry | null)[], string[]?];
      const live = entries.filter((e): e is StreamEntry => e !== null);
      if (live.length > 0) {
        this.#log.info({ entries: live.length }, 'drainer: took over deliveries a stopped drainer left');
        await this.#move(live);
      }
      if (deleted !== undefined && deleted.length > 0) await this.#redis.xack(this.#key, intakeGroup, ...deleted);
      cursor = next;
    } while (cursor !== '0-0' && !this.#state.closed);
  }

  async #move(entries: StreamEntry[]): Promise<void> {
    const decoded = entries.map(([id, fields]) => ({ id, job: decodeEntry(fields) }));
    const good = decoded.filter((e): e is { id: string; job: EventJob } => e.job !== undefined);
    for (const bad of decoded.filter((e) => e.job === undefined)) this.#log.error({ entry: bad.id }, 'drainer: dropping a journal entry intake did not write');
    // Claiming the delivery and remembering which entry claimed it is one command, so a drainer that dies
    // after it still moves its own entry when the entry is claimed again, and nobody else does.
    const claim = this.#redis.pipeline();
    for (const e of good) claim.call('SET', seenKey(this.#prefix, e.job.delivery), e.id, 'EX', String(this.#seenTtl), 'NX', 'GET');
    const claimed = (await claim.exec()) ?? [];
    const toAdd: EventJob[] = [];
    for (const [i, e] of good.entries()) {
      const [err, owner] = claimed[i] ?? [new Error('Redis returned no reply for the claim')];
      if (err) throw err;
      if (owner === null || owner === e.id) toAdd.push(e.job);
    }
    if (toAdd.length > 0) {
      await this.#queue.addBulk(toAdd.map((job) => ({ name: job.event, data: job, opts: { ...this.#jobOptions, jobId: eventJobId(job.delivery) } })));
    }
    const ids = entries.map(([id]) => id);
    const ack = await this.#redis.multi().xack(this.#key, intakeGroup, ...ids).xdel(this.#key, ...ids).exec();
    const ackErr = ack?.find(([e]) => e)?.[0];
    if (ackErr) throw ackErr;
    this.#moved?.inc(toAdd.length);
    this.#duplicates?.inc(good.length - toAdd.length);
    if (good.length > toAdd.length) this.#log.debug({ dropped: good.length - toAdd.length }, 'drainer: dropped redeliveries');
  }
}
