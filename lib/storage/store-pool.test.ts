import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storePool } from './store-pool.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-pool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('storePool', () => {
  it('opens a location once and hands the same store to every caller', async () => {
    const pool = storePool();
    const [a, b] = await Promise.all([pool.open(dir), pool.open(dir)]);
    expect(a).toBe(b);
    await a.put('x.txt', 'one');
    expect(await (await pool.open(dir)).exists('x.txt')).toBe(true);
    await pool.close();
  });

  it('tries a location that failed to open again next time', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    const pool = storePool();
    await expect(pool.open(join(file, 'below'))).rejects.toThrow();
    await rm(file);
    const store = await pool.open(join(file, 'below'));
    await store.put('y.txt', 'two');
    expect(await store.exists('y.txt')).toBe(true);
    await pool.close();
  });
});
