import type { FastifyInstance } from 'fastify';
import { loadRepo, requireActor } from '../http/access.ts';
import { notFound, validationFailed } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderUser } from '../render/account.ts';
import { renderPermissions, renderRepo } from '../render/repo.ts';
import { actorPermission, atLeast, isAssignable, userPermission } from '../state/permissions.ts';
import type { Permission, Repo } from '../state/types.ts';
import type { EmulatorState } from '../state/state.ts';

interface RepoParams { Params: { owner: string; repo: string }; Querystring: Record<string, string> }
interface UserParams { Params: { owner: string; repo: string; username: string } }

/** Permission someone has on a repo by being owner, org member, team member or collaborator (not by it being public). */
function explicitPermission(state: EmulatorState, accountId: number, repo: Repo): Permission {
  return userPermission(state, accountId, { ...repo, private: true });
}

/** GitHub's `permission` field folds maintain into write and triage into read; `role_name` keeps them. */
function legacyPermission(p: Permission): string {
  return p === 'maintain' ? 'write' : p === 'triage' ? 'read' : p;
}

/** What `PATCH /repos/{owner}/{repo}` changes: the description and the merge settings the merge route obeys. */
interface RepoSettings {
  description?: string | null;
  allow_merge_commit?: boolean;
  allow_squash_merge?: boolean;
  allow_rebase_merge?: boolean;
  delete_branch_on_merge?: boolean;
}
type SettingField = 'description' | 'allowMergeCommit' | 'allowSquashMerge' | 'allowRebaseMerge' | 'deleteBranchOnMerge';
const settingFields: Record<keyof RepoSettings, SettingField> = {
  description: 'description',
  allow_merge_commit: 'allowMergeCommit',
  allow_squash_merge: 'allowSquashMerge',
  allow_rebase_merge: 'allowRebaseMerge',
  delete_branch_on_merge: 'deleteBranchOnMerge',
};

/** Repositories (read, and the settings admins change), collaborators and assignability. */
export function repoRoutes(app: FastifyInstance): void {
  const { emu } = app;
  const { state } = emu;

  app.get<RepoParams>('/repos/:owner/:repo', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    return renderRepo(emu, repo, req.actor ? actorPermission(state, req.actor, repo, 'metadata') : undefined);
  });

  app.patch<{ Params: { owner: string; repo: string }; Body: RepoSettings | undefined }>('/repos/:owner/:repo', (req) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'admin', 'administration');
    const body = req.body ?? {};
    for (const [key, field] of Object.entries(settingFields) as [keyof RepoSettings, SettingField][]) {
      const value = body[key];
      if (value === undefined) continue;
      if (typeof value !== 'boolean' && field !== 'description') throw validationFailed({ resource: 'Repository', field: key, code: 'invalid' });
      if (field === 'description') repo.description = value === null ? null : String(value);
      else repo[field] = value as boolean;
    }
    return renderRepo(emu, repo, actorPermission(state, actor, repo, 'metadata'));
  });

  app.get<{ Querystring: Record<string, string> }>('/user/repos', (req, reply) => {
    const actor = requireActor(req);
    const affiliation = (req.query.affiliation ?? 'owner,collaborator,organization_member').split(',');
    const visibility = req.query.visibility ?? 'all';
    const repos = [...state.repos.values()].filter((r) => {
      if (visibility !== 'all' && (visibility === 'private') !== r.private) return false;
      if (affiliation.includes('owner') && r.ownerId === actor.account.id) return true;
      if (affiliation.includes('collaborator') && r.collaborators.has(actor.account.id)) return true;
      return affiliation.includes('organization_member') && state.orgs.get(r.ownerId)?.members.has(actor.account.id) === true && atLeast(explicitPermission(state, actor.account.id, r), 'read');
    });
    return paginate(req, reply, repos, emu.urls.base).map((r) => renderRepo(emu, r, actorPermission(state, actor, r, 'metadata')));
  });

  app.get<RepoParams>('/repos/:owner/:repo/collaborators', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write');
    const affiliation = req.query.affiliation ?? 'all';
    const users = [...state.accounts.values()].filter((a) => {
      if (a.type === 'Organization') return false;
      if (affiliation === 'outside') return repo.collaborators.has(a.id) && !state.orgs.get(repo.ownerId)?.members.has(a.id);
      if (affiliation === 'direct') return repo.collaborators.has(a.id) || repo.ownerId === a.id;
      return atLeast(explicitPermission(state, a.id, repo), 'read');
    });
    return paginate(req, reply, users, emu.urls.base).map((u) => {
      const p = explicitPermission(state, u.id, repo);
      return { ...renderUser(emu, u), permissions: renderPermissions(p), role_name: p };
    });
  });

  app.get<UserParams>('/repos/:owner/:repo/collaborators/:username', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const user = state.accountByLogin(req.params.username);
    if (!user || !atLeast(explicitPermission(state, user.id, repo), 'read')) throw notFound();
    reply.code(204).send();
    return undefined;
  });

  app.get<UserParams>('/repos/:owner/:repo/collaborators/:username/permission', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const user = state.accountByLogin(req.params.username);
    if (!user) throw notFound();
    const p = userPermission(state, user.id, repo);
    return {
      permission: legacyPermission(p),
      role_name: p,
      user: { ...renderUser(emu, user), permissions: renderPermissions(p), role_name: p },
    };
  });

  app.get<RepoParams>('/repos/:owner/:repo/assignees', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const users = [...state.accounts.values()].filter((a) => a.type !== 'Organization' && isAssignable(state, a.id, repo));
    return paginate(req, reply, users, emu.urls.base).map((u) => renderUser(emu, u));
  });

  app.get<{ Params: { owner: string; repo: string; assignee: string } }>('/repos/:owner/:repo/assignees/:assignee', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    const user = state.accountByLogin(req.params.assignee);
    if (!user || !isAssignable(state, user.id, repo)) throw notFound();
    reply.code(204).send();
    return undefined;
  });
}
