import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { Redis } from 'ioredis';
import { redisKey } from '../../../lib/queue/names.ts';
import { createRedis, type RedisSettings } from '../../../lib/queue/redis.ts';
import type { FailureRecord } from './failure.ts';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

const DAY = 86_400_000;

/** Where triage's failures and its last cluster keys live between restarts. */
export interface FailureStore {
  /** Keeps the failures (one build's, typically) under the UTC day each started on. */
  append(records: readonly FailureRecord[]): Promise<void>;
  /** The failures of builds that started at `ms` or later, oldest day first. */
  since(ms: number): Promise<FailureRecord[]>;
  /** Replaces the last run's cluster keys, which seed the next clustering so ids stay. */
  saveKeys(keys: readonly string[]): Promise<void>;
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

/** `yyyy-mm-dd` of the UTC day `ms` falls on. */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);
}

/** What `RedisFailureStore` needs besides Redis. */
export interface RedisFailureStoreOptions {
  /** Days a day's failures are kept after that day began: 15 unless set (triage reads 14). */
  keepDays?: number;
  now?: () => number;
}

/**
 * Failures in Redis under `<prefix>:testgrid:triage:`: one list per UTC day (`failures:<yyyy-mm-dd>`)
 * whose entries are appended batches as deflated JSON (a build's failures often share most of their
 * text), expiring `keepDays` after the day began; and the last cluster keys, deflated, under `keys`.
 */
export class RedisFailureStore implements FailureStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly owned: boolean;
  private readonly keepDays: number;
  private readonly now: () => number;

  /** Opens its own connection from `settings`, or uses `redis` (which it then does not close). */
  constructor(settings: RedisSettings, options: RedisFailureStoreOptions = {}, redis?: Redis) {
    this.prefix = settings.prefix;
    this.owned = redis === undefined;
    this.redis = redis ?? createRedis(settings, `${settings.prefix}:testgrid-triage`);
    this.keepDays = options.keepDays ?? 15;
    this.now = options.now ?? Date.now;
  }

  private key(...parts: string[]): string {
    return redisKey(this.prefix, 'testgrid', 'triage', ...parts);
  }

  async append(records: readonly FailureRecord[]): Promise<void> {
    const byDay = new Map<number, FailureRecord[]>();
    const oldest = Math.floor(this.now() / DAY) * DAY - (this.keepDays - 1) * DAY;
    for (const r of records) {
      const day = Math.floor(r.started / DAY) * DAY;
      // A day already past keeping would be stored only to expire at once.
      if (day < oldest) continue;
      const list = byDay.get(day);
      if (list === undefined) byDay.set(day, [r]);
      else list.push(r);
    }
    if (byDay.size === 0) return;
    const multi = this.redis.multi();
    for (const [day, list] of byDay) {
      const key = this.key('failures', utcDay(day));
      multi.rpush(key, await deflate(Buffer.from(JSON.stringify(list))));
      multi.expireat(key, Math.floor((day + this.keepDays * DAY) / 1000));
    }
    await multi.exec();
  }

  async since(ms: number): Promise<FailureRecord[]> {
    const days: string[] = [];
    for (let day = Math.floor(ms / DAY) * DAY; day <= this.now(); day += DAY) days.push(utcDay(day));
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.lrangeBuffer(this.key('failures', day), 0, -1);
    const answers = (await pipeline.exec()) ?? [];
    const out: FailureRecord[] = [];
    for (const [err, batches] of answers) {
      if (err !== null) throw err;
      for (const batch of batches as Buffer[]) {
        for (const r of JSON.parse((await inflate(batch)).toString('utf8')) as FailureRecord[]) if (r.started >= ms) out.push(r);
      }
    }
    return out;
  }

  async saveKeys(keys: readonly string[]): Promise<void> {
    await this.redis.set(this.key('keys'), await deflate(Buffer.from(JSON.stringify(keys))));
  }

  async keys(): Promise<string[]> {
    const stored = await this.redis.getBuffer(this.key('keys'));
    return stored === null ? [] : (JSON.parse((await inflate(stored)).toString('utf8')) as string[]);
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }
}
