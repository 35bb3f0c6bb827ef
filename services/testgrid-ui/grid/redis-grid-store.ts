import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { Redis } from 'ioredis';
import { redisKey } from '../../../lib/queue/names.ts';
import { createRedis, type RedisSettings } from '../../../lib/queue/redis.ts';
import type { Grid } from './grid.ts';
import type { GridStore, ReadState, StoredGrid } from './grid-store.ts';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

const service = 'testgrid';

/**
 * Grids in Redis under `<prefix>:testgrid:`: each grid as deflated JSON (TestGrid keeps its grids
 * zlib-compressed too), its read state as JSON beside it, and a set of the group names. A grid and its
 * state are written in one MULTI, so a reader never sees one without the other.
 */
export class RedisGridStore implements GridStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly owned: boolean;

  /** Opens its own connection from `settings`, or uses `redis` (which it then does not close). */
  constructor(settings: RedisSettings, redis?: Redis) {
    this.prefix = settings.prefix;
    this.owned = redis === undefined;
    this.redis = redis ?? createRedis(settings, `${settings.prefix}:testgrid-grids`);
  }

  private key(...parts: string[]): string {
    return redisKey(this.prefix, service, ...parts);
  }

  async read(group: string): Promise<StoredGrid | undefined> {
    const [grid, state] = await Promise.all([this.redis.getBuffer(this.key('grid', group)), this.redis.get(this.key('state', group))]);
    if (grid === null || state === null) return undefined;
    return { grid: JSON.parse((await inflate(grid)).toString('utf8')) as Grid, state: JSON.parse(state) as ReadState };
  }

  async write(group: string, stored: StoredGrid): Promise<void> {
    const body = await deflate(Buffer.from(JSON.stringify(stored.grid)));
    await this.redis
      .multi()
      .set(this.key('grid', group), body)
      .set(this.key('state', group), JSON.stringify(stored.state))
      .sadd(this.key('groups'), group)
      .exec();
  }

  async groups(): Promise<string[]> {
    return (await this.redis.smembers(this.key('groups'))).sort();
  }

  async remove(group: string): Promise<void> {
    await this.redis.multi().del(this.key('grid', group), this.key('state', group)).srem(this.key('groups'), group).exec();
  }

  async close(): Promise<void> {
    if (this.owned) await this.redis.quit();
  }
}
