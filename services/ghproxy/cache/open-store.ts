import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { createRedis } from '../../../lib/queue/redis.ts';
import type { CacheSettings } from '../ghproxy-settings.ts';
import type { CacheStore } from './cache-store.ts';
import { DiskStore } from './disk-store.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';

/** Opens the store the settings name: in memory, in Redis under the prefix (shared by replicas), or on disk. */
export async function openStore(settings: CacheSettings, redis: RedisSettings): Promise<CacheStore> {
  const limits = { maxBytes: settings.maxBytes, idleMs: settings.idleMs };
  if (settings.kind === 'redis') return new RedisStore(createRedis(redis, `${redis.prefix}:ghproxy`), redis.prefix, limits);
  if (settings.kind === 'disk') return DiskStore.open(settings.dir ?? '.prow/ghproxy', limits);
  return new MemoryStore(limits);
}
