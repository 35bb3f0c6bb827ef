import type { Redis } from 'ioredis';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import type { PoolDoc } from './pool-doc.ts';

/** One entry of a pool's history, in Tide's JSON shape (`/history`). */
export interface HistoryRecord {
  time: string;
  action: string;
  baseSHA: string;
  target: { number: number; author: string; sha: string; title: string }[];
  err?: string;
}

/** Tide keeps the newest 1,000 records of each pool (`--max-records-per-pool`). */
export const maxRecordsPerPool = 1000;

/**
 * Where Tide's pools live in Redis under the process prefix: one JSON document per pool (written whole, by the
 * one replica holding the lease) and a capped list of history records, newest first.
 */
export class PoolStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, settings: Pick<RedisSettings, 'prefix'>) {
    this.#redis = redis;
    this.#prefix = `${settings.prefix}:tide`;
  }

  async load(key: string): Promise<PoolDoc | undefined> {
    const raw = await this.#redis.get(`${this.#prefix}:pool:${key}`);
    return raw === null ? undefined : (JSON.parse(raw) as PoolDoc);
  }

  async save(doc: PoolDoc): Promise<void> {
    await this.#redis.multi().set(`${this.#prefix}:pool:${doc.key}`, JSON.stringify(doc)).sadd(`${this.#prefix}:pools`, doc.key).exec();
  }

  /** Every pool ever saved, sorted. */
  async keys(): Promise<string[]> {
    return (await this.#redis.smembers(`${this.#prefix}:pools`)).sort();
  }

  /** The pools as the last sync left them, in `GET /`'s shape, so every replica serves the same answer. */
  async saveView(pools: readonly unknown[]): Promise<void> {
    await this.#redis.set(`${this.#prefix}:view`, JSON.stringify(pools));
  }

  async view(): Promise<unknown[]> {
    const raw = await this.#redis.get(`${this.#prefix}:view`);
    return raw === null ? [] : (JSON.parse(raw) as unknown[]);
  }

  async record(key: string, record: HistoryRecord): Promise<void> {
    const list = `${this.#prefix}:history:${key}`;
    await this.#redis.multi().lpush(list, JSON.stringify(record)).ltrim(list, 0, maxRecordsPerPool - 1).sadd(`${this.#prefix}:pools`, key).exec();
  }

  /** A pool's records, newest first. */
  async history(key: string): Promise<HistoryRecord[]> {
    return (await this.#redis.lrange(`${this.#prefix}:history:${key}`, 0, -1)).map((r) => JSON.parse(r) as HistoryRecord);
  }

  /**
   * Takes or renews the lease that lets one replica drive the pools, for `ttlMs`; answers whether `holder` has
   * it. Replicas without it only serve reads.
   */
  async lease(holder: string, ttlMs: number): Promise<boolean> {
    const key = `${this.#prefix}:leader`;
    const answer = await this.#redis.eval(
      "local v = redis.call('GET', KEYS[1]) if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end return 0",
      1,
      key,
      holder,
      String(ttlMs),
    );
    return answer === 1;
  }

  async release(holder: string): Promise<void> {
    await this.#redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, `${this.#prefix}:leader`, holder);
  }
}
