import { parseGoDuration, type ProwConfig } from '../../lib/config/index.ts';
import type { JobStore, ProwJob } from '../../lib/jobs/index.ts';
import type { Logger } from '../../lib/log.ts';
import { isComplete, latestJobs } from './latest-jobs.ts';
import type { Runner } from './runner/runner.ts';

const hour = 3_600_000;
const defaults = { resyncPeriod: hour, maxProwJobAge: 168 * hour, maxPodAge: 24 * hour };

/** Why sinker deleted a ProwJob, in Prow's metric vocabulary. */
export type JobCleanReason = 'aged' | 'aged-periodic';
/** Why sinker removed a run, in Prow's metric vocabulary. */
export type RunCleanReason = 'aged' | 'ttled' | 'orphaned';

/** What one sync removed, by reason: Prow's `sinker_prow_jobs_cleaned` and `sinker_pods_removed`. */
export interface SinkerResult {
  deletedJobs: Record<JobCleanReason, number>;
  deletedRuns: Record<RunCleanReason, number>;
}

/** What sinker runs on. */
export interface SinkerOptions {
  jobs: JobStore;
  runner: Runner;
  config: () => ProwConfig;
  log: Logger;
  /** Time between syncs; default `sinker.resync_period` of the config (1h), read again before each wait. */
  resyncMs?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** A running sinker. */
export interface Sinker {
  /** One sync now, after any sync in progress. */
  sync(): Promise<SinkerResult>;
  close(): Promise<void>;
}

interface Limits {
  maxProwJobAge: number;
  maxPodAge: number;
  terminatedPodTtl: number;
}

function duration(text: string | undefined, fallback: number): number {
  const parsed = text === undefined ? undefined : parseGoDuration(text);
  return parsed ?? fallback;
}

function limitsOf(config: ProwConfig): Limits {
  const s = config.sinker;
  const maxPodAge = duration(s?.max_pod_age, defaults.maxPodAge);
  return {
    maxProwJobAge: duration(s?.max_prowjob_age, defaults.maxProwJobAge),
    maxPodAge,
    terminatedPodTtl: duration(s?.terminated_pod_ttl, maxPodAge),
  };
}

/**
 * sinker: keeps the store and the runner from growing without end. Each sync deletes completed ProwJobs
 * that started more than `max_prowjob_age` ago, except the newest run of each periodic still in config
 * (horologium schedules from it); incomplete jobs are never deleted. Then it removes the runs of finished
 * jobs that started more than `max_pod_age` ago or completed more than `terminated_pod_ttl` ago, and the
 * runs whose job is gone.
 *
 * Prow spares Pods younger than 30 s from the orphan rule, since its ProwJob cache may lag. The Runner gives
 * run names only, no ages, so here a run is orphaned when its job is missing (listed and fetched again) on
 * two consecutive syncs, a resync period apart when sinker runs on its own; a job seen again in between
 * clears it. A run whose job this sync deleted is orphaned at once.
 */
export async function startSinker(opts: SinkerOptions): Promise<Sinker> {
  const { jobs, runner, config, log } = opts;
  const clock = opts.now ?? (() => new Date());
  // Runs whose job was missing at the last sync: orphaned if it is still missing at this one.
  let missing = new Set<string>();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Deletes the aged jobs among `all` and returns the names deleted. */
  const deleteJobs = async (all: readonly ProwJob[], cfg: ProwConfig, limits: Limits, now: number, result: SinkerResult): Promise<Set<string>> => {
    const deleted = new Set<string>();
    const activePeriodics = new Set(cfg.periodics.map((p) => p.name));
    const latestPeriodics = latestJobs(all, 'periodic');
    for (const job of all) {
      if (!isComplete(job)) continue;
      const periodic = job.spec.type === 'periodic';
      if (periodic && activePeriodics.has(job.spec.job) && latestPeriodics.get(job.spec.job)?.metadata.name === job.metadata.name) continue;
      if (now - Date.parse(job.status.startTime) <= limits.maxProwJobAge) continue;
      try {
        await jobs.delete(job.metadata.name);
        deleted.add(job.metadata.name);
        result.deletedJobs[periodic ? 'aged-periodic' : 'aged']++;
        log.info({ prowjob: job.metadata.name, job: job.spec.job, type: job.spec.type }, 'deleted prowjob');
      } catch (err) {
        log.error({ err, prowjob: job.metadata.name }, 'cannot delete prowjob');
      }
    }
    return deleted;
  };

  /** Why the run of `job` should go, or undefined to keep it. */
  const runReason = (job: ProwJob, limits: Limits, now: number): RunCleanReason | undefined => {
    // Removing the run of an unfinished job would only make plank start it again.
    if (!isComplete(job)) return undefined;
    // The run began when plank started it (the Pod's start); a job without pendingTime never got further.
    const runStart = Date.parse(job.status.pendingTime ?? job.status.startTime);
    if (now - runStart > limits.maxPodAge) return 'aged';
    if (now - Date.parse(job.status.completionTime ?? '') > limits.terminatedPodTtl) return 'ttled';
    return undefined;
  };

  const removeRuns = async (all: readonly ProwJob[], deleted: ReadonlySet<string>, limits: Limits, now: number, result: SinkerResult): Promise<void> => {
    const byName = new Map(all.map((j) => [j.metadata.name, j]));
    const stillMissing = new Set<string>();
    for (const name of await runner.list()) {
      let reason: RunCleanReason | undefined;
      const job = byName.get(name) ?? (await jobs.get(name));
      if (job !== undefined) reason = runReason(job, limits, now) ?? (deleted.has(name) ? 'orphaned' : undefined);
      else if (missing.has(name)) reason = 'orphaned';
      else stillMissing.add(name);
      if (reason === undefined) continue;
      try {
        await runner.stop(name);
        result.deletedRuns[reason]++;
        log.info({ prowjob: name, reason }, 'removed run');
      } catch (err) {
        if (reason === 'orphaned') stillMissing.add(name);
        log.error({ err, prowjob: name, reason }, 'cannot remove run');
      }
    }
    missing = stillMissing;
  };

  const syncOnce = async (): Promise<SinkerResult> => {
    const result: SinkerResult = { deletedJobs: { aged: 0, 'aged-periodic': 0 }, deletedRuns: { aged: 0, ttled: 0, orphaned: 0 } };
    const cfg = config();
    const limits = limitsOf(cfg);
    const now = clock().getTime();
    const all = await jobs.list();
    const deleted = await deleteJobs(all, cfg, limits, now, result);
    // Runs are judged against the list taken before the deletes, as Prow does: a run whose job was just
    // deleted goes for its age when it has one, and as an orphan otherwise (no lag to wait out: we deleted it).
    await removeRuns(all, deleted, limits, now, result);
    log.info({ ...result }, 'sinker synced');
    return result;
  };

  const sync = (): Promise<SinkerResult> => {
    const run = chain.then(syncOnce);
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (): void => {
    if (closed) return;
    const wait = opts.resyncMs ?? duration(config().sinker?.resync_period, defaults.resyncPeriod);
    timer = setTimeout(() => {
      sync()
        .catch((err: unknown) => {
          log.error({ err }, 'sinker sync failed');
        })
        .finally(schedule);
    }, wait > 0 ? wait : defaults.resyncPeriod);
    timer.unref();
  };

  // Prow cleans once at start, then every resync period.
  await sync().catch((err: unknown) => {
    log.error({ err }, 'sinker sync failed');
  });
  schedule();

  return {
    sync,
    async close() {
      closed = true;
      clearTimeout(timer);
      await chain;
    },
  };
}
