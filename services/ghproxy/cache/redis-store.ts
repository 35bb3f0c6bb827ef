import type { Redis } from 'ioredis';
import { redisKey } from '../../../lib/queue/names.ts';
import { decodeEntry, encodeEntry, type CacheEntry } from './cache-entry.ts';
import { partitionIsStale, touchEveryMs, type CacheStore, type PartitionInfo, type PruneResult, type StoreLimits } from './cache-store.ts';

/**
 * The store replicas share: one Redis string per entry under `<prefix>:ghproxy:entry:<partition>:<key>`, with
 * a TTL of the idle time (cut short by the token's expiry), refreshed on every hit; partitions are a hash
 * `<prefix>:ghproxy:partitions`. Unlike Prow's Redis cache it keeps Prow's partitions by token, so tokens do
 * not invalidate each other.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limits: Pick<StoreLimits, 'idleMs'>;
  /** When this process last wrote each partition's record, and the expiry it wrote. */
  readonly #touched = new Map<string, { at: number; expiresAt: number | undefined }>();

  constructor(redis: Redis, prefix: string, limits: Pick<StoreLimits, 'idleMs'>) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#limits = limits;
  }

  async get(partition: string, key: string): Promise<CacheEntry | undefined> {
    const id = this.#entryKey(partition, key);
    const bytes = await this.#redis.getBuffer(id);
    if (bytes === null) return undefined;
    const ttl = this.#ttl(partition, Date.now());
    // The refresh needs no answer: a lost one only shortens the entry's life.
    if (ttl > 0) this.#redis.pexpire(id, ttl).catch(() => undefined);
    return decodeEntry(bytes);
  }

  async put(partition: string, key: string, entry: CacheEntry): Promise<void> {
    const ttl = this.#ttl(partition, Date.now());
    if (ttl <= 0) return;
    await this.#redis.set(this.#entryKey(partition, key), encodeEntry(entry), 'PX', ttl);
  }

  async delete(partition: string, key: string): Promise<void> {
    await this.#redis.unlink(this.#entryKey(partition, key));
  }

  touchPartition(partition: string, now: number, expiresAt?: number): void {
    const last = this.#touched.get(partition);
    const expiry = expiresAt ?? last?.expiresAt;
    if (last !== undefined && now - last.at < touchEveryMs && expiry === last.expiresAt) return;
    this.#touched.set(partition, { at: now, expiresAt: expiry });
    const info: PartitionInfo = { partition, lastUsed: now, ...(expiry === undefined ? {} : { expiresAt: expiry }) };
    this.#redis.hset(this.#partitionsKey(), partition, JSON.stringify(info)).catch(() => undefined);
  }

  async partitions(): Promise<PartitionInfo[]> {
    const all = await this.#redis.hgetall(this.#partitionsKey());
    return Object.values(all).flatMap((raw) => {
      try {
        const info = JSON.parse(raw) as PartitionInfo;
        return typeof info.partition === 'string' && typeof info.lastUsed === 'number' ? [info] : [];
      } catch {
        return [];
      }
    });
  }

  async prune(now: number): Promise<PruneResult> {
    const result = { partitions: 0, entries: 0 };
    for (const info of await this.partitions()) {
      if (!partitionIsStale(info, now, this.#limits.idleMs)) continue;
      result.entries += await this.#dropEntries(info.partition);
      await this.#redis.hdel(this.#partitionsKey(), info.partition);
      this.#touched.delete(info.partition);
      result.partitions += 1;
    }
    return result;
  }

  size(): undefined {
    return undefined;
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => {
      this.#redis.disconnect();
    });
  }

  /** Milliseconds an entry of the partition may live from `now`: the idle time, or less when its token expires first. */
  #ttl(partition: string, now: number): number {
    const expiresAt = this.#touched.get(partition)?.expiresAt;
    return Math.min(this.#limits.idleMs, expiresAt === undefined ? Infinity : expiresAt - now);
  }

  async #dropEntries(partition: string): Promise<number> {
    let dropped = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', this.#entryKey(partition, '*'), 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) dropped += await this.#redis.unlink(...keys);
    } while (cursor !== '0');
    return dropped;
  }

  #entryKey(partition: string, key: string): string {
    return redisKey(this.#prefix, 'ghproxy', 'entry', partition, key);
  }

  #partitionsKey(): string {
    return redisKey(this.#prefix, 'ghproxy', 'partitions');
  }
}
