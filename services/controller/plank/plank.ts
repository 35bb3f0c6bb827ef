import type { ProwConfig } from '../../../lib/config/index.ts';
import { finalStates, type JobStore, type JobWatch, type ProwJob, type ProwJobState } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';
import { RunRejectedError, type Runner } from '../runner/runner.ts';
import { WorkQueue } from '../work-queue.ts';
import { canStart, supersedeKey, supersededBy, type JobPeers } from './gates.ts';
import { JobCache } from './job-cache.ts';
import { runTimeouts } from './timeouts.ts';

/** What plank runs on. */
export interface PlankOptions {
  jobs: JobStore;
  runner: Runner;
  config: () => ProwConfig;
  log: Logger;
  /** The job's page (`status.url`), from `plank.job_url_prefix_config` or `job_url_template`. */
  jobUrl: (job: ProwJob) => string | undefined;
  /** Jobs reconciled at once (default 20). */
  concurrency?: number;
  /** Cap on pending jobs across all jobs; 0 (the default) for none, as Prow has none. */
  maxPending?: number;
  /** How often every unfinished job is looked at again, to catch what no event announced (default 30 s). */
  resyncMs?: number;
  /** Called after each state change plank makes, for metrics. */
  onTransition?: (from: ProwJobState, to: ProwJobState, job: ProwJob) => void;
}

/** A running plank. */
export interface Plank {
  /** plank's view of the jobs (read-only use). */
  cache: JobCache;
  /** Resolves when no reconcile is queued or running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const now = (): string => new Date().toISOString();
const since = (iso: string | undefined): number => (iso === undefined ? 0 : Date.now() - Date.parse(iso));

/**
 * plank: moves ProwJobs from triggered to a final state. It starts triggered jobs within their
 * `max_concurrency` and job queue capacities (oldest first), starts their runs through the Runner, follows
 * the runs to success, failure or error, enforces the unscheduled, pending and running timeouts, aborts
 * presubmits superseded by a newer run on the same PRs, and stops the runs of aborted jobs.
 *
 * Every decision is a reconcile of one job by name from the cache, queued by the store's watch, by the
 * runner's change events, by the deadline of a timeout, and by a periodic resync. A failed write is retried
 * with backoff, so a store or cluster outage delays work and loses none.
 */
export async function startPlank(opts: PlankOptions): Promise<Plank> {
  const { jobs, runner, config, log } = opts;
  const cache = new JobCache();
  // Starts decided but not yet written: counted as pending, so concurrent reconciles respect the limits.
  const starting = new Set<string>();
  const peers: JobPeers = {
    byJob: (job: string) => cache.byJob(job),
    byQueue: (q: string) => cache.byQueue(q),
    bySupersedeKey: (key: string) => cache.bySupersedeKey(key),
    pendingCount: () => cache.pendingCount() + starting.size,
    isStarting: (name: string) => starting.has(name),
  };
  const queue = new WorkQueue((name) => reconcile(name), { concurrency: opts.concurrency ?? 20, log, name: 'plank' });

  /** Writes a change through the store (compare-and-set) and into the cache; undefined when the job is gone. */
  const write = async (name: string, mutate: (job: ProwJob) => ProwJob | undefined): Promise<ProwJob | undefined> => {
    const before = cache.get(name)?.status.state;
    const stored = await jobs.update(name, mutate);
    if (stored) {
      cache.put(stored);
      if (before !== undefined && before !== stored.status.state) {
        opts.onTransition?.(before, stored.status.state, stored);
        wakeWaiters(stored);
      }
    }
    return stored;
  };

  /** Finishes `name` in `state` with `description`, unless it already finished. */
  const finish = (name: string, state: ProwJobState, description: string, extra: Partial<ProwJob['status']> = {}) =>
    write(name, (job) => {
      if (finalStates.has(job.status.state)) return undefined;
      return { ...job, status: { ...job.status, ...extra, state, description, completionTime: now() } };
    });

  // A job leaving `triggered` or `pending` may let waiting jobs of the same name or queue start.
  const wakeWaiters = (changed: ProwJob): void => {
    if (changed.status.state === 'triggered') return;
    const waiting = (list: Iterable<ProwJob>) => {
      for (const j of list) if (j.status.state === 'triggered') queue.add(j.metadata.name);
    };
    waiting(cache.byJob(changed.spec.job));
    if (changed.spec.job_queue_name !== undefined) waiting(cache.byQueue(changed.spec.job_queue_name));
    if ((opts.maxPending ?? 0) > 0) waiting(cache.all());
  };

  const start = async (job: ProwJob): Promise<void> => {
    const name = job.metadata.name;
    const problem = specProblem(job);
    if (problem !== undefined) {
      log.warn({ job: job.spec.job, prowjob: name, problem }, 'job spec is invalid');
      await finish(name, 'error', `Job spec is invalid: ${problem}`);
      return;
    }
    const verdict = canStart(job, peers, config(), opts.maxPending);
    if (verdict !== undefined) {
      log.debug({ prowjob: name, verdict }, 'job waits');
      return;
    }
    starting.add(name);
    let started: ProwJob | undefined;
    try {
      const buildId = job.status.build_id ?? (await jobs.nextBuildId(job.spec.job));
      started = await write(name, (j) => {
        if (j.status.state !== 'triggered') return undefined;
        const next: ProwJob = { ...j, status: { ...j.status, build_id: buildId, pod_name: name } };
        const url = opts.jobUrl(next) ?? j.status.url;
        return { ...next, status: { ...next.status, state: 'pending', pendingTime: now(), description: 'Job triggered.', ...(url === undefined ? {} : { url }) } };
      });
    } finally {
      starting.delete(name);
    }
    if (started?.status.state !== 'pending') return;
    await startRun(started);
  };

  const startRun = async (job: ProwJob): Promise<void> => {
    try {
      await runner.start(job);
    } catch (err) {
      if (err instanceof RunRejectedError) {
        log.warn({ prowjob: job.metadata.name, err: err.message }, 'run cannot be created');
        await finish(job.metadata.name, 'error', truncate(`Pod can not be created: ${err.message}`));
        return;
      }
      throw err;
    }
  };

  const follow = async (job: ProwJob): Promise<void> => {
    const name = job.metadata.name;
    const run = await runner.phase(name);
    if (run === undefined) {
      // The run is gone (never created after a crash, or removed under us): start it again, as plank
      // recreates a missing Pod.
      log.info({ prowjob: name }, 'pending job has no run; starting it');
      await startRun(job);
      return;
    }
    const limits = runTimeouts(job, config());
    switch (run.phase) {
      case 'pending': {
        const waited = since(run.since);
        const limit = run.scheduled ? limits.pending : limits.unscheduled;
        if (waited >= limit) {
          await runner.stop(name);
          await finish(name, 'error', run.scheduled ? 'Pod pending timeout.' : 'Pod scheduling timeout.');
        } else {
          queue.addAfter(name, limit - waited);
        }
        return;
      }
      case 'running': {
        const ran = since(run.since);
        if (ran >= limits.running) {
          await runner.stop(name);
          await finish(name, 'aborted', 'Pod running timeout.');
        } else {
          queue.addAfter(name, limits.running - ran);
        }
        return;
      }
      case 'succeeded':
        await finish(name, 'success', 'Job succeeded.');
        return;
      case 'failed':
        await finish(name, 'failure', 'Job failed.');
        return;
      case 'error': {
        // An evicted Pod is no verdict on the job: run it again, up to plank.max_revivals (Prow's 3) times,
        // unless the job asks for eviction to count as an error.
        const revivals = job.status.pod_revival_count ?? 0;
        if (run.evicted === true && job.spec.error_on_eviction !== true && revivals < (config().plank?.max_revivals ?? 3)) {
          log.info({ prowjob: name, revivals: revivals + 1 }, 'run was evicted; starting it again');
          await runner.stop(name);
          const revived = await write(name, (j) => ({ ...j, status: { ...j.status, pod_revival_count: revivals + 1 } }));
          if (revived) await startRun(revived);
          return;
        }
        await finish(name, 'error', truncate(run.reason));
        return;
      }
    }
  };

  async function reconcile(name: string): Promise<void> {
    const job = cache.get(name);
    if (job?.spec.agent !== 'kubernetes') return;
    const state = job.status.state;
    if (state === 'triggered' || state === 'pending') {
      const newer = supersededBy(job, peers);
      if (newer !== undefined) {
        // The old run reports nothing more to GitHub: the newer one owns the context now, as in Prow.
        await write(name, (j) =>
          finalStates.has(j.status.state)
            ? undefined
            : {
                ...j,
                status: {
                  ...j.status,
                  state: 'aborted',
                  description: 'Aborted as the newer version of this job is running.',
                  completionTime: now(),
                  prev_report_states: { ...j.status.prev_report_states, 'github-reporter': 'aborted' },
                },
              },
        );
        await runner.stop(name);
        return;
      }
    }
    if (state === 'triggered') await start(job);
    else if (state === 'pending') await follow(job);
    else if (state === 'aborted') {
      await runner.stop(name);
      if (job.status.completionTime === undefined) await write(name, (j) => ({ ...j, status: { ...j.status, completionTime: now() } }));
    }
  }

  runner.onChange((name) => {
    queue.add(name);
  });
  const watch: JobWatch = await jobs.watch((change) => {
    if (!cache.apply(change)) return;
    if (change.type === 'DELETED') {
      void runner.stop(change.job.metadata.name).catch((err: unknown) => {
        log.warn({ err, prowjob: change.job.metadata.name }, 'cannot stop the run of a deleted job');
      });
      return;
    }
    queue.add(change.job.metadata.name);
    // A new run of a presubmit supersedes the older ones on the same PRs: look at them now.
    const key = change.type === 'ADDED' ? supersedeKey(change.job) : undefined;
    if (key !== undefined) for (const peer of cache.bySupersedeKey(key)) if (!finalStates.has(peer.status.state)) queue.add(peer.metadata.name);
  });
  const resync = setInterval(() => {
    for (const job of cache.all()) if (!finalStates.has(job.status.state)) queue.add(job.metadata.name);
  }, opts.resyncMs ?? 30_000);
  resync.unref();

  return {
    cache,
    idle: () => queue.idle(),
    async close() {
      clearInterval(resync);
      await watch.close();
      await queue.close();
    },
  };
}

/** What makes a job unrunnable before any run is tried, in words; undefined when it can run. */
function specProblem(job: ProwJob): string | undefined {
  const containers = (job.spec.pod_spec as { containers?: unknown } | undefined)?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return 'spec.pod_spec.containers is empty: give the job one container to run';
  return undefined;
}

// GitHub refuses status descriptions over 140 characters; crier cuts them too, but keep stored ones short.
function truncate(text: string, max = 400): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
