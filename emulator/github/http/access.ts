import type { FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { actorPermission, atLeast, type Actor } from '../state/permissions.ts';
import type { Issue, Permission, Repo } from '../state/types.ts';
import { GitHubError, notFound } from './github-error.ts';

/** The caller, or 401 `Requires authentication` as GitHub answers anonymous writes. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new GitHubError(401, 'Requires authentication');
  return req.actor;
}

/**
 * The repo named in the URL, checked for the caller: 404 when it does not exist or the caller cannot see it,
 * 403 when `need` is more than the caller has for `resource` (Apps are checked per resource).
 */
export function loadRepo(emu: EmulatorContext, req: FastifyRequest, owner: string, name: string, need: Permission = 'read', resource = 'metadata'): Repo {
  const repo = emu.state.repoByName(owner, name);
  if (!repo) throw notFound();
  const visible = actorPermission(emu.state, req.actor, repo, 'metadata');
  if (!atLeast(visible, 'read')) throw notFound();
  if (need === 'read') return repo;
  const actor = requireActor(req);
  if (!atLeast(actorPermission(emu.state, actor, repo, resource), need)) {
    throw new GitHubError(403, actor.token.kind === 'installation' ? 'Resource not accessible by integration' : need === 'admin' ? 'Must have admin rights to Repository.' : 'Must have push access to repository');
  }
  return repo;
}

/** Whether the caller has `need` on `repo` for `resource`, without throwing. */
export function can(emu: EmulatorContext, req: FastifyRequest, repo: Repo, need: Permission, resource = 'metadata'): boolean {
  return atLeast(actorPermission(emu.state, req.actor, repo, resource), need);
}

/** The issue (or PR's issue half) with that number, or 404. */
export function loadIssue(repo: Repo, numberParam: string | number): Issue {
  const issue = repo.issues.get(Number(numberParam));
  if (!issue) throw notFound();
  return issue;
}
