import { loadRepoOwners } from '../owners/load-repo-owners.ts';
import { pullRequestFiles } from '../owners/pull-request-files.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import type { PluginContextBase } from '../plugin.ts';
import { approversOf, reviewersOf, selectReviewers } from './select-reviewers.ts';

/** The `blunderbuss:` settings with Prow's defaults. */
export interface BlunderbussOptions {
  requestCount: number;
  maxRequestCount: number;
  excludeApprovers: boolean;
  ignoreDrafts: boolean;
  ignoreAuthors: string[];
  waitForStatus: boolean;
}

export function blunderbussOptions(ctx: PluginContextBase): BlunderbussOptions {
  const c = ctx.config.plugins.blunderbuss;
  return {
    requestCount: c?.request_count ?? 2,
    maxRequestCount: c?.max_request_count ?? 0,
    excludeApprovers: c?.exclude_approvers ?? false,
    ignoreDrafts: c?.ignore_drafts ?? false,
    ignoreAuthors: c?.ignore_authors ?? [],
    waitForStatus: c?.wait_for_status !== undefined,
  };
}

/**
 * Requests reviews on PR `number` from OWNERS reviewers of its changed files (Prow's blunderbuss handle):
 * `request_count` of them, topped up from approvers unless `exclude_approvers`, capped at `max_request_count`,
 * plus the required reviewers; never the author. The choice is seeded by the PR number, so it is the same
 * on every retry. Returns who was asked.
 */
export async function requestOwnersReviews(ctx: PluginContextBase, pr: { number: number; baseRef: string; author: string }): Promise<string[]> {
  const opts = blunderbussOptions(ctx);
  const files = (await pullRequestFiles(ctx, pr.number)).map((f) => f.filename);
  const owners = await loadRepoOwners(ctx, pr.baseRef, files);
  const picked = selectReviewers(reviewersOf(owners), pr.author, files, opts.requestCount, seededRandom(pr.number));
  let reviewers = picked.reviewers;
  if (reviewers.length < opts.requestCount && !opts.excludeApprovers) {
    const approvers = selectReviewers(approversOf(owners), pr.author, files, opts.requestCount, seededRandom(pr.number)).reviewers;
    reviewers = [...new Set([...reviewers, ...approvers])];
  }
  if (opts.maxRequestCount > 0) reviewers = reviewers.slice(0, opts.maxRequestCount);
  reviewers = [...new Set([...reviewers, ...picked.required])];
  if (reviewers.length === 0) {
    ctx.log.info({ number: pr.number }, 'no reviewers found in OWNERS files for the changed files');
    return [];
  }
  ctx.log.info({ number: pr.number, reviewers }, 'requesting reviews');
  await ctx.github.rest.pulls.requestReviewers({ owner: ctx.org, repo: ctx.repo, pull_number: pr.number, reviewers });
  return reviewers;
}
