import { Redis } from 'ioredis';
import { ProwError } from '../errors.ts';
import { scrubSecrets } from '../log.ts';

/** How prow-ts connects to Redis: one URL and a key prefix that every key and queue carries. */
export interface RedisSettings {
  url: string;
  /** Prefix for every key and BullMQ queue, `prow` by default; tests use a unique one each. */
  prefix: string;
}

/** URL with any password replaced, for messages and logs. */
export function safeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return scrubSecrets(u.toString());
  } catch {
    return '[unparseable REDIS_URL]';
  }
}

/**
 * Opens a Redis connection suited to BullMQ (it requires `maxRetriesPerRequest: null`) that also works
 * for plain commands. 
 */
export function createRedis(settings: RedisSettings, connectionName?: string): Redis {
  return new Redis(settings.url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // Named so an operator (or a test) can tell the connections apart in CLIENT LIST.
    ...(connectionName === undefined ? {} : { connectionName }),
  });
}

/**
 * Checks that Redis answers PING within `timeoutMs`, and throws PROW_ERR_REDIS_UNREACHABLE naming the URL
 * (without its password) when it does not.
 */
export async function assertRedisReachable(url: string, timeoutMs = 2_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    // A port held by something that is not Redis accepts the connection and never answers: bound it all.
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (err) {
    throw new ProwError('PROW_ERR_REDIS_UNREACHABLE', safeRedisUrl(url), err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
