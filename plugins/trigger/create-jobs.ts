import { prowLabels, type ProwJob } from '../../lib/jobs/index.ts';
import type { PluginContextBase } from '../plugin.ts';

/** What makes two ProwJobs the same run: job, type, the commit tested and the pulls on it. */
function runKey(job: ProwJob): string {
  const { refs } = job.spec;
  const pulls = (refs?.pulls ?? []).map((p) => `${String(p.number)}@${p.sha}`).join(',');
  return [job.spec.type, job.spec.job, refs?.org ?? '', refs?.repo ?? '', refs?.base_ref ?? '', pulls === '' ? (refs?.base_sha ?? '') : pulls].join(' ');
}

/**
 * Stores `jobs`, leaving out any this delivery already stored (by its `event-GUID` label): a delivery retried
 * after some of its jobs were created makes the rest, not a second copy. Every job is tried; the first error
 * is thrown afterwards, so the retry has the least left to do. Returns the jobs created now.
 */
export async function createJobsOnce(ctx: PluginContextBase, jobs: readonly ProwJob[]): Promise<ProwJob[]> {
  if (jobs.length === 0) return [];
  const earlier = new Set((await ctx.jobs.list({ labels: { [prowLabels.eventGuid]: ctx.delivery } })).map(runKey));
  const created: ProwJob[] = [];
  const errors: unknown[] = [];
  for (const job of jobs) {
    if (earlier.has(runKey(job))) {
      ctx.log.debug({ job: job.spec.job }, 'this delivery already created the job');
      continue;
    }
    try {
      created.push(await ctx.jobs.create(job));
      ctx.log.info({ job: job.spec.job, type: job.spec.type, prowjob: job.metadata.name }, 'created a ProwJob');
    } catch (err) {
      ctx.log.error({ err, job: job.spec.job }, 'could not create the ProwJob');
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return created;
}
