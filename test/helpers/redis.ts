import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisSettings } from '../../lib/queue/redis.ts';

/** The Redis tests use: REDIS_URL when set, else the local default. */
export const testRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Settings with a prefix no other test shares. */
export function uniqueRedis(label = 'test'): RedisSettings {
  return { url: testRedisUrl, prefix: `prowtest-${label}-${randomUUID().slice(0, 8)}` };
}

/** Deletes every key under the settings' prefix. */
export async function dropPrefix(settings: RedisSettings): Promise<void> {
  const client = new Redis(settings.url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${settings.prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Kills every connection whose CLIENT SETNAME starts with `namePrefix`, as a network cut would; returns how many. */
export async function killClients(namePrefix: string): Promise<number> {
  const admin = new Redis(testRedisUrl);
  try {
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => (/ name=(\S*)/.exec(line)?.[1] ?? '').startsWith(namePrefix))
      .map((line) => /id=(\d+)/.exec(line)?.[1] ?? '');
    for (const id of ids) await admin.client('KILL', 'ID', id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}
