import { parseGoDuration } from './config/go/go-duration.ts';
import { ProwError } from './errors.ts';

/** Everything prow-ts reads from the environment, read in this one place. */
export interface ProwEnv {
  redisUrl: string;
  redisPrefix: string;
  logLevel: string;
  githubApiUrl: string | undefined;
  githubToken: string | undefined;
  githubAppId: string | undefined;
  githubAppPrivateKey: string | undefined;
  githubAppInstallationId: number | undefined;
  webhookSecret: string | undefined;
  ghproxyUrl: string | undefined;
  port: number | undefined;
  /** The controller's HTTP port (/healthz, /metrics), `CONTROLLER_PORT`; 8081 when unset. */
  controllerPort: number | undefined;
  /** Tide's HTTP port (`/`, `/history`, `/hook`, /healthz, /metrics), `TIDE_PORT`; 8889 when unset (Prow's Tide uses 8888, which is hook's here). */
  tidePort: number | undefined;
  /** `TIDE_WORKDIR`: where Tide keeps its clones for building trains; `.prow/tide` under the working directory when unset. */
  tideWorkDir: string | undefined;
  /**
   * `STORAGE_LOCATION`: where local mode's jobs upload logs and artifacts, whatever their gcs_configuration
   * says (a directory, gs:// or s3://); `.prow/storage` under the working directory when unset.
   */
  storageLocation: string | undefined;
  /** `JOB_RUNNER`: `local` (processes on this machine) or `pod` (Pods in a cluster); `local` when unset. */
  jobRunner: 'local' | 'pod';
  /** `JOB_STORE`: `redis` (local mode) or `kubernetes` (ProwJob custom resources); `redis` when unset. */
  jobStore: 'redis' | 'kubernetes';
  /** `KUBECONFIG`: the kubeconfig file for cluster mode; in a Pod, the service account is used when unset. */
  kubeconfig: string | undefined;
  /** `PROW_IMAGE`: the prow-ts image decorated Pods run the pod utilities from. */
  prowImage: string;
  /** Stale aging, which Prow leaves to periodic commenter jobs; hook schedules it when `repos` is not empty. */
  stale: StaleEnv;
}

/** `STALE_*`: which repos to age and how; each missing period takes Kubernetes' default (90, 30, 30 days). */
export interface StaleEnv {
  repos: string[];
  dryRun: boolean;
  /** Milliseconds. */
  periods: { stale?: number; rotten?: number; close?: number };
  /** Milliseconds between sweeps of a repo. */
  every: number | undefined;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function optionalInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a whole number`);
  return n;
}

function optionalDuration(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  const ms = parseGoDuration(v);
  if (ms === undefined || ms <= 0) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a positive Go duration such as 2160h or 30m`);
  return ms;
}

function optionalBoolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = optional(env, name)?.toLowerCase();
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not true or false`);
}

function readStale(env: NodeJS.ProcessEnv): StaleEnv {
  const repos = (optional(env, 'STALE_REPOS') ?? '').split(/[\s,]+/).filter((r) => r !== '');
  for (const r of repos) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(r)) throw new ProwError('PROW_ERR_ENV_INVALID', 'STALE_REPOS', `"${r}" is not a repository; list them as org/repo, separated by commas`);
  }
  const periods: StaleEnv['periods'] = {};
  const stale = optionalDuration(env, 'STALE_AFTER');
  const rotten = optionalDuration(env, 'STALE_ROTTEN_AFTER');
  const close = optionalDuration(env, 'STALE_CLOSE_AFTER');
  if (stale !== undefined) periods.stale = stale;
  if (rotten !== undefined) periods.rotten = rotten;
  if (close !== undefined) periods.close = close;
  return { repos, dryRun: optionalBoolean(env, 'STALE_DRY_RUN'), periods, every: optionalDuration(env, 'STALE_EVERY') };
}

function readChoice<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T): T {
  const value = optional(env, name) ?? fallback;
  const choice = choices.find((c) => c === value);
  if (choice === undefined) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${value}" is not one of ${choices.join(', ')}`);
  return choice;
}

function readJobRunner(env: NodeJS.ProcessEnv): 'local' | 'pod' {
  return readChoice(env, 'JOB_RUNNER', ['local', 'pod'] as const, 'local');
}

/** Reads and checks prow-ts's environment variables. `PROW_`-prefixed names win over the plain ones. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): ProwEnv {
  const redisUrl = optional(env, 'PROW_REDIS_URL') ?? optional(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ProwError('PROW_ERR_ENV_INVALID', 'REDIS_URL', `"${redisUrl}" must start with redis:// or rediss://`);
  }
  const privateKey = optional(env, 'GITHUB_APP_PRIVATE_KEY');
  return {
    redisUrl,
    redisPrefix: optional(env, 'PROW_REDIS_PREFIX') ?? 'prow',
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    githubApiUrl: optional(env, 'GITHUB_API_URL'),
    githubToken: optional(env, 'GITHUB_TOKEN'),
    githubAppId: optional(env, 'GITHUB_APP_ID'),
    githubAppPrivateKey: privateKey?.replace(/\\n/g, '\n'),
    githubAppInstallationId: optionalInt(env, 'GITHUB_APP_INSTALLATION_ID'),
    webhookSecret: optional(env, 'WEBHOOK_SECRET'),
    ghproxyUrl: optional(env, 'GHPROXY_URL'),
    port: optionalInt(env, 'PORT'),
    controllerPort: optionalInt(env, 'CONTROLLER_PORT'),
    tidePort: optionalInt(env, 'TIDE_PORT'),
    tideWorkDir: optional(env, 'TIDE_WORKDIR'),
    storageLocation: optional(env, 'STORAGE_LOCATION'),
    jobRunner: readJobRunner(env),
    jobStore: readChoice(env, 'JOB_STORE', ['redis', 'kubernetes'] as const, 'redis'),
    kubeconfig: optional(env, 'KUBECONFIG'),
    prowImage: optional(env, 'PROW_IMAGE') ?? 'ghcr.io/prow-ts/prow:latest',
    stale: readStale(env),
  };
}
