import { posix } from 'node:path';
import { ProwError } from '../lib/errors.ts';
import type { ProwJob } from '../lib/jobs/index.ts';
import {
  durationMs,
  jsonDuration,
  optionsEnv,
  type CensoringOptions,
  type CloneRefsOptions,
  type EntrypointOptions,
  type GcsUploadOptions,
  type InitUploadOptions,
  type JobSpec,
  type SidecarOptions,
  type WrapperOptions,
} from './options.ts';
import { refsString, refsToClone, set, sourcePath, workdirFor } from './refs.ts';

/** Where a decorated job's shared directories are. */
export interface DecorationDirs {
  /** Logs, clone records, marker files (`/logs` in a Pod). */
  logs: string;
  /** Source root, also GOPATH (`/home/prow/go` in a Pod). */
  code: string;
  /** What the test leaves for upload, `$ARTIFACTS` (`/logs/artifacts` in a Pod). */
  artifacts: string;
  /** Where place-entrypoint copies the entrypoint (`/tools` in a Pod). */
  tools?: string;
}

/** The directories of a decorated Pod, as Prow mounts them. */
export const podDirs: Readonly<Required<DecorationDirs>> = { logs: '/logs', code: '/home/prow/go', artifacts: '/logs/artifacts', tools: '/tools' };

/** What differs between runners: where things are on this machine, and what the job config cannot say. */
export interface DecorationEnvOptions {
  /** Replaces gcs_configuration.bucket: local mode's directory (a path or file:// URL), or a bucket URL. */
  bucket?: string;
  /** Where refs without clone_uri or repo_link are cloned from (the emulator in local mode); GitHub otherwise. */
  githubBaseUrl?: string;
  /** The GitHub token file clonerefs reads; in a Pod, where oauth_token_secret is mounted. */
  oauthTokenFile?: string;
  /** In a Pod, where gcs_credentials_secret and s3_credentials_secret are mounted. */
  gcsCredentialsFile?: string;
  s3CredentialsFile?: string;
  /** Which container's ENTRYPOINT_OPTIONS to give (the pod spec's first by default). */
  container?: string;
  /** The test command, instead of the container's command and args. */
  args?: string[];
  /** Directories holding secrets to censor from logs and artifacts, beside the pod spec's secret mounts. */
  secretDirectories?: string[];
}

/** Prow's `NewJobSpec`: the downward API a ProwJob gives its Pod. */
export function jobSpecOf(job: ProwJob): JobSpec {
  const { spec } = job;
  const buildId = job.status.build_id;
  if (buildId === undefined || buildId === '') {
    throw new ProwError('PROW_ERR_JOB_SPEC_INVALID', spec.job, 'it has no status.build_id yet; the runner gives one when it starts the job');
  }
  return {
    type: spec.type,
    job: spec.job,
    buildid: buildId,
    prowjobid: job.metadata.name,
    ...(spec.refs === undefined ? {} : { refs: spec.refs }),
    ...(spec.extra_refs === undefined ? {} : { extra_refs: spec.extra_refs }),
    ...(spec.decoration_config === undefined ? {} : { decoration_config: spec.decoration_config }),
  };
}

/** Prow's `EnvForSpec`: the downward API variables, by job type (periodics get no repo variables). */
export function downwardApiEnv(spec: JobSpec): Record<string, string> {
  const env: Record<string, string> = {
    CI: 'true',
    JOB_NAME: spec.job,
    BUILD_ID: spec.buildid,
    PROW_JOB_ID: spec.prowjobid,
    JOB_TYPE: spec.type,
    // The legacy name Prow still sets for Kubernetes-agent jobs.
    BUILD_NUMBER: spec.buildid,
    [optionsEnv.jobSpec]: JSON.stringify(spec),
  };
  const refs = spec.refs;
  if (spec.type === 'periodic' || refs === undefined) return env;
  env.REPO_OWNER = refs.org;
  env.REPO_NAME = refs.repo;
  const [host = '', ...base] = sourcePath(refs).split('/');
  env.SRC_HOST = host;
  env.SRC_BASE = base.length > 0 ? base.join('/') : `${refs.org}/${refs.repo}`;
  env.PULL_BASE_REF = refs.base_ref ?? '';
  env.PULL_BASE_SHA = refs.base_sha ?? '';
  env.PULL_REFS = refsString(refs);
  if (spec.type !== 'presubmit') return env;
  const pull = refs.pulls?.[0];
  if (pull === undefined) return env;
  env.PULL_NUMBER = String(pull.number);
  env.PULL_PULL_SHA = pull.sha;
  env.PULL_HEAD_REF = pull.head_ref ?? '';
  env.PULL_TITLE = pull.title ?? '';
  return env;
}

interface Container {
  name?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

function containersOf(job: ProwJob): Container[] {
  const containers = job.spec.pod_spec?.containers;
  return Array.isArray(containers) ? (containers as Container[]) : [];
}

/** Prow's wrapper paths for one container: unprefixed when it is the only one. */
function wrapperFor(container: Container, index: number, count: number, dirs: DecorationDirs, args: string[]): WrapperOptions {
  const name = set(container.name) ?? (count === 1 ? 'test' : `container-${index}`);
  const prefix = count === 1 ? '' : name;
  return {
    args,
    container_name: name,
    process_log: posix.join(dirs.logs, prefix === '' ? 'process-log.txt' : `${prefix}-log.txt`),
    marker_file: posix.join(dirs.logs, prefix === '' ? 'marker-file.txt' : `${prefix}-marker.txt`),
    metadata_file: posix.join(dirs.artifacts, prefix === '' ? 'metadata.json' : `${prefix}-metadata.json`),
  };
}

/** The mount paths of the pod spec's secret volumes, which Prow censors when censor_secrets is set. */
function secretMounts(job: ProwJob): string[] {
  const volumes = job.spec.pod_spec?.volumes;
  const secretVolumes = new Set(
    (Array.isArray(volumes) ? (volumes as { name: string; secret?: unknown }[]) : []).filter((v) => v.secret !== undefined).map((v) => v.name),
  );
  return containersOf(job).flatMap((c) => (c.volumeMounts ?? []).filter((m) => secretVolumes.has(m.name)).map((m) => m.mountPath));
}

const defaultTimeoutMs = 2 * 60 * 60 * 1000;
const defaultGraceMs = 15 * 1000;
/** How much longer than timeout + grace the sidecar waits for a marker before it counts the entry as lost. */
const markerSlackMs = 15 * 60 * 1000;

/**
 * The environment a decorated job's pod utilities and test process get: Prow's downward API variables,
 * ARTIFACTS and GOPATH, and each utility's options as JSON (CLONEREFS_OPTIONS, INITUPLOAD_OPTIONS,
 * ENTRYPOINT_OPTIONS, SIDECAR_OPTIONS), with paths under `dirs`. A Pod runner passes {@link podDirs}; the
 * local runner passes directories of its own temp dir and a directory for `bucket`.
 */
export function decorationEnv(job: ProwJob, dirs: DecorationDirs, opts: DecorationEnvOptions = {}): Record<string, string> {
  const spec = jobSpecOf(job);
  const decoration = job.spec.decoration_config ?? {};
  const gcs = decoration.gcs_configuration ?? {};
  const bucket = opts.bucket ?? gcs.bucket;
  if (bucket === undefined || bucket === '') {
    throw new ProwError('PROW_ERR_JOB_SPEC_INVALID', job.spec.job, 'it has no decoration_config.gcs_configuration.bucket, so its logs have nowhere to go');
  }

  const containers = containersOf(job);
  const chosenIndex = opts.container === undefined ? 0 : containers.findIndex((c) => c.name === opts.container);
  if (chosenIndex < 0) throw new ProwError('PROW_ERR_JOB_SPEC_INVALID', job.spec.job, `its pod spec has no container named ${opts.container ?? ''}`);
  const wrappers = (containers.length === 0 ? [{}] : containers).map((c, i, all) => wrapperFor(c, i, all.length, dirs, [...(c.command ?? []), ...(c.args ?? [])]));
  const chosen = wrappers[chosenIndex] ?? wrappers[0];
  if (chosen === undefined) throw new ProwError('PROW_ERR_JOB_SPEC_INVALID', job.spec.job, 'its pod spec has no containers');
  const args = opts.args ?? chosen.args;
  if (args.length === 0) {
    throw new ProwError('PROW_ERR_JOB_SPEC_INVALID', job.spec.job, 'a decorated job\'s container needs a command: (the image\'s ENTRYPOINT is not used)');
  }

  const gcsOptions: GcsUploadOptions = {
    bucket,
    ...(gcs.path_prefix === undefined ? {} : { path_prefix: gcs.path_prefix }),
    ...(gcs.path_strategy === undefined ? {} : { path_strategy: gcs.path_strategy }),
    ...(gcs.default_org === undefined ? {} : { default_org: gcs.default_org }),
    ...(gcs.default_repo === undefined ? {} : { default_repo: gcs.default_repo }),
    ...(gcs.mediaTypes === undefined ? {} : { mediaTypes: gcs.mediaTypes }),
    ...(gcs.compress_file_types === undefined ? {} : { compress_file_types: gcs.compress_file_types }),
    ...credentialFiles(decoration, opts),
    dry_run: false,
  };

  const env: Record<string, string> = {};
  for (const variable of containers[chosenIndex]?.env ?? []) if (variable.value !== undefined) env[variable.name] = variable.value;
  Object.assign(env, downwardApiEnv(spec), { ARTIFACTS: dirs.artifacts, GOPATH: dirs.code });

  const refs = refsToClone(spec);
  const cloning = refs.length > 0 && decoration.skip_cloning !== true;
  const cloneLog = posix.join(dirs.logs, 'clone.json');
  if (cloning) {
    const oauthTokenFile = opts.oauthTokenFile ?? (decoration.oauth_token_secret ? posix.join('/secrets/oauth', decoration.oauth_token_secret.key) : undefined);
    const clonerefs: CloneRefsOptions = {
      src_root: dirs.code,
      log: cloneLog,
      git_user_name: 'ci-robot',
      git_user_email: 'ci-robot@k8s.io',
      refs,
      ...(oauthTokenFile === undefined ? {} : { oauth_token_file: oauthTokenFile }),
      github_api_endpoints: decoration.github_api_endpoints ?? ['https://api.github.com'],
      ...(opts.githubBaseUrl === undefined ? {} : { github_base_url: opts.githubBaseUrl }),
    };
    env[optionsEnv.clonerefs] = JSON.stringify(clonerefs);
  }
  const initupload: InitUploadOptions = { ...gcsOptions, ...(cloning ? { log: cloneLog } : {}) };
  env[optionsEnv.initupload] = JSON.stringify(initupload);

  const timeoutMs = durationMs(decoration.timeout, defaultTimeoutMs);
  const graceMs = durationMs(decoration.grace_period, defaultGraceMs);
  const entrypoint: EntrypointOptions = {
    timeout: jsonDuration(timeoutMs),
    grace_period: jsonDuration(graceMs),
    artifact_dir: dirs.artifacts,
    ...chosen,
    args,
  };
  env[optionsEnv.entrypoint] = JSON.stringify(entrypoint);

  const sidecar: SidecarOptions = {
    gcs_options: { ...gcsOptions, items: [dirs.artifacts] },
    entries: wrappers.map((w, i) => (i === chosenIndex ? { ...w, args } : w)),
    ...(decoration.upload_ignores_interrupts === true ? { ignore_interrupts: true } : {}),
    ...censoring(job, opts),
    wait_timeout: jsonDuration(timeoutMs + graceMs + markerSlackMs),
  };
  env[optionsEnv.sidecar] = JSON.stringify(sidecar);
  return env;
}

/** Where the blob credentials are: the runner's word, else where a decorated Pod mounts the secrets. */
function credentialFiles(decoration: NonNullable<ProwJob['spec']['decoration_config']>, opts: DecorationEnvOptions): Partial<GcsUploadOptions> {
  const gcs = opts.gcsCredentialsFile ?? (decoration.gcs_credentials_secret ? '/secrets/gcs/service-account.json' : undefined);
  const s3 = opts.s3CredentialsFile ?? (decoration.s3_credentials_secret ? '/secrets/s3-storage/service-account.json' : undefined);
  return { ...(gcs === undefined ? {} : { gcs_credentials_file: gcs }), ...(s3 === undefined ? {} : { s3_credentials_file: s3 }) };
}

function censoring(job: ProwJob, opts: DecorationEnvOptions): { censoring_options?: CensoringOptions } {
  const decoration = job.spec.decoration_config ?? {};
  const dirs = [...(decoration.censor_secrets === true ? secretMounts(job) : []), ...(opts.secretDirectories ?? [])];
  if (dirs.length === 0) return {};
  const from = decoration.censoring_options ?? {};
  return {
    censoring_options: {
      secret_directories: dirs,
      ...(from.censoring_concurrency === undefined ? {} : { censoring_concurrency: from.censoring_concurrency }),
      ...(from.censoring_buffer_size === undefined ? {} : { censoring_buffer_size: from.censoring_buffer_size }),
      ...(from.include_directories === undefined ? {} : { include_directories: from.include_directories }),
      ...(from.exclude_directories === undefined ? {} : { exclude_directories: from.exclude_directories }),
      ...(from.minimum_secret_length === undefined ? {} : { minimum_secret_length: from.minimum_secret_length }),
    },
  };
}

/** Where the test process starts: the checkout of the ref marked workdir, else the first ref's. */
export function decoratedWorkdir(job: ProwJob, dirs: DecorationDirs): string | undefined {
  return workdirFor(dirs.code, refsToClone(job.spec));
}
