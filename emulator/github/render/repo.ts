import type { Permission, Repo } from '../state/types.ts';
import { atLeast } from '../state/permissions.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';

/** The `permissions` object GitHub attaches to a repo for the caller. */
export function renderPermissions(p: Permission): Record<string, boolean> {
  return {
    admin: atLeast(p, 'admin'),
    maintain: atLeast(p, 'maintain'),
    push: atLeast(p, 'write'),
    triage: atLeast(p, 'triage'),
    pull: atLeast(p, 'read'),
  };
}

/**
 * A repository in the shape both REST (`full-repository`) and webhooks (`repository`) use; webhook
 * schemas forbid extra keys, so REST-only extras are added by the caller.
 */
export function renderRepo(ctx: RenderContext, repo: Repo, permission?: Permission): Record<string, unknown> {
  const owner = ctx.state.account(repo.ownerId);
  const full = `${owner.login}/${repo.name}`;
  const r = (p: string): string => ctx.urls.api(`/repos/${full}${p}`);
  const open = [...repo.issues.values()].filter((i) => i.state === 'open').length;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: renderUser(ctx, owner),
    html_url: ctx.urls.html(`/${full}`),
    description: repo.description,
    fork: false,
    url: r(''),
    forks_url: r('/forks'),
    keys_url: r('/keys{/key_id}'),
    collaborators_url: r('/collaborators{/collaborator}'),
    teams_url: r('/teams'),
    hooks_url: r('/hooks'),
    issue_events_url: r('/issues/events{/number}'),
    events_url: r('/events'),
    assignees_url: r('/assignees{/user}'),
    branches_url: r('/branches{/branch}'),
    tags_url: r('/tags'),
    blobs_url: r('/git/blobs{/sha}'),
    git_tags_url: r('/git/tags{/sha}'),
    git_refs_url: r('/git/refs{/sha}'),
    trees_url: r('/git/trees{/sha}'),
    statuses_url: r('/statuses/{sha}'),
    languages_url: r('/languages'),
    stargazers_url: r('/stargazers'),
    contributors_url: r('/contributors'),
    subscribers_url: r('/subscribers'),
    subscription_url: r('/subscription'),
    commits_url: r('/commits{/sha}'),
    git_commits_url: r('/git/commits{/sha}'),
    comments_url: r('/comments{/number}'),
    issue_comment_url: r('/issues/comments{/number}'),
    contents_url: r('/contents/{+path}'),
    compare_url: r('/compare/{base}...{head}'),
    merges_url: r('/merges'),
    archive_url: r('/{archive_format}{/ref}'),
    downloads_url: r('/downloads'),
    issues_url: r('/issues{/number}'),
    pulls_url: r('/pulls{/number}'),
    milestones_url: r('/milestones{/number}'),
    notifications_url: r('/notifications{?since,all,participating}'),
    labels_url: r('/labels{/name}'),
    releases_url: r('/releases{/id}'),
    deployments_url: r('/deployments'),
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    git_url: ctx.urls.git(owner.login, repo.name),
    ssh_url: ctx.urls.git(owner.login, repo.name),
    clone_url: ctx.urls.git(owner.login, repo.name),
    svn_url: ctx.urls.html(`/${full}`),
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: repo.archived,
    disabled: false,
    open_issues_count: open,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? 'private' : 'public',
    forks: 0,
    open_issues: open,
    watchers: 0,
    default_branch: repo.defaultBranch,
    allow_squash_merge: repo.allowSquashMerge,
    allow_merge_commit: repo.allowMergeCommit,
    allow_rebase_merge: repo.allowRebaseMerge,
    delete_branch_on_merge: repo.deleteBranchOnMerge,
    custom_properties: {},
    ...(permission === undefined ? {} : { permissions: renderPermissions(permission) }),
  };
}
