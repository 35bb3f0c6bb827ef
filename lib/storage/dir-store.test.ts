import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProwError } from '../errors.ts';
import { DirStore } from './dir-store.ts';
import { objectStoreContract } from './object-store.contract.ts';
import { readText } from './object-store.ts';

let base = '';
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'prow-dir-store-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

objectStoreContract('directory', (root) => new DirStore(join(base, root)));

describe('directory store', () => {
  it('keeps objects as plain files a person can read, with no temporary files left over', async () => {
    const root = join(base, 'plain');
    const store = new DirStore(root);
    await store.put('logs/job/1/build-log.txt', 'ok\n', { contentType: 'text/plain' });
    expect(await readdir(join(root, 'logs', 'job', '1'))).toEqual(['build-log.txt']);
    expect(await readdir(join(root, '.prow-store', 'tmp'))).toEqual([]);
  });

  it('sees files put there by hand, and ignores its own', async () => {
    const root = join(base, 'by-hand');
    await mkdir(join(root, 'artifacts'), { recursive: true });
    await writeFile(join(root, 'artifacts', 'junit.xml'), '<testsuites/>');
    const store = new DirStore(root);
    expect(await readText(store, 'artifacts/junit.xml')).toBe('<testsuites/>');
    await store.put('x.txt', 'x', { contentType: 'text/plain' });
    expect((await store.list('')).objects.map((o) => o.key)).toEqual(['artifacts/junit.xml', 'x.txt']);
    const err: unknown = await store.put('.prow-store/tmp/evil', 'x').catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_STORAGE_URL_INVALID')).toBe(true);
  });

  it('removes directories a delete leaves empty', async () => {
    const root = join(base, 'prune');
    const store = new DirStore(root);
    await store.put('a/b/c.txt', 'c');
    await store.delete('a/b/c.txt');
    expect((await readdir(root)).sort()).toEqual(['.prow-store']);
  });
});
