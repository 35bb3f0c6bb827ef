import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProwError } from '../../../lib/errors.ts';
import { DirStore } from '../../../lib/storage/index.ts';
import { createStoreResolver } from './store-resolver.ts';

let dir: string;
let store: DirStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-resolver-'));
  store = new DirStore(dir);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createStoreResolver', () => {
  it('maps a registered bucket to its store, the longest name winning', async () => {
    const other = new DirStore(join(dir, 'other'));
    const resolver = createStoreResolver({ buckets: { 'prow-artifacts': store, 'prow-artifacts/pr-logs': other } });
    expect(await resolver.locate('gs://prow-artifacts/logs/ci-unit')).toEqual({ store, prefix: 'logs/ci-unit' });
    expect(await resolver.locate('prow-artifacts/pr-logs/directory/pull-unit')).toEqual({ store: other, prefix: 'directory/pull-unit' });
    await other.close();
  });

  it('puts every bucket in one store when given one, as local mode uploads', async () => {
    const resolver = createStoreResolver({ everyBucket: store });
    expect(await resolver.locate('kubernetes-ci-logs/logs/ci-e2e')).toEqual({ store, prefix: 'logs/ci-e2e' });
    expect(await resolver.locate('s3://acme/pr-logs/directory/pull-unit')).toEqual({ store, prefix: 'pr-logs/directory/pull-unit' });
  });

  it('refuses a directory prefix it was not given, saying how to register it', async () => {
    const err: unknown = await createStoreResolver().locate('/var/prow/storage/logs/x').catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_STORAGE_URL_INVALID')).toBe(true);
    expect(String(err)).toContain('StoreResolverOptions.buckets');
  });
});
