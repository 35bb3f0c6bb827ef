import type { PullRef, PullRequest, Repo } from '../state/types.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';
import { authorAssociation, issueLabels, renderLabel, renderMilestone } from './issue.ts';
import { renderRepo } from './repo.ts';
import { renderTeam } from './team.ts';

/** What only git can tell about a PR; the PR routes compute it, other callers get GitHub's "unknown yet". */
export interface PullGitFacts {
  mergeable: boolean | null;
  mergeableState: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

const unknownFacts: PullGitFacts = { mergeable: null, mergeableState: 'unknown', commits: 0, additions: 0, deletions: 0, changedFiles: 0 };

function renderRef(ctx: RenderContext, ref: PullRef): Record<string, unknown> {
  const repo = ctx.state.repo(ref.repoId);
  const owner = ctx.state.account(repo.ownerId);
  return { label: `${owner.login}:${ref.ref}`, ref: ref.ref, sha: ref.sha, user: renderUser(ctx, owner), repo: renderRepo(ctx, repo) };
}

/** A pull request in the shape REST `GET /pulls/{n}` and the `pull_request` webhooks share. */
export function renderPull(ctx: RenderContext, repo: Repo, pull: PullRequest, facts: PullGitFacts = unknownFacts): Record<string, unknown> {
  const issue = repo.issues.get(pull.number);
  if (!issue) throw new Error(`pull ${pull.number} has no issue`);
  const full = ctx.state.fullName(repo);
  const api = (p: string): string => ctx.urls.api(`/repos/${full}${p}`);
  const html = ctx.urls.html(`/${full}/pull/${pull.number}`);
  const assignees = issue.assigneeIds.map((id) => renderUser(ctx, ctx.state.account(id)));
  const milestone = issue.milestoneNumber === null ? undefined : repo.milestones.get(issue.milestoneNumber);
  const reviewComments = [...ctx.state.reviewComments.values()].filter((c) => c.repoId === repo.id && c.pullNumber === pull.number).length;
  return {
    url: api(`/pulls/${pull.number}`),
    id: pull.id,
    node_id: pull.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: api(`/issues/${pull.number}`),
    number: pull.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: renderUser(ctx, ctx.state.account(issue.userId)),
    body: issue.body,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pull.requestedReviewerIds.map((id) => renderUser(ctx, ctx.state.account(id))),
    requested_teams: pull.requestedTeamIds.flatMap((id) => {
      const team = ctx.state.teams.get(id);
      return team ? [renderTeam(ctx, team)] : [];
    }),
    labels: issueLabels(repo, issue).map((l) => renderLabel(ctx, repo, l)),
    milestone: milestone ? renderMilestone(ctx, repo, milestone) : null,
    commits_url: api(`/pulls/${pull.number}/commits`),
    review_comments_url: api(`/pulls/${pull.number}/comments`),
    review_comment_url: api('/pulls/comments{/number}'),
    comments_url: api(`/issues/${pull.number}/comments`),
    statuses_url: api(`/statuses/${pull.head.sha}`),
    head: renderRef(ctx, pull.head),
    base: renderRef(ctx, pull.base),
    _links: {
      self: { href: api(`/pulls/${pull.number}`) },
      html: { href: html },
      issue: { href: api(`/issues/${pull.number}`) },
      comments: { href: api(`/issues/${pull.number}/comments`) },
      review_comments: { href: api(`/pulls/${pull.number}/comments`) },
      review_comment: { href: api('/pulls/comments{/number}') },
      commits: { href: api(`/pulls/${pull.number}/commits`) },
      statuses: { href: api(`/statuses/${pull.head.sha}`) },
    },
    author_association: authorAssociation(ctx, issue.userId, repo),
    auto_merge: null,
    active_lock_reason: issue.activeLockReason,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: facts.mergeable,
    rebaseable: facts.mergeable,
    mergeable_state: facts.mergeableState,
    merged_by: pull.mergedById === null ? null : renderUser(ctx, ctx.state.account(pull.mergedById)),
    comments: ctx.state.issueComments(repo.id, pull.number).length,
    review_comments: reviewComments,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}
