import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProwError } from '../errors.ts';
import { s3rverCredentials, startS3Server, type TestS3Server } from '../../test/storage/s3-server.ts';
import { objectStoreContract } from './object-store.contract.ts';
import { readText } from './object-store.ts';
import { S3Store } from './s3-store.ts';

let server: TestS3Server;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});

function storeAt(prefix: string, bucket = server.bucket): S3Store {
  return new S3Store({
    bucket,
    prefix,
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s3rverCredentials,
  });
}

objectStoreContract('S3 (s3rver)', (root) => storeAt(`runs/${root}`), {
  foldsOnlyShallowPrefixes: true,
  pagesCountOnlyObjects: true,
});

describe('S3 store', () => {
  it('keeps objects under its prefix and nowhere else', async () => {
    const inner = storeAt('outer/inner');
    const outer = storeAt('outer');
    await inner.put('a.txt', 'a');
    expect((await outer.list('')).objects.map((o) => o.key)).toEqual(['inner/a.txt']);
    expect(await readText(outer, 'inner/a.txt')).toBe('a');
    expect(inner.describe()).toBe(`s3://${server.bucket}/outer/inner`);
    await Promise.all([inner.close(), outer.close()]);
  });

  it('says the store is unreachable when the bucket does not exist', async () => {
    const store = storeAt('', 'no-such-bucket');
    const err: unknown = await store.check().catch((e: unknown) => e);
    await store.close();
    expect(isProwError(err, 'PROW_ERR_STORAGE_UNREACHABLE')).toBe(true);
    expect(String(err)).toContain('NoSuchBucket');
  });
});
