import type { CommitStatus, Repo, StatusState } from '../state/types.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';

/** A commit status as REST and the `status` webhook show it. */
export function renderStatus(ctx: RenderContext, repo: Repo, s: CommitStatus): Record<string, unknown> {
  const creator = ctx.state.account(s.creatorId);
  return {
    url: ctx.urls.api(`/repos/${ctx.state.fullName(repo)}/statuses/${s.sha}`),
    avatar_url: ctx.urls.html(`/avatars/u/${creator.id}`),
    id: s.id,
    node_id: s.nodeId,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: renderUser(ctx, creator),
  };
}

/** Every status of one commit, newest first, as GET /commits/{ref}/statuses lists them. */
export function commitStatuses(ctx: RenderContext, repo: Repo, sha: string): CommitStatus[] {
  return [...ctx.state.statuses.values()].filter((s) => s.repoId === repo.id && s.sha === sha).sort((a, b) => b.id - a.id);
}

/** The newest status of each context, newest first. */
export function latestStatuses(ctx: RenderContext, repo: Repo, sha: string): CommitStatus[] {
  const seen = new Set<string>();
  return commitStatuses(ctx, repo, sha).filter((s) => !seen.has(s.context) && seen.add(s.context));
}

/**
 * GitHub's combined state: `failure` when any latest status is `error` or `failure`, `pending` when there
 * are none or one is pending, else `success`.
 */
export function combinedState(latest: readonly CommitStatus[]): StatusState {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

/** GET /commits/{ref}/status: the combined status of a commit. */
export function renderCombinedStatus(ctx: RenderContext, repo: Repo, sha: string): Record<string, unknown> {
  const latest = latestStatuses(ctx, repo, sha);
  const owner = ctx.state.account(repo.ownerId);
  const api = (p: string): string => ctx.urls.api(`/repos/${ctx.state.fullName(repo)}${p}`);
  return {
    state: combinedState(latest),
    statuses: latest.map((s) => renderStatus(ctx, repo, s)),
    sha,
    total_count: latest.length,
    repository: {
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.name,
      full_name: ctx.state.fullName(repo),
      private: repo.private,
      owner: renderUser(ctx, owner),
      html_url: ctx.urls.html(`/${ctx.state.fullName(repo)}`),
      description: repo.description,
      fork: false,
      url: api(''),
    },
    commit_url: api(`/commits/${sha}`),
    url: api(`/commits/${sha}/status`),
  };
}
