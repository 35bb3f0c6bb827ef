import type { Logger } from '../log.ts';
import { ProwError, isProwError } from '../errors.ts';
import { findRedisServer, startLocalRedis, type LocalRedis } from './local-redis.ts';
import { assertRedisReachable, safeRedisUrl } from './redis.ts';

const defaultLocal = /^redis:\/\/(127\.0\.0\.1|localhost)(:(\d+))?\/?$/;

/**
 * Local mode's Redis: the one at `url` when it answers; else, when `url` is a plain local address and
 * `redis-server` is installed, one started for as long as this process runs. Otherwise throws a
 * PROW_ERR_REDIS_UNREACHABLE that says how to get one.
 */
export async function ensureRedis(url: string, log: Logger): Promise<{ url: string; owned: LocalRedis | undefined }> {
  try {
    await assertRedisReachable(url);
    return { url, owned: undefined };
  } catch (err) {
    const local = defaultLocal.exec(url);
    if (!isProwError(err) || !local) throw err;
    const binary = await findRedisServer();
    if (!binary) {
      throw new ProwError(
        'PROW_ERR_REDIS_UNREACHABLE',
        safeRedisUrl(url),
        'nothing answers and redis-server is not installed; install it (Debian/Ubuntu: apt-get install redis-server, macOS: brew install redis) or set REDIS_URL',
      );
    }
    const port = Number(local[3] ?? 6379);
    log.warn({ url: safeRedisUrl(url), binary }, 'nothing answers at REDIS_URL: starting redis-server for as long as prow-ts runs (nothing is kept when it stops)');
    const owned = await startLocalRedis(binary, port);
    return { url: owned.url, owned };
  }
}
