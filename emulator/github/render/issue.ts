import type { Issue, IssueComment, IssueEvent, Label, Milestone, Repo } from '../state/types.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';

/** GitHub's author_association of an account towards a repo. */
export function authorAssociation(ctx: RenderContext, accountId: number, repo: Repo): string {
  if (repo.ownerId === accountId) return 'OWNER';
  if (ctx.state.orgs.get(repo.ownerId)?.members.has(accountId)) return 'MEMBER';
  if (repo.collaborators.has(accountId)) return 'COLLABORATOR';
  return 'NONE';
}

function repoPath(ctx: RenderContext, repo: Repo): string {
  return `/repos/${ctx.state.fullName(repo)}`;
}

/** The zeroed reactions rollup GitHub attaches to issues and comments. */
export function renderReactions(url: string): Record<string, unknown> {
  return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
}

export function renderLabel(ctx: RenderContext, repo: Repo, label: Label): Record<string, unknown> {
  return {
    id: label.id,
    node_id: label.nodeId,
    url: ctx.urls.api(`${repoPath(ctx, repo)}/labels/${encodeURIComponent(label.name)}`),
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

export function renderMilestone(ctx: RenderContext, repo: Repo, m: Milestone): Record<string, unknown> {
  const issues = [...repo.issues.values()].filter((i) => i.milestoneNumber === m.number);
  return {
    url: ctx.urls.api(`${repoPath(ctx, repo)}/milestones/${m.number}`),
    html_url: ctx.urls.html(`/${ctx.state.fullName(repo)}/milestone/${m.number}`),
    labels_url: ctx.urls.api(`${repoPath(ctx, repo)}/milestones/${m.number}/labels`),
    id: m.id,
    node_id: m.nodeId,
    number: m.number,
    title: m.title,
    description: m.description,
    creator: renderUser(ctx, ctx.state.account(m.creatorId)),
    open_issues: issues.filter((i) => i.state === 'open').length,
    closed_issues: issues.filter((i) => i.state === 'closed').length,
    state: m.state,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    due_on: m.dueOn,
    closed_at: m.closedAt,
  };
}

/** The labels of an issue in order, skipping any deleted from the repo since. */
export function issueLabels(repo: Repo, issue: Issue): Label[] {
  const byId = new Map([...repo.labels.values()].map((l) => [l.id, l]));
  return issue.labelIds.flatMap((id) => byId.get(id) ?? []);
}

/** An issue (or the issue view of a PR) as REST and the `issues`/`issue_comment` webhooks show it. */
export function renderIssue(ctx: RenderContext, repo: Repo, issue: Issue): Record<string, unknown> {
  const base = `${repoPath(ctx, repo)}/issues/${issue.number}`;
  const full = ctx.state.fullName(repo);
  const assignees = issue.assigneeIds.map((id) => renderUser(ctx, ctx.state.account(id)));
  const milestone = issue.milestoneNumber === null ? undefined : repo.milestones.get(issue.milestoneNumber);
  const pull = issue.isPull ? repo.pulls.get(issue.number) : undefined;
  return {
    url: ctx.urls.api(base),
    repository_url: ctx.urls.api(repoPath(ctx, repo)),
    labels_url: ctx.urls.api(`${base}/labels{/name}`),
    comments_url: ctx.urls.api(`${base}/comments`),
    events_url: ctx.urls.api(`${base}/events`),
    html_url: ctx.urls.html(`/${full}/${issue.isPull ? 'pull' : 'issues'}/${issue.number}`),
    id: issue.id,
    node_id: issue.nodeId,
    number: issue.number,
    title: issue.title,
    user: renderUser(ctx, ctx.state.account(issue.userId)),
    labels: issueLabels(repo, issue).map((l) => renderLabel(ctx, repo, l)),
    state: issue.state,
    locked: issue.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: milestone ? renderMilestone(ctx, repo, milestone) : null,
    comments: ctx.state.issueComments(repo.id, issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: authorAssociation(ctx, issue.userId, repo),
    active_lock_reason: issue.activeLockReason,
    ...(issue.isPull
      ? {
          draft: pull?.draft ?? false,
          pull_request: {
            url: ctx.urls.api(`${repoPath(ctx, repo)}/pulls/${issue.number}`),
            html_url: ctx.urls.html(`/${full}/pull/${issue.number}`),
            diff_url: ctx.urls.html(`/${full}/pull/${issue.number}.diff`),
            patch_url: ctx.urls.html(`/${full}/pull/${issue.number}.patch`),
            merged_at: pull?.mergedAt ?? null,
          },
        }
      : {}),
    body: issue.body,
    reactions: renderReactions(ctx.urls.api(`${base}/reactions`)),
    timeline_url: ctx.urls.api(`${base}/timeline`),
    performed_via_github_app: null,
    state_reason: issue.stateReason,
  };
}

export function renderComment(ctx: RenderContext, repo: Repo, c: IssueComment): Record<string, unknown> {
  const full = ctx.state.fullName(repo);
  const issue = repo.issues.get(c.issueNumber);
  return {
    url: ctx.urls.api(`${repoPath(ctx, repo)}/issues/comments/${c.id}`),
    html_url: ctx.urls.html(`/${full}/${issue?.isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`),
    issue_url: ctx.urls.api(`${repoPath(ctx, repo)}/issues/${c.issueNumber}`),
    id: c.id,
    node_id: c.nodeId,
    user: renderUser(ctx, ctx.state.account(c.userId)),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: authorAssociation(ctx, c.userId, repo),
    body: c.body,
    reactions: renderReactions(ctx.urls.api(`${repoPath(ctx, repo)}/issues/comments/${c.id}/reactions`)),
    performed_via_github_app: null,
  };
}

/** One issue event in the shape of GET /repos/{o}/{r}/issues/{n}/events. */
export function renderIssueEvent(ctx: RenderContext, repo: Repo, e: IssueEvent): Record<string, unknown> {
  const actor = renderUser(ctx, ctx.state.account(e.actorId));
  return {
    id: e.id,
    node_id: e.nodeId,
    url: ctx.urls.api(`${repoPath(ctx, repo)}/issues/events/${e.id}`),
    actor,
    event: e.event,
    commit_id: e.commitId ?? null,
    commit_url: e.commitId === undefined ? null : ctx.urls.api(`${repoPath(ctx, repo)}/commits/${e.commitId}`),
    created_at: e.createdAt,
    performed_via_github_app: null,
    ...(e.labelName === undefined ? {} : { label: { name: e.labelName, color: e.labelColor ?? 'ededed' } }),
    ...(e.assigneeId === undefined ? {} : { assignee: renderUser(ctx, ctx.state.account(e.assigneeId)), assigner: actor }),
    ...(e.milestoneTitle === undefined ? {} : { milestone: { title: e.milestoneTitle } }),
    ...(e.rename === undefined ? {} : { rename: e.rename }),
  };
}
