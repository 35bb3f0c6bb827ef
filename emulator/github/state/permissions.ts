import type { EmulatorState } from './state.ts';
import { permissionLevels, type Account, type Permission, type Repo, type Token } from './types.ts';

/** Who is calling: the account behind the token, and the token itself (installation tokens carry permissions). */
export interface Actor {
  account: Account;
  token: Token;
}

/** True when `have` is at least `need`. */
export function atLeast(have: Permission, need: Permission): boolean {
  return permissionLevels.indexOf(have) >= permissionLevels.indexOf(need);
}

function max(a: Permission, b: Permission): Permission {
  return atLeast(a, b) ? a : b;
}

/**
 * A user's permission on a repo, as GitHub computes it: owner, org admin, org base permission, teams and
 * direct collaborators, the highest wins; anyone can read a public repo.
 */
export function userPermission(state: EmulatorState, accountId: number, repo: Repo): Permission {
  if (repo.ownerId === accountId) return 'admin';
  let perm: Permission = repo.private ? 'none' : 'read';
  perm = max(perm, repo.collaborators.get(accountId) ?? 'none');
  const org = state.orgs.get(repo.ownerId);
  if (org) {
    const role = org.members.get(accountId);
    if (role === 'admin') return 'admin';
    if (role === 'member') perm = max(perm, org.defaultRepoPermission);
    for (const team of state.teams.values()) {
      if (team.orgId !== org.id || !team.members.has(accountId)) continue;
      perm = max(perm, team.repos.get(repo.id) ?? 'none');
    }
  }
  return perm;
}

/** App permission level names mapped onto repository levels. */
const appLevels: Record<string, Permission> = { read: 'read', write: 'write', admin: 'admin' };

/**
 * What an actor may do on a repo for one kind of resource (`issues`, `pull_requests`, `contents`,
 * `statuses`, `checks`, `administration`, `metadata`...). Users get their repo permission whatever the
 * resource; installation tokens get their installation's permission for that resource, and nothing on
 * accounts the App is not installed on.
 */
export function actorPermission(state: EmulatorState, actor: Actor | undefined, repo: Repo, resource: string): Permission {
  if (!actor) return repo.private ? 'none' : 'read';
  if (actor.token.kind !== 'installation') return userPermission(state, actor.account.id, repo);
  const inst = actor.token.installationId === undefined ? undefined : state.installations.get(actor.token.installationId);
  if (inst?.accountId !== repo.ownerId) return repo.private ? 'none' : 'read';
  const perms = actor.token.permissions ?? inst.permissions;
  const level = appLevels[perms[resource] ?? ''] ?? 'none';
  return max(level, 'read');
}

/**
 * Whether a user can be assigned to issues in a repo. GitHub's rule: anyone with write permission, and
 * organization members with read permission. (Commenters are assignable on that one issue: see
 * `canBeAssignedTo`.)
 */
export function isAssignable(state: EmulatorState, accountId: number, repo: Repo): boolean {
  const perm = userPermission(state, accountId, repo);
  if (atLeast(perm, 'write')) return true;
  const org = state.orgs.get(repo.ownerId);
  return org?.members.has(accountId) === true && atLeast(perm, 'read');
}

/** Whether a user can be assigned to one issue: assignable in the repo, or one who commented on it. */
export function canBeAssignedTo(state: EmulatorState, accountId: number, repo: Repo, issueNumber: number): boolean {
  if (isAssignable(state, accountId, repo)) return true;
  return state.issueComments(repo.id, issueNumber).some((c) => c.userId === accountId);
}
