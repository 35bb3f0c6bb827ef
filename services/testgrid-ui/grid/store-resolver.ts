import { fileURLToPath } from 'node:url';
import { ProwError } from '../../../lib/errors.ts';
import { storePool, type ObjectStore, type OpenStoreOptions } from '../../../lib/storage/index.ts';

/** A test group's builds: the store holding them and the key prefix (no trailing slash) they sit under. */
export interface BuildsLocation {
  store: ObjectStore;
  prefix: string;
}

/** Maps TestGrid's `gcs_prefix` (`bucket/path`, gs://, s3://, or a directory) to a store and a key prefix. */
export interface StoreResolver {
  locate(gcsPrefix: string): Promise<BuildsLocation>;
  /** Closes the stores it opened itself (not the ones it was given). */
  close(): Promise<void>;
}

/** What `createStoreResolver` knows. */
export interface StoreResolverOptions {
  /**
   * Stores by the bucket as gcs_prefix names it (`prow-artifacts`, `s3://logs`, `/var/prow/storage`):
   * local mode maps Prow's bucket name to its directory here. The longest matching bucket wins.
   */
  buckets?: Record<string, ObjectStore>;
  /**
   * One store holding every bucket, as local mode and `STORAGE_LOCATION` upload them: `bucket/path` is
   * `path` in this store, whatever the bucket (gs:// and s3:// alike).
   */
  everyBucket?: ObjectStore;
  /** How to reach buckets that are not in `buckets`: opened on first use as gs:// (bare names) or s3://. */
  open?: OpenStoreOptions;
}

function normalise(location: string): string {
  if (location.startsWith('file://')) return fileURLToPath(location);
  return location.replace(/^gs:\/\//, '').replace(/\/+$/, '');
}

/** A resolver over given stores, opening GCS and S3 buckets it is not given. */
export function createStoreResolver(options: StoreResolverOptions = {}): StoreResolver {
  const given = Object.entries(options.buckets ?? {})
    .map(([bucket, store]) => [normalise(bucket), store] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const opened = storePool({ ...options.open, check: false });
  return {
    async locate(gcsPrefix) {
      const where = normalise(gcsPrefix);
      for (const [bucket, store] of given) {
        if (where === bucket || where.startsWith(`${bucket}/`)) return { store, prefix: where.slice(bucket.length + 1) };
      }
      const s3 = where.startsWith('s3://');
      const rest = s3 ? where.slice(5) : where;
      if (options.everyBucket !== undefined) {
        const slash = rest.indexOf('/');
        return { store: options.everyBucket, prefix: slash === -1 ? '' : rest.slice(slash + 1) };
      }
      if (rest.startsWith('/') || rest.startsWith('.')) {
        throw new ProwError('PROW_ERR_STORAGE_URL_INVALID', JSON.stringify(gcsPrefix), 'a directory gcs_prefix needs its bucket directory registered with the dashboard (StoreResolverOptions.buckets)');
      }
      const slash = rest.indexOf('/');
      const bucket = slash === -1 ? rest : rest.slice(0, slash);
      return { store: await opened.open(`${s3 ? 's3' : 'gs'}://${bucket}`), prefix: slash === -1 ? '' : rest.slice(slash + 1) };
    },
    close: () => opened.close(),
  };
}

/**
 * The key a Prow symlink (`pr-logs/directory/<job>/<build>.txt`, holding the build's URL) points at inside
 * `store`: the URL without the store's own location, else without its scheme and bucket.
 */
export function linkTargetKey(store: ObjectStore, url: string): string {
  const target = normalise(url.trim());
  const root = normalise(store.describe());
  if (target.startsWith(`${root}/`)) return target.slice(root.length + 1);
  const rest = target.replace(/^[a-z0-9]+:\/\//, '');
  return rest.slice(rest.indexOf('/') + 1);
}
