import { envChoice, envDuration, envFlag, envList, envString, envWhole } from './env-vars.ts';
import { ProwError } from './errors.ts';

/** The environment every service shares, read in this one place (a service's own variables are read by its settings module, with the readers in env-vars.ts). */
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
  /**
   * `HOOK_ROLE`: which parts of hook this process runs. `intake` takes webhooks (`POST /hook`, /plugin-help)
   * and drains the journal into the events queue; `workers` runs the plugins on that queue and the stale
   * sweeper, with /healthz and /metrics only; `all` (when unset, as `prow start` runs it) runs both. The two
   * meet only in Redis, so a cluster can run them as separate Deployments on the same prefix.
   */
  hookRole: 'all' | 'intake' | 'workers';
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

function readStale(env: NodeJS.ProcessEnv): StaleEnv {
  const repos = envList(env, 'STALE_REPOS', true) ?? [];
  for (const r of repos) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(r)) throw new ProwError('PROW_ERR_ENV_INVALID', 'STALE_REPOS', `"${r}" is not a repository; list them as org/repo, separated by commas`);
  }
  const periods: StaleEnv['periods'] = {};
  const stale = envDuration(env, 'STALE_AFTER');
  const rotten = envDuration(env, 'STALE_ROTTEN_AFTER');
  const close = envDuration(env, 'STALE_CLOSE_AFTER');
  if (stale !== undefined) periods.stale = stale;
  if (rotten !== undefined) periods.rotten = rotten;
  if (close !== undefined) periods.close = close;
  return { repos, dryRun: envFlag(env, 'STALE_DRY_RUN') ?? false, periods, every: envDuration(env, 'STALE_EVERY') };
}

/** Reads and checks prow-ts's environment variables. `PROW_`-prefixed names win over the plain ones. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): ProwEnv {
  const redisUrl = envString(env, 'PROW_REDIS_URL') ?? envString(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ProwError('PROW_ERR_ENV_INVALID', 'REDIS_URL', `"${redisUrl}" must start with redis:// or rediss://`);
  }
  const privateKey = envString(env, 'GITHUB_APP_PRIVATE_KEY');
  return {
    redisUrl,
    redisPrefix: envString(env, 'PROW_REDIS_PREFIX') ?? 'prow',
    logLevel: envString(env, 'LOG_LEVEL') ?? 'info',
    githubApiUrl: envString(env, 'GITHUB_API_URL'),
    githubToken: envString(env, 'GITHUB_TOKEN'),
    githubAppId: envString(env, 'GITHUB_APP_ID'),
    githubAppPrivateKey: privateKey?.replace(/\\n/g, '\n'),
    githubAppInstallationId: envWhole(env, 'GITHUB_APP_INSTALLATION_ID'),
    webhookSecret: envString(env, 'WEBHOOK_SECRET'),
    ghproxyUrl: envString(env, 'GHPROXY_URL'),
    port: envWhole(env, 'PORT'),
    controllerPort: envWhole(env, 'CONTROLLER_PORT'),
    tidePort: envWhole(env, 'TIDE_PORT'),
    tideWorkDir: envString(env, 'TIDE_WORKDIR'),
    storageLocation: envString(env, 'STORAGE_LOCATION'),
    jobRunner: envChoice(env, 'JOB_RUNNER', ['local', 'pod'] as const) ?? 'local',
    jobStore: envChoice(env, 'JOB_STORE', ['redis', 'kubernetes'] as const) ?? 'redis',
    kubeconfig: envString(env, 'KUBECONFIG'),
    prowImage: envString(env, 'PROW_IMAGE') ?? 'ghcr.io/prow-ts/prow:latest',
    hookRole: envChoice(env, 'HOOK_ROLE', ['all', 'intake', 'workers'] as const) ?? 'all',
    stale: readStale(env),
  };
}
