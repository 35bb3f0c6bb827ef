import { postsubmitsFor } from '../../lib/config/index.ts';
import { newPostsubmitJob, postsubmitShouldRun, type Refs } from '../../lib/jobs/index.ts';
import type { PluginContext } from '../plugin.ts';
import { createJobsOnce } from './create-jobs.ts';

const deletedSha = /^0+$/;

/** The branch or tag a ref names, as Prow's PushEvent.Branch: `refs/heads/` or `refs/tags/` taken off. */
export function pushedRef(ref: string): string {
  return ref.replace(/^refs\/heads\//, '').replace(/^refs\/tags\//, '');
}

/**
 * Trigger on a push, as Prow's handlePE: a ProwJob for each postsubmit that runs on the pushed branch (or tag)
 * and the files its commits touched; a deleted ref starts nothing.
 */
export async function onPush(ctx: PluginContext<'push'>): Promise<void> {
  const p = ctx.payload;
  if (p.deleted || deletedSha.test(p.after)) return;
  const postsubmits = postsubmitsFor(ctx.config.prow, `${ctx.org}/${ctx.repo}`);
  if (postsubmits.length === 0) return;
  const branch = pushedRef(p.ref);
  const touched = new Set(p.commits.flatMap((c) => [...(c.added ?? []), ...(c.removed ?? []), ...(c.modified ?? [])]));
  const changes = (): Promise<readonly string[]> => Promise.resolve([...touched]);
  const refs: Refs = { org: ctx.org, repo: ctx.repo, repo_link: p.repository.html_url, base_ref: branch, base_sha: p.after, base_link: p.compare };
  const opts = { namespace: ctx.config.prow.prowjob_namespace, eventGuid: ctx.delivery };
  const jobs = [];
  for (const job of postsubmits) {
    if (await postsubmitShouldRun(job, branch, changes)) jobs.push(newPostsubmitJob(job, refs, opts));
  }
  await createJobsOnce(ctx, jobs);
}
