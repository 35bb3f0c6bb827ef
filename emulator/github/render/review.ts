import type { Repo, Review, ReviewComment } from '../state/types.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';
import { authorAssociation, renderReactions } from './issue.ts';

function pullApi(ctx: RenderContext, repo: Repo, number: number): string {
  return ctx.urls.api(`/repos/${ctx.state.fullName(repo)}/pulls/${number}`);
}

/** A pull request review as REST and the `pull_request_review` webhook show it. */
export function renderReview(ctx: RenderContext, repo: Repo, r: Review): Record<string, unknown> {
  const html = ctx.urls.html(`/${ctx.state.fullName(repo)}/pull/${r.pullNumber}#pullrequestreview-${r.id}`);
  const pullUrl = pullApi(ctx, repo, r.pullNumber);
  return {
    id: r.id,
    node_id: r.nodeId,
    user: renderUser(ctx, ctx.state.account(r.userId)),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: authorAssociation(ctx, r.userId, repo),
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(r.submittedAt === null ? {} : { submitted_at: r.submittedAt }),
    commit_id: r.commitId,
  };
}

/** A review comment (a comment on a line of the diff) as REST and its webhook show it. */
export function renderReviewComment(ctx: RenderContext, repo: Repo, c: ReviewComment): Record<string, unknown> {
  const full = ctx.state.fullName(repo);
  const url = ctx.urls.api(`/repos/${full}/pulls/comments/${c.id}`);
  const html = ctx.urls.html(`/${full}/pull/${c.pullNumber}#discussion_r${c.id}`);
  const pullUrl = pullApi(ctx, repo, c.pullNumber);
  return {
    url,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: c.nodeId,
    diff_hunk: c.diffHunk,
    path: c.path,
    position: c.position,
    original_position: c.position,
    commit_id: c.commitId,
    original_commit_id: c.originalCommitId,
    ...(c.inReplyToId === null ? {} : { in_reply_to_id: c.inReplyToId }),
    user: renderUser(ctx, ctx.state.account(c.userId)),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: authorAssociation(ctx, c.userId, repo),
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: c.startLine,
    original_start_line: c.startLine,
    start_side: c.startLine === null ? null : c.side,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: 'line',
    reactions: renderReactions(`${url}/reactions`),
  };
}
