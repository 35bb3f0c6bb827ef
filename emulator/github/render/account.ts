import type { Account, Org } from '../state/types.ts';
import type { RenderContext } from './context.ts';

/** A user, bot or org in GitHub's `simple-user` shape (also the webhook `user`). */
export function renderUser(ctx: RenderContext, a: Account): Record<string, unknown> {
  const u = (p: string): string => ctx.urls.api(`/users/${encodeURIComponent(a.login)}${p}`);
  return {
    login: a.login,
    id: a.id,
    node_id: a.nodeId,
    avatar_url: ctx.urls.html(`/avatars/u/${a.id}`),
    gravatar_id: '',
    url: u(''),
    html_url: ctx.urls.html(`/${encodeURIComponent(a.login)}`),
    followers_url: u('/followers'),
    following_url: u('/following{/other_user}'),
    gists_url: u('/gists{/gist_id}'),
    starred_url: u('/starred{/owner}{/repo}'),
    subscriptions_url: u('/subscriptions'),
    organizations_url: u('/orgs'),
    repos_url: u('/repos'),
    events_url: u('/events{/privacy}'),
    received_events_url: u('/received_events'),
    type: a.type,
    site_admin: a.siteAdmin,
  };
}

/** GET /users/{username} and GET /user: the public profile. */
export function renderProfile(ctx: RenderContext, a: Account): Record<string, unknown> {
  const publicRepos = [...ctx.state.repos.values()].filter((r) => r.ownerId === a.id && !r.private).length;
  return {
    ...renderUser(ctx, a),
    name: a.name,
    company: null,
    blog: '',
    location: null,
    email: a.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** An org in the webhook `organization` / REST `organization-simple` shape. */
export function renderOrgSimple(ctx: RenderContext, a: Account, org: Org): Record<string, unknown> {
  const o = (p: string): string => ctx.urls.api(`/orgs/${a.login}${p}`);
  return {
    login: a.login,
    id: a.id,
    node_id: a.nodeId,
    url: o(''),
    repos_url: o('/repos'),
    events_url: o('/events'),
    hooks_url: o('/hooks'),
    issues_url: o('/issues'),
    members_url: o('/members{/member}'),
    public_members_url: o('/public_members{/member}'),
    avatar_url: ctx.urls.html(`/avatars/u/${a.id}`),
    description: org.description,
  };
}

/** GET /orgs/{org}: the full organization. */
export function renderOrg(ctx: RenderContext, a: Account, org: Org): Record<string, unknown> {
  const repos = [...ctx.state.repos.values()].filter((r) => r.ownerId === a.id);
  return {
    ...renderOrgSimple(ctx, a, org),
    name: a.name,
    company: null,
    blog: '',
    location: null,
    email: a.email,
    twitter_username: null,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: repos.filter((r) => !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: ctx.urls.html(`/${a.login}`),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    archived_at: null,
    type: 'Organization',
    default_repository_permission: org.defaultRepoPermission,
    members_can_create_repositories: true,
  };
}
