import type { Redis } from 'ioredis';
import { redisKey } from '../../../lib/queue/names.ts';
import type { FailureKind } from './classify-error.ts';

/** How long a delivery's record outlives its last attempt: as long as intake keeps failed jobs (30 days). */
export const ledgerTtlSeconds = 30 * 24 * 3600;

/** Why one step of a delivery did not complete in its latest attempt. */
export interface StepFailure {
  plugin: string;
  /** `issue_comment.created`, `genericComment`, `external`, ... */
  handler: string;
  kind: FailureKind['kind'];
  reason: string;
  /** When it failed, ms since the epoch. */
  at: number;
}

/** What the ledger knows of a delivery: the steps that completed, and the latest failure of each one that did not. */
export interface DeliveryRecord {
  done: Set<string>;
  failures: Map<string, StepFailure>;
}

/** `<prefix>:hook:done:<delivery>` and `<prefix>:hook:failures:<delivery>`. */
export function ledgerKeys(prefix: string, delivery: string): { done: string; failures: string } {
  return { done: redisKey(prefix, 'hook', 'done', delivery), failures: redisKey(prefix, 'hook', 'failures', delivery) };
}

/**
 * Per-delivery progress in Redis, so that an attempt after a failure or a crash re-runs only the steps that
 * have not completed: a set of completed step ids and a hash of the failures of the others.
 */
export class DeliveryLedger {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async read(delivery: string): Promise<DeliveryRecord> {
    const keys = ledgerKeys(this.#prefix, delivery);
    const [done, failures] = await Promise.all([this.#redis.smembers(keys.done), this.#redis.hgetall(keys.failures)]);
    return {
      done: new Set(done),
      failures: new Map(Object.entries(failures).map(([step, json]) => [step, JSON.parse(json) as StepFailure])),
    };
  }

  /** Records that `step` completed; it is skipped from now on. */
  async markDone(delivery: string, step: string): Promise<void> {
    const keys = ledgerKeys(this.#prefix, delivery);
    await this.#redis
      .multi()
      .sadd(keys.done, step)
      .hdel(keys.failures, step)
      .expire(keys.done, ledgerTtlSeconds)
      .exec();
  }

  async recordFailures(delivery: string, failures: ReadonlyMap<string, StepFailure>): Promise<void> {
    if (failures.size === 0) return;
    const keys = ledgerKeys(this.#prefix, delivery);
    const fields = [...failures].flatMap(([step, f]) => [step, JSON.stringify(f)]);
    await this.#redis
      .multi()
      .hset(keys.failures, ...fields)
      .expire(keys.failures, ledgerTtlSeconds)
      .expire(keys.done, ledgerTtlSeconds)
      .exec();
  }

  /** Forgets the failures, so a retry by hand re-runs the steps that failed for good too. */
  async clearFailures(delivery: string): Promise<void> {
    await this.#redis.del(ledgerKeys(this.#prefix, delivery).failures);
  }

  /** Forgets the delivery once its job completed: BullMQ's job id already keeps redeliveries out. */
  async forget(delivery: string): Promise<void> {
    const keys = ledgerKeys(this.#prefix, delivery);
    await this.#redis.del(keys.done, keys.failures);
  }
}
