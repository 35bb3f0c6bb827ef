import { Redis } from 'ioredis';
import { ProwError } from '../../../lib/errors.ts';
import type { Logger } from '../../../lib/log.ts';
import { safeRedisUrl, type RedisSettings } from '../../../lib/queue/redis.ts';

/**
 * Opens the ranch's Redis connection and waits until it is ready. Commands fail at once while Redis is away
 * (no offline queue) and commands in flight when a connection drops are not sent again: a request that
 * failed was either done or not, never done later behind the client's back, so every error a client sees
 * can be retried safely (acquire by request_id, release by owner; see lua/). Commands of one event-loop turn
 * share one round trip.
 */
export async function openRanchRedis(settings: RedisSettings, connectionName: string, log: Logger, timeoutMs = 5_000): Promise<Redis> {
  const redis = new Redis(settings.url, {
    connectionName,
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ redis: safeRedisUrl(settings.url), err: err.message }, 'boskos: Redis connection failed; answering 503 until it is back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ redis: safeRedisUrl(settings.url) }, 'boskos: Redis connection is back');
    down = false;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
  } catch (err) {
    redis.disconnect();
    throw new ProwError('PROW_ERR_REDIS_UNREACHABLE', safeRedisUrl(settings.url), err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
