import type { Presubmit } from '../../lib/config/index.ts';
import { newPresubmitJob, prowLabels, refsForPullRequest, type ChangedFiles, type ProwJob, type PullRequestLike } from '../../lib/jobs/index.ts';
import { pullRequestFiles } from '../owners/pull-request-files.ts';
import type { PluginContextBase } from '../plugin.ts';
import { createJobsOnce } from './create-jobs.ts';

/** The PR as trigger reads it: what refs need, and what GitHub says about drafts and conflicts. */
export interface TriggeredPull extends PullRequestLike {
  draft?: boolean | undefined;
  /** False when GitHub found a merge conflict; null while it has not computed it. */
  mergeable?: boolean | null | undefined;
}

/** The files PR `number` changes, read from GitHub once and only if a job's file filter asks. */
export function changedFilesOf(ctx: PluginContextBase, number: number): ChangedFiles {
  let files: Promise<readonly string[]> | undefined;
  return () => (files ??= pullRequestFiles(ctx, number).then((list) => list.map((f) => f.filename)));
}

/** The tip of the PR's base branch now: what the jobs merge the PR into, as Prow reads it for each trigger. */
export async function baseShaOf(ctx: PluginContextBase, pr: TriggeredPull): Promise<string> {
  const { data } = await ctx.github.rest.git.getRef({ owner: ctx.org, repo: ctx.repo, ref: `heads/${pr.base.ref}` });
  return data.object.sha;
}

/** Extra labels for jobs a `/retest` started, so they can be told from first runs. */
export const retestLabels: Readonly<Record<string, string>> = { [prowLabels.retest]: 'true' };

/**
 * Creates a ProwJob for each of `jobs` on the PR (Prow's RunRequested). A PR GitHub reports as conflicting gets
 * none: its jobs could not merge it and would only fail.
 */
export async function startPresubmits(ctx: PluginContextBase, pr: TriggeredPull, jobs: readonly Presubmit[], labels: Readonly<Record<string, string>> = {}): Promise<ProwJob[]> {
  if (jobs.length === 0) return [];
  if (pr.mergeable === false) {
    ctx.log.info({ pull: pr.number }, 'the PR has a merge conflict: no jobs started');
    return [];
  }
  const refs = refsForPullRequest(pr, await baseShaOf(ctx, pr));
  const opts = { namespace: ctx.config.prow.prowjob_namespace, eventGuid: ctx.delivery, labels };
  return createJobsOnce(
    ctx,
    jobs.map((job) => newPresubmitJob(job, refs, opts)),
  );
}
