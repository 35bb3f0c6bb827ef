import { posix } from 'node:path';
import type { DecorationConfig } from '../config/index.ts';
import { ProwError } from '../errors.ts';
import type { ProwJob } from '../jobs/prowjob.ts';

/** Prow's `gcs_configuration`: where decorated jobs upload, and how a repo is named in the path. */
export type StorageConfig = NonNullable<DecorationConfig['gcs_configuration']>;

/** How a repo is named in presubmit paths. */
export type PathStrategy = NonNullable<StorageConfig['path_strategy']>;

/** Where one build of a job keeps its files (started.json, build-log.txt, artifacts/ ...). */
export interface JobStorageLocation {
  /** The bucket as configured: `gs://name`, `s3://name`, or a bare name, which is GCS. */
  bucket: string;
  /** The storage provider: the bucket's scheme, `gs` when it has none. */
  provider: string;
  /** The bucket without its scheme: its name, and any path the bucket URL carries. */
  bucketPath: string;
  /** The build's directory inside the bucket, path_prefix first; no leading or trailing slash. */
  dir: string;
}

/** Go's path.Join: empty elements dropped, the result cleaned, and "" when nothing is left. */
function joinPath(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : posix.join(...kept);
}

function invalid(job: ProwJob, why: string): never {
  throw new ProwError('PROW_ERR_JOB_SPEC_INVALID', job.spec.job, why);
}

/** A bucket setting split as Prow's ParsePath does: `gs` unless it names a scheme, then the rest. */
export function storageBucket(bucket: string): { provider: string; bucketPath: string } {
  const at = bucket.indexOf('://');
  if (at < 0) return { provider: 'gs', bucketPath: bucket.replace(/\/+$/, '') };
  return { provider: bucket.slice(0, at), bucketPath: bucket.slice(at + 3).replace(/\/+$/, '') };
}

/**
 * The path segment naming `org/repo` under `pr-logs/pull/`, by path_strategy as Prow's RepoPathBuilders:
 * `explicit` is always `org_repo`; `legacy` is `repo` in the default org and nothing for the default
 * org and repo; `single` is nothing for the default org and repo, else `org_repo`. A `/` in a repo (Gerrit)
 * becomes `_`, and an `https://` org loses the scheme.
 */
export function repoPathSegment(
  config: { path_strategy: PathStrategy; default_org?: string | undefined; default_repo?: string | undefined },
  org: string,
  repo: string,
): string {
  const defaultOrg = config.default_org ?? '';
  const defaultRepo = config.default_repo ?? '';
  const orgRepo = `${org.replace(/^https:\/\//, '')}_${repo.replace(/\//g, '_')}`;
  switch (config.path_strategy) {
    case 'legacy':
      if (org !== defaultOrg) return orgRepo;
      return repo === defaultRepo ? '' : repo;
    case 'single':
      return org === defaultOrg && repo === defaultRepo ? '' : orgRepo;
    case 'explicit':
      return orgRepo;
  }
}

function storageConfig(job: ProwJob): StorageConfig & { bucket: string } {
  const config = job.spec.decoration_config?.gcs_configuration;
  if (config?.bucket === undefined || config.bucket === '') {
    return invalid(job, 'it has no decoration_config.gcs_configuration.bucket, so there is nowhere to keep its logs. Decorate the job and set plank.default_decoration_config_entries');
  }
  return { ...config, bucket: config.bucket };
}

function buildId(job: ProwJob): string {
  const id = job.status.build_id;
  if (id === undefined || id === '') return invalid(job, 'it has no status.build_id yet; plank gives one when it starts the pod');
  return id;
}

// The `<org_repo>/<pr>/<job>` part of a presubmit's paths, from its first pull as in Prow.
function presubmitPullPath(job: ProwJob, config: StorageConfig): string {
  const refs = job.spec.refs;
  const pull = refs?.pulls?.[0];
  if (refs === undefined || pull === undefined) return invalid(job, 'a presubmit needs spec.refs with at least one pull');
  const strategy = config.path_strategy;
  // Prow's config check refuses a decorated job without one; a presubmit cannot be placed without it.
  if (strategy === undefined) return invalid(job, 'its gcs_configuration has no path_strategy. Set it to explicit, legacy or single');
  const segment = repoPathSegment({ ...config, path_strategy: strategy }, refs.org, refs.repo);
  return joinPath('pr-logs', 'pull', segment, String(pull.number), job.spec.job);
}

/** The directory one build writes to, relative to the bucket, without path_prefix (Prow's PathForSpec). */
function buildPath(job: ProwJob, config: StorageConfig): string {
  switch (job.spec.type) {
    case 'periodic':
    case 'postsubmit':
      return joinPath('logs', job.spec.job, buildId(job));
    case 'presubmit':
      return joinPath(presubmitPullPath(job, config), buildId(job));
    case 'batch':
      return joinPath('pr-logs', 'pull', 'batch', job.spec.job, buildId(job));
  }
}

/**
 * Where this build's files go, as Prow's gcsupload computes it: presubmits under
 * `pr-logs/pull/<org_repo>/<pr>/<job>/<build>`, batches under `pr-logs/pull/batch/<job>/<build>`, postsubmits
 * and periodics under `logs/<job>/<build>`, all below gcs_configuration.path_prefix.
 */
export function jobStoragePath(job: ProwJob): JobStorageLocation {
  const config = storageConfig(job);
  const { provider, bucketPath } = storageBucket(config.bucket);
  return { bucket: config.bucket, provider, bucketPath, dir: joinPath(config.path_prefix ?? '', buildPath(job, config)) };
}

/** The build directory as one URL, `gs://bucket/<dir>` (what Prow writes into a presubmit's alias file). */
export function jobStorageUrl(job: ProwJob): string {
  const { bucket, dir } = jobStoragePath(job);
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(bucket) ? `${bucket}/${dir}` : `gs://${joinPath(bucket, dir)}`;
}

/**
 * The `latest-build.txt` files that name the job's newest build ID, relative to the bucket (Prow writes them
 * without path_prefix): `logs/<job>/latest-build.txt` for postsubmits and periodics,
 * `pr-logs/directory/<job>/latest-build.txt` for batches, and for presubmits that one plus
 * `pr-logs/pull/<org_repo>/<pr>/<job>/latest-build.txt`.
 */
export function latestBuildPaths(job: ProwJob): string[] {
  switch (job.spec.type) {
    case 'periodic':
    case 'postsubmit':
      return [joinPath('logs', job.spec.job, 'latest-build.txt')];
    case 'batch':
      return [joinPath('pr-logs', 'directory', job.spec.job, 'latest-build.txt')];
    case 'presubmit':
      return [joinPath('pr-logs', 'directory', job.spec.job, 'latest-build.txt'), joinPath(presubmitPullPath(job, storageConfig(job)), 'latest-build.txt')];
  }
}

/**
 * A presubmit's alias, `pr-logs/directory/<job>/<build>.txt`, relative to the bucket; its content is
 * {@link jobStorageUrl}. Other job types have none.
 */
export function aliasPath(job: ProwJob): string | undefined {
  return job.spec.type === 'presubmit' ? joinPath('pr-logs', 'directory', job.spec.job, `${buildId(job)}.txt`) : undefined;
}

/** The directory all builds of the job sit under, as deck's job history reads it (Prow's RootForSpec). */
export function jobHistoryRoot(job: ProwJob): string {
  return job.spec.type === 'periodic' || job.spec.type === 'postsubmit' ? joinPath('logs', job.spec.job) : joinPath('pr-logs', 'directory', job.spec.job);
}
