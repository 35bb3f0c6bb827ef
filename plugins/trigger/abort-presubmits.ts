import { finalStates, prowLabels, type ProwJob } from '../../lib/jobs/index.ts';
import type { PluginContextBase } from '../plugin.ts';

/** The description an aborted job carries, Prow's words. */
export const abortedByTrigger = 'Aborted by trigger plugin.';

const isComplete = (job: ProwJob): boolean => finalStates.has(job.status.state) || job.status.completionTime !== undefined;

/**
 * Aborts the incomplete presubmits of PR `number` (Prow's abortAllJobs), except those testing `keepSha`: a
 * push passes the new head, so a retried delivery never aborts the jobs it has just started. Each job is
 * changed through the store's compare-and-set, so a job that completed meanwhile is left as it is. Returns
 * the names of the jobs aborted.
 */
export async function abortPresubmits(ctx: PluginContextBase, number: number, keepSha?: string): Promise<string[]> {
  const selector = { labels: { [prowLabels.org]: ctx.org, [prowLabels.repo]: ctx.repo, [prowLabels.pull]: String(number), [prowLabels.type]: 'presubmit' } };
  const aborted: string[] = [];
  for (const job of await ctx.jobs.list(selector)) {
    if (isComplete(job) || (keepSha !== undefined && job.spec.refs?.pulls?.[0]?.sha === keepSha)) continue;
    // A job that completed between the list and the write is left alone; the store re-reads on a conflict.
    const after = await ctx.jobs.update(job.metadata.name, (current) =>
      isComplete(current) ? undefined : { ...current, status: { ...current.status, state: 'aborted', completionTime: new Date().toISOString(), description: abortedByTrigger } },
    );
    if (after?.status.state === 'aborted' && after.status.description === abortedByTrigger) aborted.push(job.metadata.name);
  }
  if (aborted.length > 0) ctx.log.info({ pull: number, aborted }, 'aborted the PR’s running presubmits');
  return aborted;
}
