import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcsServer, type FakeGcs } from '../../test/storage/gcs-server.ts';
import { isProwError } from '../errors.ts';
import { GcsStore } from './gcs-store.ts';
import { objectStoreContract } from './object-store.contract.ts';

let gcs: FakeGcs;
beforeAll(async () => {
  // Pages of at most 3 items, whatever the client asks, so every listing of more turns pages.
  gcs = await startGcsServer({ buckets: ['prow-logs'], maxPageSize: 3 });
});
afterAll(async () => {
  await gcs.close();
});

function storeAt(prefix: string, bucket = 'prow-logs'): GcsStore {
  return new GcsStore({ bucket, prefix, apiEndpoint: gcs.endpoint, projectId: 'test', maxRetries: 0 });
}

objectStoreContract('GCS (fake JSON API)', (root) => storeAt(`runs/${root}`));

describe('GCS store', () => {
  it('streams a put as a resumable upload and a buffer as one multipart request', async () => {
    const store = storeAt('uploads');
    const before = gcs.requests.length;
    await store.put('small.txt', 'small');
    const { Readable } = await import('node:stream');
    await store.put('streamed.txt', Readable.from([Buffer.from('str'), Buffer.from('eamed')]));
    const sent = gcs.requests.slice(before).filter((r) => r.startsWith('POST') || r.startsWith('PUT'));
    expect(sent.map((r) => /uploadType=(\w+)/.exec(r)?.[1] ?? r)).toEqual(['multipart', 'resumable', 'resumable']);
    expect(sent.map((r) => r.split(' ')[0])).toEqual(['POST', 'POST', 'PUT']);
  });

  it('gathers a listing longer than the server will send in one page', async () => {
    const store = storeAt('paged');
    await Promise.all(['1', '2', '3', '4', '5', '6', '7'].map((k) => store.put(k, k)));
    const before = gcs.requests.length;
    expect((await store.list('')).objects.map((o) => o.key)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(gcs.requests.slice(before).filter((r) => r.startsWith('GET /storage/v1/b/prow-logs/o?'))).toHaveLength(3);
  });

  it('says the store is unreachable when the bucket does not exist', async () => {
    const err: unknown = await storeAt('', 'no-such-bucket').check().catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_STORAGE_UNREACHABLE')).toBe(true);
  });
});
