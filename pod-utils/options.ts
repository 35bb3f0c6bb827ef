import { z } from 'zod';
import { parseGoDuration } from '../lib/config/go/go-duration.ts';
import type { DecorationConfig } from '../lib/config/index.ts';
import { refsSchema as configRefsSchema } from '../lib/config/schema/job.ts';
import { ProwError } from '../lib/errors.ts';
import type { ProwJobType, Refs } from '../lib/jobs/index.ts';

/** The environment variables the pod utilities read their options from, named as Prow names them. */
export const optionsEnv = {
  jobSpec: 'JOB_SPEC',
  clonerefs: 'CLONEREFS_OPTIONS',
  initupload: 'INITUPLOAD_OPTIONS',
  entrypoint: 'ENTRYPOINT_OPTIONS',
  sidecar: 'SIDECAR_OPTIONS',
} as const;

/** Prow's downward API `JobSpec`: what the job is, serialized into `$JOB_SPEC`. */
export interface JobSpec {
  type: ProwJobType;
  job: string;
  buildid: string;
  prowjobid: string;
  refs?: Refs;
  extra_refs?: Refs[];
  decoration_config?: DecorationConfig;
}

/** Prow's clonerefs `Options` (`$CLONEREFS_OPTIONS`). */
export interface CloneRefsOptions {
  /** Where sources go: each ref under `<src_root>/src/<path>`. */
  src_root: string;
  /** Where the clone records JSON is written. */
  log: string;
  git_user_name?: string;
  git_user_email?: string;
  refs: Refs[];
  key_files?: string[];
  /** A file holding a GitHub token, put in the clone URL and censored from the records. */
  oauth_token_file?: string;
  host_fingerprints?: string[];
  /** Refs cloned at once; 0 or unset clones them all at once. */
  max_parallel_workers?: number;
  /** Exit non-zero when a clone fails (by default the failure is only recorded). */
  fail?: boolean;
  cookie_path?: string;
  github_api_endpoints?: string[];
  github_app_id?: string;
  github_app_private_key_file?: string;
  /**
   * prow-ts only: the git server refs without `clone_uri` or `repo_link` are cloned from, as
   * `<github_base_url>/<org>/<repo>.git` (Prow always uses https://github.com).
   */
  github_base_url?: string;
}

/** Prow's `GCSConfiguration`: where a job's files go in the bucket. */
export interface GcsConfiguration {
  /** `gs://bucket`, `s3://bucket`, a bare name (GCS), or in prow-ts a directory path. */
  bucket?: string;
  path_prefix?: string;
  path_strategy?: 'legacy' | 'single' | 'explicit';
  default_org?: string;
  default_repo?: string;
  /** File extension (without the dot) to content type, over the built-in table. */
  mediaTypes?: Record<string, string>;
  job_url_prefix?: string;
  local_output_dir?: string;
  compress_file_types?: string[];
}

/** Prow's gcsupload `Options`: a GCSConfiguration, the files to upload and the credentials to do it with. */
export interface GcsUploadOptions extends GcsConfiguration {
  /** Files or directories to upload; a directory lands under its own base name. */
  items?: string[];
  sub_dir?: string;
  gcs_credentials_file?: string;
  s3_credentials_file?: string;
  dry_run?: boolean;
}

/** Prow's initupload `Options` (`$INITUPLOAD_OPTIONS`). */
export interface InitUploadOptions extends GcsUploadOptions {
  /** The clone records clonerefs wrote; without it no clone log is uploaded. */
  log?: string;
}

/** Prow's wrapper `Options`: one wrapped container's command and where it leaves its traces. */
export interface WrapperOptions {
  args: string[];
  container_name?: string;
  process_log: string;
  marker_file: string;
  metadata_file?: string;
}

/** A duration as Prow's JSON carries it: integer nanoseconds (Go's time.Duration), or a Go duration string. */
export type JsonDuration = number | string;

/** Prow's entrypoint `Options` (`$ENTRYPOINT_OPTIONS`). */
export interface EntrypointOptions extends WrapperOptions {
  timeout?: JsonDuration;
  grace_period?: JsonDuration;
  artifact_dir?: string;
  previous_marker?: string;
  always_zero?: boolean;
  propagate_error_code?: boolean;
  copy_mode_only?: boolean;
  copy_dst?: string;
}

/** Prow's sidecar `CensoringOptions`. */
export interface CensoringOptions {
  secret_directories?: string[];
  censoring_concurrency?: number;
  censoring_buffer_size?: number;
  include_directories?: string[];
  exclude_directories?: string[];
  ini_filenames?: string[];
  minimum_secret_length?: number;
}

/** Prow's sidecar `Options` (`$SIDECAR_OPTIONS`). */
export interface SidecarOptions {
  gcs_options: GcsUploadOptions;
  entries: WrapperOptions[];
  entry_error?: boolean;
  ignore_interrupts?: boolean;
  censoring_options?: CensoringOptions;
  /**
   * prow-ts only: how long to wait for the marker files before counting a missing one as failed. Unset
   * waits as long as it takes, as Prow does.
   */
  wait_timeout?: JsonDuration;
}

const strings = z.array(z.string());
const duration = z.union([z.number().int().nonnegative(), z.string().refine((s) => parseGoDuration(s) !== undefined, 'not a Go duration such as 2h or 15s')]);

const pullSchema = z.looseObject({
  number: z.number().int(),
  author: z.string().default(''),
  sha: z.string().default(''),
  title: z.string().optional(),
  ref: z.string().optional(),
  head_ref: z.string().optional(),
  link: z.string().optional(),
  commit_link: z.string().optional(),
  author_link: z.string().optional(),
});

// The job config's Refs, with pulls typed, and loose: the options carry what the ProwJob carried.
const refsSchema = z.looseObject({ ...configRefsSchema.shape, pulls: z.array(pullSchema).optional() });

const jobSpecSchema = z.looseObject({
  type: z.enum(['presubmit', 'postsubmit', 'periodic', 'batch']),
  job: z.string().default(''),
  buildid: z.string().default(''),
  prowjobid: z.string().default(''),
  refs: refsSchema.optional(),
  extra_refs: z.array(refsSchema).optional(),
  decoration_config: z.record(z.string(), z.unknown()).optional(),
});

const cloneRefsSchema = z.looseObject({
  src_root: z.string().min(1, 'no source root specified (src_root)'),
  log: z.string().min(1, 'no log file specified (log)'),
  git_user_name: z.string().optional(),
  git_user_email: z.string().optional(),
  refs: z.array(refsSchema).min(1, 'no refs specified to clone (refs)'),
  key_files: strings.optional(),
  oauth_token_file: z.string().optional(),
  host_fingerprints: strings.optional(),
  max_parallel_workers: z.number().int().nonnegative().optional(),
  fail: z.boolean().optional(),
  cookie_path: z.string().optional(),
  github_api_endpoints: strings.optional(),
  github_app_id: z.string().optional(),
  github_app_private_key_file: z.string().optional(),
  github_base_url: z.string().optional(),
});

const gcsConfigurationShape = {
  bucket: z.string().optional(),
  path_prefix: z.string().optional(),
  path_strategy: z.enum(['legacy', 'single', 'explicit']).optional(),
  default_org: z.string().optional(),
  default_repo: z.string().optional(),
  mediaTypes: z.record(z.string(), z.string()).optional(),
  job_url_prefix: z.string().optional(),
  local_output_dir: z.string().optional(),
  compress_file_types: strings.optional(),
};

const gcsUploadShape = {
  ...gcsConfigurationShape,
  items: strings.optional(),
  sub_dir: z.string().optional(),
  gcs_credentials_file: z.string().optional(),
  s3_credentials_file: z.string().optional(),
  dry_run: z.boolean().optional(),
};

/** Prow's gcsupload Validate: somewhere to upload to, unless nothing is uploaded. */
function hasDestination(o: { bucket?: string | undefined; dry_run?: boolean | undefined; local_output_dir?: string | undefined }): boolean {
  return o.dry_run === true || (o.local_output_dir ?? '') !== '' || (o.bucket ?? '') !== '';
}
const noBucket = { message: 'no bucket was provided (bucket), and this is not a dry run', path: ['bucket'] };

const gcsUploadSchema = z.looseObject(gcsUploadShape).refine(hasDestination, noBucket);
const initUploadSchema = z.looseObject({ ...gcsUploadShape, log: z.string().optional() }).refine(hasDestination, noBucket);

const wrapperShape = {
  args: strings,
  container_name: z.string().optional(),
  process_log: z.string().min(1, 'no process log specified (process_log)'),
  marker_file: z.string().min(1, 'no marker file specified (marker_file)'),
  metadata_file: z.string().optional(),
};

const entrypointSchema = z
  .looseObject({
    ...wrapperShape,
    args: strings.min(1, 'no process to wrap specified (args)'),
    timeout: duration.optional(),
    grace_period: duration.optional(),
    artifact_dir: z.string().optional(),
    previous_marker: z.string().optional(),
    always_zero: z.boolean().optional(),
    propagate_error_code: z.boolean().optional(),
    copy_mode_only: z.boolean().optional(),
    copy_dst: z.string().optional(),
  })
  .refine((o) => !(o.always_zero === true && o.propagate_error_code === true), 'cannot propagate error code and always exit zero');

const censoringSchema = z.looseObject({
  secret_directories: strings.optional(),
  censoring_concurrency: z.number().int().positive().optional(),
  censoring_buffer_size: z.number().int().positive().optional(),
  include_directories: strings.optional(),
  exclude_directories: strings.optional(),
  ini_filenames: strings.optional(),
  minimum_secret_length: z.number().int().nonnegative().optional(),
});

const sidecarSchema = z.looseObject({
  gcs_options: gcsUploadSchema,
  entries: z.array(z.looseObject(wrapperShape)).min(1, 'no entries to wait for (entries)'),
  entry_error: z.boolean().optional(),
  ignore_interrupts: z.boolean().optional(),
  censoring_options: censoringSchema.optional(),
  wait_timeout: duration.optional(),
});

/** Milliseconds of a JSON duration: nanoseconds when a number, a Go duration when a string; `fallback` when 0 or unset. */
export function durationMs(value: JsonDuration | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'number' ? value / 1e6 : (parseGoDuration(value) ?? 0);
  return ms > 0 ? ms : fallback;
}

/** A duration in Prow's JSON form: integer nanoseconds. */
export function jsonDuration(ms: number): number {
  return Math.round(ms * 1e6);
}

function parseJson<T>(name: string, raw: string | undefined, schema: z.ZodType<T>): T {
  if (raw === undefined || raw.trim() === '') {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, 'it is not set. The pod utilities read their options from it as JSON (decorationEnv builds it)');
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, `it is not JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new ProwError('PROW_ERR_ENV_INVALID', name, problems.join('; '));
  }
  return parsed.data;
}

/** `$JOB_SPEC`, checked. */
export function readJobSpec(env: NodeJS.ProcessEnv = process.env): JobSpec {
  return parseJson(optionsEnv.jobSpec, env[optionsEnv.jobSpec], jobSpecSchema) as JobSpec;
}

/** `$CLONEREFS_OPTIONS`, checked as Prow's clonerefs checks them. */
export function readCloneRefsOptions(env: NodeJS.ProcessEnv = process.env): CloneRefsOptions {
  return parseJson(optionsEnv.clonerefs, env[optionsEnv.clonerefs], cloneRefsSchema) as CloneRefsOptions;
}

/** `$INITUPLOAD_OPTIONS`, checked. */
export function readInitUploadOptions(env: NodeJS.ProcessEnv = process.env): InitUploadOptions {
  return parseJson(optionsEnv.initupload, env[optionsEnv.initupload], initUploadSchema) as InitUploadOptions;
}

/** `$ENTRYPOINT_OPTIONS`, checked. */
export function readEntrypointOptions(env: NodeJS.ProcessEnv = process.env): EntrypointOptions {
  return parseJson(optionsEnv.entrypoint, env[optionsEnv.entrypoint], entrypointSchema) as EntrypointOptions;
}

/** `$SIDECAR_OPTIONS`, checked. */
export function readSidecarOptions(env: NodeJS.ProcessEnv = process.env): SidecarOptions {
  return parseJson(optionsEnv.sidecar, env[optionsEnv.sidecar], sidecarSchema) as SidecarOptions;
}

/** The level the utilities log at: `$LOG_LEVEL`, info by default. */
export function readLogLevel(env: NodeJS.ProcessEnv = process.env): string {
  const level: string | undefined = env.LOG_LEVEL;
  return level === undefined || level === '' ? 'info' : level;
}
