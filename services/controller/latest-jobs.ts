import type { ProwJob, ProwJobType } from '../../lib/jobs/index.ts';

/**
 * The newest job of each job name among `jobs` of `type`, by `status.startTime` (on a tie the first listed
 * wins), as Prow's GetLatestProwJobs: horologium schedules from it and sinker keeps it.
 */
export function latestJobs(jobs: readonly ProwJob[], type: ProwJobType): Map<string, ProwJob> {
  const latest = new Map<string, ProwJob>();
  for (const job of jobs) {
    if (job.spec.type !== type) continue;
    const seen = latest.get(job.spec.job);
    if (seen === undefined || Date.parse(job.status.startTime) > Date.parse(seen.status.startTime)) latest.set(job.spec.job, job);
  }
  return latest;
}

/** Prow's `Complete()`: a job is done once it has a completion time, whatever its state says. */
export function isComplete(job: ProwJob): boolean {
  return job.status.completionTime !== undefined;
}
