import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { ProwError } from '../errors.ts';
import { DirStore } from './dir-store.ts';
import { GcsStore, type GcsStoreOptions } from './gcs-store.ts';
import type { ObjectStore } from './object-store.ts';
import { S3Store, type S3StoreOptions } from './s3-store.ts';

/** How to reach each kind of location; the bucket and prefix always come from the location itself. */
export interface OpenStoreOptions {
  s3?: Omit<S3StoreOptions, 'bucket' | 'prefix'>;
  gcs?: Omit<GcsStoreOptions, 'bucket' | 'prefix'>;
  /** List one key (or create the directory) before returning, so a bad location fails at startup. True unless set. */
  check?: boolean;
}

/** A location taken apart: which backend, and where in it. */
export type StoreLocation =
  | { kind: 'gcs' | 's3'; bucket: string; prefix: string }
  | { kind: 'dir'; path: string };

// GCS and S3 bucket names: lower case, digits, '-', '.', and '_' for GCS; 3 to 222 characters.
const bucketName = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** Parses `gs://bucket/prefix`, `s3://bucket/prefix`, `file:///path` or a plain path; PROW_ERR_STORAGE_URL_INVALID otherwise. */
export function parseStoreLocation(location: string): StoreLocation {
  const invalid = (why: string): ProwError => new ProwError('PROW_ERR_STORAGE_URL_INVALID', JSON.stringify(location), why);
  if (location.trim() === '') throw invalid('it is empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'dir', path: location };
  if (scheme === 'file') {
    try {
      return { kind: 'dir', path: fileURLToPath(location) };
    } catch (err) {
      throw invalid(err instanceof Error ? err.message : String(err));
    }
  }
  if (scheme !== 'gs' && scheme !== 's3') throw invalid(`the scheme ${scheme}:// is not one prow-ts can store to`);
  const rest = location.slice(scheme.length + 3);
  if (/[?#]/.test(rest)) throw invalid('a storage location takes no query or fragment');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (!bucketName.test(bucket)) throw invalid(`"${bucket}" is not a bucket name`);
  const prefix = (slash === -1 ? '' : rest.slice(slash + 1)).replace(/\/+$/, '');
  if (prefix !== '' && prefix.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw invalid('the path in the bucket has an empty, "." or ".." segment');
  }
  return { kind: scheme === 'gs' ? 'gcs' : 's3', bucket, prefix };
}

/**
 * Opens the store a location names, rooted at its path: GCS for gs://, S3 (or an S3-compatible server
 * when `options.s3.endpoint` is set) for s3://, a directory otherwise. Unless `check` is false, throws
 * PROW_ERR_STORAGE_UNREACHABLE naming the cause when the store does not answer.
 */
export async function openObjectStore(location: string, options: OpenStoreOptions = {}): Promise<ObjectStore> {
  const where = parseStoreLocation(location);
  let store: DirStore | GcsStore | S3Store;
  if (where.kind === 'dir') store = new DirStore(where.path);
  else if (where.kind === 'gcs') store = new GcsStore({ ...options.gcs, bucket: where.bucket, prefix: where.prefix });
  else store = new S3Store({ ...options.s3, bucket: where.bucket, prefix: where.prefix });
  if (options.check !== false) {
    try {
      await store.check();
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

/**
 * Where a bucket setting points as a location `openObjectStore` takes: gs://, s3:// and file:// as they are,
 * a path (prow-ts's local mode) as a file:// URL, and a bare name as GCS, as Prow reads it.
 */
export function storeLocationOf(bucket: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(bucket)) return bucket;
  if (bucket.startsWith('/') || bucket.startsWith('.')) return pathToFileURL(bucket).href;
  return `gs://${bucket}`;
}
