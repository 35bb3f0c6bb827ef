import type { PullRequest, Repo } from '../state/types.ts';
import type { RenderContext } from './context.ts';
import { renderPull } from './pull.ts';

/** Keys only the full PR has: merge state and sizes, which GitHub computes for one PR at a time. */
const fullOnly = new Set([
  'merged',
  'mergeable',
  'rebaseable',
  'mergeable_state',
  'merged_by',
  'comments',
  'review_comments',
  'maintainer_can_modify',
  'commits',
  'additions',
  'deletions',
  'changed_files',
]);

/** A PR in GitHub's `pull-request-simple` shape: PR lists, review requests and review webhooks use it. */
export function renderPullSimple(ctx: RenderContext, repo: Repo, pull: PullRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(renderPull(ctx, repo, pull)).filter(([k]) => !fullOnly.has(k)));
}
