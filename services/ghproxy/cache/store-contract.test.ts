import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../../lib/queue/redis.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { decodeEntry, encodeEntry, entrySize, type CacheEntry } from './cache-entry.ts';
import type { CacheStore, StoreLimits } from './cache-store.ts';
import { DiskStore } from './disk-store.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';

const hour = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function entry(body: string | Buffer, etag = 'W/"1"'): CacheEntry {
  return { headers: { etag, 'content-type': 'application/json; charset=utf-8', link: ['<a>; rel="next"'] }, body: Buffer.isBuffer(body) ? body : Buffer.from(body), storedAt: 1_700_000_000_000, vary: { 'x-github-otp': '' } };
}

const backends: { name: string; open: (limits: StoreLimits) => Promise<CacheStore> }[] = [
  { name: 'memory', open: (limits) => Promise.resolve(new MemoryStore(limits)) },
  {
    name: 'redis',
    open: (limits) => {
      const settings = uniqueRedis('ghproxy-store');
      cleanups.push(() => dropPrefix(settings));
      return Promise.resolve(new RedisStore(createRedis(settings), settings.prefix, limits));
    },
  },
  {
    name: 'disk',
    open: async (limits) => {
      const dir = await mkdtemp(join(tmpdir(), 'ghproxy-disk-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return DiskStore.open(dir, limits);
    },
  },
];

describe.each(backends)('the $name store', ({ open }) => {
  it('gives back what it was given, bytes and headers alike, and only in its partition', async () => {
    const store = await open({ maxBytes: 1 << 20, idleMs: hour });
    try {
      const binary = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
      await store.put('p1', 'k', entry(binary));
      const back = await store.get('p1', 'k');
      expect(back?.body.equals(binary)).toBe(true);
      expect(back?.headers).toEqual(entry(binary).headers);
      expect(back?.vary).toEqual({ 'x-github-otp': '' });
      expect(back?.storedAt).toBe(1_700_000_000_000);
      expect(await store.get('p2', 'k')).toBeUndefined();
      await store.put('p1', 'k', entry('newer', 'W/"2"'));
      expect((await store.get('p1', 'k'))?.headers.etag).toBe('W/"2"');
      await store.delete('p1', 'k');
      expect(await store.get('p1', 'k')).toBeUndefined();
      await store.delete('p1', 'never-there');
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('prunes a partition whose token expired and one nobody used for the idle time, and keeps the rest', async () => {
    const store = await open({ maxBytes: 1 << 20, idleMs: hour });
    try {
      const now = Date.now();
      store.touchPartition('expired', now, now + 60_000);
      store.touchPartition('idle', now - 2 * hour);
      store.touchPartition('live', now);
      for (const p of ['expired', 'idle', 'live']) await store.put(p, 'k', entry(p));
      const result = await store.prune(now + 120_000);
      expect(result.partitions).toBe(2);
      expect(await store.get('expired', 'k')).toBeUndefined();
      expect(await store.get('idle', 'k')).toBeUndefined();
      expect((await store.get('live', 'k'))?.body.toString()).toBe('live');
      expect((await store.partitions()).map((p) => p.partition)).toEqual(['live']);
    } finally {
      await store.close();
    }
  });
});

describe('byte budgets', () => {
  it('memory evicts the least recently used entries to stay within its budget', async () => {
    const one = entry('x'.repeat(1000));
    const store = new MemoryStore({ maxBytes: entrySize(one) * 3, idleMs: hour });
    await store.put('p', 'a', one);
    await store.put('p', 'b', one);
    await store.put('p', 'c', one);
    await store.get('p', 'a');
    await store.put('p', 'd', one);
    expect(await store.get('p', 'b')).toBeUndefined();
    for (const k of ['a', 'c', 'd']) expect(await store.get('p', k)).toBeDefined();
    expect(store.size()).toEqual({ bytes: entrySize(one) * 3, entries: 3 });
    await store.put('p', 'huge', entry('y'.repeat(entrySize(one) * 4)));
    expect(await store.get('p', 'huge')).toBeUndefined();
  });

  it('disk deletes the least recently used files once over its budget, and counts what an earlier run left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ghproxy-disk-'));
    try {
      const one = entry('z'.repeat(10_000));
      const size = encodeEntry(one).length;
      const store = await DiskStore.open(dir, { maxBytes: size * 3, idleMs: hour });
      for (const k of ['a', 'b', 'c', 'd']) {
        await store.put('p', k, one);
        await new Promise((r) => setTimeout(r, 20));
      }
      await store.close();
      expect(store.size().bytes).toBeLessThanOrEqual(size * 3);
      expect(await store.get('p', 'a')).toBeUndefined();
      expect(await store.get('p', 'd')).toBeDefined();
      const reopened = await DiskStore.open(dir, { maxBytes: size * 3, idleMs: hour });
      expect(reopened.size()).toEqual(store.size());
      expect(await readdir(join(dir, 'temp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('RedisStore', () => {
  it('lets an entry live no longer than its token, and shares entries between replicas', async () => {
    const settings = uniqueRedis('ghproxy-ttl');
    cleanups.push(() => dropPrefix(settings));
    const a = new RedisStore(createRedis(settings), settings.prefix, { idleMs: hour });
    const b = new RedisStore(createRedis(settings), settings.prefix, { idleMs: hour });
    const admin = createRedis(settings);
    try {
      a.touchPartition('p', Date.now(), Date.now() + 30_000);
      await a.put('p', 'k', entry('shared'));
      const [key] = await admin.keys(`${settings.prefix}:ghproxy:entry:p:*`);
      expect(key).toBeDefined();
      const ttl = await admin.pttl(key ?? '');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
      expect((await b.get('p', 'k'))?.body.toString()).toBe('shared');
    } finally {
      admin.disconnect();
      await a.close();
      await b.close();
    }
  });
});

describe('entry encoding', () => {
  it('refuses bytes that are not an entry instead of throwing', () => {
    expect(decodeEntry(Buffer.from([0, 0]))).toBeUndefined();
    expect(decodeEntry(Buffer.from([0, 0, 0, 50, 1, 2]))).toBeUndefined();
    expect(decodeEntry(Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from('{}')]))).toBeUndefined();
    const good = entry('ok');
    expect(decodeEntry(encodeEntry(good))?.body.toString()).toBe('ok');
  });
});
