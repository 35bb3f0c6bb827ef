import { Redis } from 'ioredis';
import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { ranchBase, ranchKeys } from '../ranch/redis-keys.ts';

async function scan(redis: Redis, match: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

const escapeGlob = (s: string): string => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * Reads every resource hash under the prefix and checks that the indexes and counters the scripts keep agree
 * with them: each resource sits in exactly the free or held set of its (type, state), the counts by state and
 * by owner add up, and the type and name sets match. Returns what disagrees (empty when all is well).
 */
export async function ranchInvariantProblems(settings: RedisSettings): Promise<string[]> {
  const redis = new Redis(settings.url);
  const base = ranchBase(settings.prefix);
  const problems: string[] = [];
  try {
    const resources: { name: string; type: string; state: string; owner: string; lastupdate: string }[] = [];
    for (const key of await scan(redis, `${escapeGlob(base)}:res:*`)) {
      const h = await redis.hgetall(key);
      const name = decodeURIComponent(key.slice(`${base}:res:`.length));
      resources.push({ name, type: h.type ?? '', state: h.state ?? '', owner: h.owner ?? '', lastupdate: h.lastupdate ?? '' });
    }
    const types = new Set(resources.map((r) => r.type));
    const storedTypes = new Set(await redis.smembers(ranchKeys.types(base)));
    if ([...types].sort().join(',') !== [...storedTypes].sort().join(',')) problems.push(`types set ${[...storedTypes].join(',')} != ${[...types].join(',')}`);
    for (const type of types) {
      const ofType = resources.filter((r) => r.type === type);
      const names = new Set(await redis.smembers(ranchKeys.names(base, type)));
      if (names.size !== ofType.length || ofType.some((r) => !names.has(r.name))) problems.push(`names:${type} has ${names.size}, resources ${ofType.length}`);
      const byState = new Map<string, number>();
      const byOwner = new Map<string, number>();
      for (const r of ofType) {
        byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
        byOwner.set(r.owner, (byOwner.get(r.owner) ?? 0) + 1);
        const inFree = await redis.zscore(ranchKeys.index(base, type, r.state, false), r.name);
        const inHeld = await redis.zscore(ranchKeys.index(base, type, r.state, true), r.name);
        const want = r.owner === '' ? inFree : inHeld;
        const other = r.owner === '' ? inHeld : inFree;
        if (want === null) problems.push(`${r.name} (${r.state}, owner "${r.owner}") missing from its index`);
        else if (want !== r.lastupdate) problems.push(`${r.name} scored ${want} in its index, lastupdate ${r.lastupdate}`);
        if (other !== null) problems.push(`${r.name} is in both the free and the held index`);
      }
      const counts = await redis.hgetall(ranchKeys.counts(base, type));
      const owners = await redis.hgetall(ranchKeys.owners(base, type));
      const same = (a: Map<string, number>, b: Record<string, string>): boolean =>
        a.size === Object.keys(b).length && [...a].every(([k, n]) => Number(b[k]) === n);
      if (!same(byState, counts)) problems.push(`count:${type} ${JSON.stringify(counts)} != ${JSON.stringify(Object.fromEntries(byState))}`);
      if (!same(byOwner, owners)) problems.push(`owners:${type} ${JSON.stringify(owners)} != ${JSON.stringify(Object.fromEntries(byOwner))}`);
    }
    for (const key of [...(await scan(redis, `${escapeGlob(base)}:free:*`)), ...(await scan(redis, `${escapeGlob(base)}:held:*`))]) {
      for (const name of await redis.zrange(key, '0', '-1')) {
        if (!resources.some((r) => r.name === name)) problems.push(`${key} lists ${name}, which does not exist`);
      }
    }
  } finally {
    redis.disconnect();
  }
  return problems;
}
