import { type JobStore, type JobWatch, type ProwJob } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';
import { WorkQueue } from '../work-queue.ts';
import type { Reporter } from './reporter.ts';

export interface CrierOptions {
  jobs: JobStore;
  reporters: readonly Reporter[];
  log: Logger;
  /** Jobs reported at once (default 10). */
  concurrency?: number;
  /** Called after each successful report, for metrics. */
  onReport?: (reporter: string, job: ProwJob) => void;
}

export interface Crier {
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * crier: reports each state a ProwJob reaches once per reporter. What each reporter last reported is kept in
 * the job itself (`status.prev_report_states[reporter]`, as Prow keeps it), so a restart neither loses nor
 * repeats a report; a failed report is retried with backoff without holding up other jobs.
 */
export async function startCrier(opts: CrierOptions): Promise<Crier> {
  const { jobs, reporters, log } = opts;
  const latest = new Map<string, ProwJob>();

  const reconcile = async (name: string): Promise<void> => {
    const job = latest.get(name);
    if (job === undefined) return;
    for (const reporter of reporters) {
      const state = job.status.state;
      if (job.status.prev_report_states?.[reporter.name] === state) continue;
      if (!reporter.shouldReport(job)) continue;
      await reporter.report(job);
      opts.onReport?.(reporter.name, job);
      const stored = await jobs.update(name, (j) => ({
        ...j,
        status: { ...j.status, prev_report_states: { ...j.status.prev_report_states, [reporter.name]: state } },
      }));
      if (stored) keep(stored);
      log.debug({ prowjob: name, reporter: reporter.name, state }, 'reported');
    }
  };

  const queue = new WorkQueue(reconcile, { concurrency: opts.concurrency ?? 10, log, name: 'crier' });
  const keep = (job: ProwJob): boolean => {
    const old = latest.get(job.metadata.name);
    if (old && Number(old.metadata.resourceVersion ?? 0) >= Number(job.metadata.resourceVersion ?? 0)) return false;
    latest.set(job.metadata.name, job);
    return true;
  };
  const watch: JobWatch = await jobs.watch((change) => {
    if (change.type === 'DELETED') {
      latest.delete(change.job.metadata.name);
      return;
    }
    if (keep(change.job)) queue.add(change.job.metadata.name);
  });

  return {
    idle: () => queue.idle(),
    async close() {
      await watch.close();
      await queue.close();
    },
  };
}
