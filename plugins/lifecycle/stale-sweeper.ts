import type { Queue, Worker } from 'bullmq';
import { ProwError } from '../../lib/errors.ts';
import type { GitHubClient } from '../../lib/github/github-client.ts';
import type { Logger } from '../../lib/log.ts';
import { createQueue, createWorker } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { defaultStalePeriods, type StalePeriods } from './stale-periods.ts';
import { sweepRepo, type SweepAction } from './stale-sweep.ts';

/**
 * Stale aging's settings. Prow has no plugin config for it: Kubernetes runs its `commenter` as periodic
 * jobs with the query, periods and `--confirm` as flags; these options are those flags.
 */
export interface StaleSweeperOptions {
  redis: RedisSettings;
  /** Where each repo's GitHub client comes from (a GitHubClient: the App installation's, or the token's). */
  github: Pick<GitHubClient, 'forRepo'>;
  logger: Logger;
  /** `org/repo` of every repo to age; schedulers of repos no longer listed are removed. */
  repos: readonly string[];
  /** Milliseconds; each missing one takes Kubernetes' default (90, 30 and 30 days). */
  periods?: Partial<StalePeriods> | undefined;
  /** List what would be done in the log and the job's result, change nothing. */
  dryRun?: boolean | undefined;
  /** Milliseconds between sweeps of a repo; 1 hour by default, as Kubernetes' jobs. */
  every?: number | undefined;
  /** At most this many items per step and sweep, like the commenter's `--ceiling` (10 in Kubernetes' jobs); 0 for no limit. */
  ceiling?: number | undefined;
  /** Labels that exempt an item from aging, besides `lifecycle/frozen` (Kubernetes exempts `help wanted`, `good first issue`, `triage/accepted` issues). */
  exemptLabels?: readonly string[] | undefined;
}

/** What one scheduled sweep job carries: the settings travel with the scheduler, so every worker agrees. */
export interface StaleSweepJob {
  org: string;
  repo: string;
  periods: StalePeriods;
  dryRun: boolean;
  ceiling: number;
  exemptLabels: string[];
}

/** The running sweeper: its queue (one job scheduler per repo, id `org/repo`) and how to stop it. */
export interface StaleSweeper {
  queue: Queue<StaleSweepJob, SweepAction[]>;
  close(): Promise<void>;
}

const hour = 3_600_000;

function invalid(why: string): ProwError {
  return new ProwError('PROW_ERR_CONFIG_INVALID', `stale aging: ${why}`);
}

function checkedRepo(fullName: string): { org: string; repo: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(fullName);
  if (!m?.[1] || !m[2]) throw invalid(`"${fullName}" is not a repository; write it as org/repo`);
  return { org: m[1], repo: m[2] };
}

function checkedPositive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw invalid(`${name} must be a positive number of milliseconds, not ${value}`);
  return value;
}

/**
 * Starts stale aging: one BullMQ job scheduler per repo on the `stale-sweep` queue, every `every` ms
 * (re-upserting is idempotent, so every process may call this), and a worker that sweeps one repo per job.
 */
export async function startStaleSweeper(options: StaleSweeperOptions): Promise<StaleSweeper> {
  const periods: StalePeriods = { ...defaultStalePeriods, ...options.periods };
  for (const name of ['stale', 'rotten', 'close'] as const) checkedPositive(`the ${name} period`, periods[name]);
  const every = checkedPositive('every', options.every ?? hour);
  const ceiling = options.ceiling ?? 10;
  if (!Number.isInteger(ceiling) || ceiling < 0) throw invalid(`ceiling must be a whole number, 0 for no limit, not ${ceiling}`);
  const repos = options.repos.map(checkedRepo);
  const log = options.logger.child({ component: 'stale-sweep' });

  const queue = createQueue<StaleSweepJob>(options.redis, queueNames.staleSweep) as Queue<StaleSweepJob, SweepAction[]>;
  const worker: Worker<StaleSweepJob> = createWorker<StaleSweepJob>(options.redis, queueNames.staleSweep, async (job) => {
    const { org, repo } = job.data;
    const github = await options.github.forRepo(org, repo);
    return sweepRepo({ ...job.data, github, log: log.child({ org, repo }) });
  });
  worker.on('failed', (job, err) => {
    log.error({ err, repo: job ? `${job.data.org}/${job.data.repo}` : undefined }, 'stale aging sweep failed');
  });

  const wanted = new Set(repos.map(({ org, repo }) => `${org}/${repo}`));
  for (const existing of await queue.getJobSchedulers()) {
    if (!wanted.has(existing.key)) await queue.removeJobScheduler(existing.key);
  }
  const exemptLabels = [...(options.exemptLabels ?? [])];
  for (const { org, repo } of repos) {
    const data: StaleSweepJob = { org, repo, periods, dryRun: options.dryRun ?? false, ceiling, exemptLabels };
    await queue.upsertJobScheduler(`${org}/${repo}`, { every }, { name: 'sweep', data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  }
  log.info({ repos: [...wanted], every, periods, dryRun: options.dryRun ?? false }, 'stale aging scheduled');

  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
