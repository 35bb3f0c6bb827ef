import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcsServer, type FakeGcs } from '../../test/storage/gcs-server.ts';
import { s3rverCredentials, startS3Server, type TestS3Server } from '../../test/storage/s3-server.ts';
import { isProwError } from '../errors.ts';
import { DirStore } from './dir-store.ts';
import { GcsStore } from './gcs-store.ts';
import { readText } from './object-store.ts';
import { openObjectStore, parseStoreLocation } from './open-store.ts';
import { S3Store } from './s3-store.ts';

let dir = '';
let gcs: FakeGcs;
let s3: TestS3Server;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prow-open-store-'));
  [gcs, s3] = await Promise.all([startGcsServer({ buckets: ['prow-logs'] }), startS3Server('prow-logs')]);
});
afterAll(async () => {
  await Promise.all([gcs.close(), s3.close(), rm(dir, { recursive: true, force: true })]);
});

/** A port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('parseStoreLocation', () => {
  it('takes buckets and prefixes apart, and treats anything without a scheme as a directory', () => {
    expect(parseStoreLocation('gs://kubernetes-jenkins/pr-logs/')).toEqual({ kind: 'gcs', bucket: 'kubernetes-jenkins', prefix: 'pr-logs' });
    expect(parseStoreLocation('s3://prow-logs')).toEqual({ kind: 's3', bucket: 'prow-logs', prefix: '' });
    expect(parseStoreLocation('S3://prow-logs/a/b')).toEqual({ kind: 's3', bucket: 'prow-logs', prefix: 'a/b' });
    expect(parseStoreLocation('file:///var/prow/logs')).toEqual({ kind: 'dir', path: '/var/prow/logs' });
    expect(parseStoreLocation('.prow/logs')).toEqual({ kind: 'dir', path: '.prow/logs' });
  });

  it('refuses what it cannot store to', () => {
    for (const bad of ['', ' ', 'gs://', 'gs:///prefix', 'gs://Bad_Bucket', 's3://b', 'gs://bucket/a/../b', 'gs://bucket/a//b',
      's3://bucket/x?versionId=1', 'azure://container/x', 'http://minio:9000/bucket', 'file://host/path']) {
      let err: unknown;
      try {
        parseStoreLocation(bad);
      } catch (e) {
        err = e;
      }
      expect(isProwError(err, 'PROW_ERR_STORAGE_URL_INVALID'), bad).toBe(true);
    }
  });
});

describe('openObjectStore', () => {
  it('opens a directory, from a path or a file:// URL, creating it', async () => {
    const store = await openObjectStore(join(dir, 'made', 'here'));
    expect(store).toBeInstanceOf(DirStore);
    await store.put('a.txt', 'a');
    const again = await openObjectStore(pathToFileURL(join(dir, 'made')).href);
    expect(await readText(again, 'here/a.txt')).toBe('a');
  });

  it('opens GCS at an endpoint, rooted at the prefix', async () => {
    const store = await openObjectStore('gs://prow-logs/pr-logs', { gcs: { apiEndpoint: gcs.endpoint, maxRetries: 0 } });
    expect(store).toBeInstanceOf(GcsStore);
    expect(store.describe()).toBe('gs://prow-logs/pr-logs');
    await store.put('pull/1/build-log.txt', 'ok');
    const bucket = await openObjectStore('gs://prow-logs', { gcs: { apiEndpoint: gcs.endpoint } });
    expect(await readText(bucket, 'pr-logs/pull/1/build-log.txt')).toBe('ok');
  });

  it('opens an S3-compatible server at an endpoint, rooted at the prefix', async () => {
    const s3Options = { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3rverCredentials };
    const store = await openObjectStore('s3://prow-logs/logs', { s3: s3Options });
    expect(store).toBeInstanceOf(S3Store);
    await store.put('job/1/finished.json', '{}');
    const bucket = await openObjectStore('s3://prow-logs', { s3: s3Options });
    expect(await readText(bucket, 'logs/job/1/finished.json')).toBe('{}');
    await Promise.all([store.close(), bucket.close()]);
  });

  it('says an S3 endpoint is unreachable, with the cause', async () => {
    const port = await closedPort();
    const err = await errorOf(openObjectStore('s3://prow-logs', {
      s3: { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: s3rverCredentials, maxAttempts: 1 },
    }));
    expect(isProwError(err, 'PROW_ERR_STORAGE_UNREACHABLE')).toBe(true);
    expect(String(err)).toContain('ECONNREFUSED');
    expect(String(err)).toContain(`127.0.0.1:${port}`);
  });

  it('says a GCS endpoint is unreachable, with the cause', async () => {
    const port = await closedPort();
    const err = await errorOf(openObjectStore('gs://prow-logs', { gcs: { apiEndpoint: `http://127.0.0.1:${port}`, maxRetries: 0 } }));
    expect(isProwError(err, 'PROW_ERR_STORAGE_UNREACHABLE')).toBe(true);
    expect(String(err)).toContain('ECONNREFUSED');
  });

  it('says a directory it cannot create is unreachable', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const err = await errorOf(openObjectStore(join(file, 'logs')));
    expect(isProwError(err, 'PROW_ERR_STORAGE_UNREACHABLE')).toBe(true);
    expect(String(err)).toContain('ENOTDIR');
  });

  it('can skip the check, so a store can be opened before its server is up', async () => {
    const port = await closedPort();
    const store = await openObjectStore('gs://prow-logs', { gcs: { apiEndpoint: `http://127.0.0.1:${port}`, maxRetries: 0 }, check: false });
    const err = await errorOf(store.put('a.txt', 'a'));
    expect(isProwError(err, 'PROW_ERR_STORAGE_UNREACHABLE')).toBe(true);
  });
});
