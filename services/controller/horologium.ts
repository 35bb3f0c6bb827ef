import { createHash } from 'node:crypto';
import { parseGoDuration, type Periodic, type ProwConfig } from '../../lib/config/index.ts';
import { JobConflictError, newPeriodicJob, type JobStore, type ProwJob } from '../../lib/jobs/index.ts';
import type { Logger } from '../../lib/log.ts';
import { CronTriggers } from './cron-triggers.ts';
import { isComplete, latestJobs } from './latest-jobs.ts';

/** The label counting a periodic's retries, as Prow's horologium sets it (`1` for the first retry). */
export const reRunLabel = 'prow.k8s.io/re-run';

/** Prow caps `retry.attempts` at this many. */
const maxRetries = 10;
const defaultTickMs = 60_000;

/** What horologium runs on. */
export interface HorologiumOptions {
  jobs: JobStore;
  config: () => ProwConfig;
  log: Logger;
  /** Time between syncs; default `horologium.tick_interval` of the config (1m), read again before each wait. */
  tickMs?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** What one sync did, as Prow logs it. */
export interface TickStats {
  /** ProwJobs created. */
  triggered: number;
  /** Periodics looked at and not due. */
  notDue: number;
  /** Cron periodics whose schedule has not fired since the last sync. */
  cronNotQueued: number;
  /** Runs another horologium created first (the name was taken). */
  alreadyTriggered: number;
  /** Creates that failed otherwise; each is logged. */
  failed: number;
}

/** A running horologium. */
export interface Horologium {
  /** One sync now, after any sync in progress. */
  tick(): Promise<TickStats>;
  close(): Promise<void>;
}

type Reason = 'first' | 'interval' | 'minimum_interval' | 'cron' | 'retry';
type Decision = { trigger: Reason; labels?: Record<string, string> } | { skip: 'not-due' | 'cron-not-queued' };

const ms = (duration: string | undefined): number => (duration === undefined ? 0 : (parseGoDuration(duration) ?? 0));
const since = (now: Date, iso: string | undefined): number => now.getTime() - Date.parse(iso ?? '');

/**
 * The name of the run of periodic `job` that follows its run `previous` (or its first run, when there is
 * none): a UUID made from the two. Every horologium that decides to start the same next run computes the
 * same name, so when two run at once the store refuses the second create and the run starts once.
 */
export function successorName(job: string, previous: string | undefined): string {
  const hash = createHash('sha256').update(`horologium\0${job}\0${previous ?? ''}`).digest().subarray(0, 16);
  // A name-based UUID (version 8, RFC 9562), so it reads like the random ones Prow gives ProwJobs.
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x80, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Prow's retry of a periodic's last run: the attempt number it would be, or undefined when it is not to be
 * retried. A failed run is retried `retry.interval` after it started, up to `retry.attempts` times (at most
 * 10); with `run_all` every run is, finished or not, as Prow's doc says ("not waiting on previous result").
 */
function retryAttempt(p: Periodic, last: ProwJob, now: Date, log: Logger): number | undefined {
  const retry = p.retry;
  if (retry === undefined) return undefined;
  const runAll = retry.run_all === true;
  if (!isComplete(last) && !runAll) return undefined;
  const counted = last.metadata.labels[reRunLabel];
  let attempt = 1;
  if (counted !== undefined) {
    if (!/^[+-]?\d+$/.test(counted)) {
      log.warn({ job: p.name, prowjob: last.metadata.name, value: counted }, `cannot read the ${reRunLabel} label; not retrying`);
      return undefined;
    }
    attempt = Number(counted) + 1;
  }
  if (attempt > Math.min(retry.attempts ?? 0, maxRetries)) return undefined;
  if (since(now, last.status.startTime) <= ms(retry.interval)) return undefined;
  if (!runAll && last.status.state === 'success') return undefined;
  return attempt;
}

/** Whether periodic `p` gets a new run now, given its latest run and the cron periodics queued this sync. */
function decide(p: Periodic, last: ProwJob | undefined, queued: ReadonlySet<string>, now: Date, log: Logger): Decision {
  let due: Reason | undefined;
  if (p.cron === undefined || p.cron === '') {
    if (last !== undefined && isComplete(last)) {
      const minimum = p.minimum_interval !== undefined;
      const elapsed = since(now, minimum ? last.status.completionTime : last.status.startTime);
      if (elapsed > ms(minimum ? p.minimum_interval : p.interval)) due = minimum ? 'minimum_interval' : 'interval';
    }
  } else {
    // A firing while the last run still runs is dropped: the schedule's next firing is the next chance.
    if (!queued.has(p.name)) return { skip: 'cron-not-queued' };
    if (last === undefined || isComplete(last)) due = 'cron';
  }
  if (last === undefined) return { trigger: 'first' };
  if (due !== undefined) return { trigger: due };
  const attempt = retryAttempt(p, last, now, log);
  if (attempt !== undefined) return { trigger: 'retry', labels: { [reRunLabel]: String(attempt) } };
  return { skip: 'not-due' };
}

/**
 * horologium: starts periodics. Each sync lists the ProwJobs, takes the latest run of each periodic, and
 * creates the next run when it is due: at once when there is none; for `interval`, once the latest is
 * complete and more than the interval has passed since it started; for `minimum_interval`, the same counted
 * from its completion; for `cron`, when the schedule fired since the last sync and the latest is complete;
 * and for `retry`, the failed latest again after `retry.interval`, labelled `prow.k8s.io/re-run=<n>`.
 *
 * Several horologiums may run at once (one per controller): each new run is named after the run it
 * follows (`successorName`), so the store's create lets only one of them make it.
 */
export async function startHorologium(opts: HorologiumOptions): Promise<Horologium> {
  const { jobs, config, log } = opts;
  const clock = opts.now ?? (() => new Date());
  const cron = new CronTriggers();
  // The cron errors already logged, so a bad schedule is reported once per expression, not every minute.
  const reported = new Map<string, string>();
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const syncOnce = async (): Promise<TickStats> => {
    const stats: TickStats = { triggered: 0, notDue: 0, cronNotQueued: 0, alreadyTriggered: 0, failed: 0 };
    const now = clock();
    const cfg = config();
    const latest = latestJobs(await jobs.list(), 'periodic');

    for (const { job, error } of cron.sync(cfg.periodics, now)) {
      const expression = cfg.periodics.find((p) => p.name === job)?.cron ?? '';
      if (reported.get(job) === expression) continue;
      reported.set(job, expression);
      log.error({ job, err: error }, 'cron periodic is not scheduled: its cron does not parse');
    }
    cron.fire(now);
    const queued = cron.take();

    for (const p of cfg.periodics) {
      const last = latest.get(p.name);
      const decision = decide(p, last, queued, now, log);
      if ('skip' in decision) {
        if (decision.skip === 'cron-not-queued') stats.cronNotQueued++;
        else stats.notDue++;
        continue;
      }
      const name = successorName(p.name, last?.metadata.name);
      const job = newPeriodicJob(p, { namespace: cfg.prowjob_namespace, name, now, labels: decision.labels });
      try {
        await jobs.create(job);
        stats.triggered++;
        log.info({ job: p.name, prowjob: name, reason: decision.trigger, previous: last?.metadata.name }, 'triggering new run');
      } catch (err) {
        if (err instanceof JobConflictError) {
          stats.alreadyTriggered++;
          log.debug({ job: p.name, prowjob: name }, 'another horologium triggered this run first');
        } else {
          stats.failed++;
          log.error({ job: p.name, prowjob: name, err }, 'cannot create the ProwJob of a periodic');
        }
      }
    }
    log.debug({ ...stats }, 'synced periodic jobs');
    return stats;
  };

  // Syncs run one at a time, whoever asks; a failed one does not stop the next.
  const tick = (): Promise<TickStats> => {
    const run = chain.then(syncOnce);
    chain = run.catch(() => undefined);
    return run;
  };

  const schedule = (): void => {
    if (closed) return;
    const configured = config().horologium?.tick_interval;
    const wait = opts.tickMs ?? (configured === undefined ? defaultTickMs : ms(configured));
    timer = setTimeout(() => {
      tick()
        .catch((err: unknown) => {
          log.error({ err }, 'error syncing periodic jobs');
        })
        .finally(schedule);
    }, wait > 0 ? wait : defaultTickMs);
    timer.unref();
  };

  // Prow syncs once at start, then every tick.
  await tick().catch((err: unknown) => {
    log.error({ err }, 'error syncing periodic jobs');
  });
  schedule();

  return {
    tick,
    async close() {
      closed = true;
      clearTimeout(timer);
      await chain;
    },
  };
}
