import type { EmulatorContext } from '../context.ts';
import { nodeId } from '../state/node-id.ts';
import type { Account, Permission } from '../state/types.ts';
import { ControlError } from './control-error.ts';
import type { CreateOrgInput, CreateTeamInput, CreateUserInput } from './control-types.ts';

/** The account with that login, or a 404 ControlError naming it. */
export function accountOrThrow(emu: EmulatorContext, login: string): Account {
  const a = emu.state.accountByLogin(login);
  if (!a) throw new ControlError(404, `no user or org "${login}"`);
  return a;
}

function fresh(emu: EmulatorContext, login: string): void {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(login)) throw new ControlError(400, `"${login}" is not a valid GitHub login`);
  if (emu.state.accountByLogin(login)) throw new ControlError(409, `"${login}" already exists`);
}

/** Creates a user and a personal token for it. */
export function createUser(emu: EmulatorContext, input: CreateUserInput): { id: number; login: string; token: string } {
  fresh(emu, input.login);
  const user = emu.state.addAccount(input.login, 'User', {
    name: input.name ?? input.login,
    email: input.email ?? `${input.login}@users.noreply.emulator`,
    siteAdmin: input.siteAdmin ?? false,
  });
  const token = emu.state.newToken(user.id, { kind: 'personal' });
  return { id: user.id, login: user.login, token: token.token };
}

/** Another personal token for an existing user (ghproxy tests compare tokens of one user). */
export function createToken(emu: EmulatorContext, login: string): { token: string } {
  const user = accountOrThrow(emu, login);
  if (user.type === 'Organization') throw new ControlError(400, `"${login}" is an organization: it cannot have tokens`);
  return { token: emu.state.newToken(user.id, { kind: 'personal' }).token };
}

/** Creates an organization with its admins and members (who must exist already). */
export function createOrg(emu: EmulatorContext, input: CreateOrgInput): { id: number; login: string } {
  fresh(emu, input.login);
  const admins = (input.admins ?? []).map((l) => accountOrThrow(emu, l));
  const members = (input.members ?? []).map((l) => accountOrThrow(emu, l));
  const account = emu.state.addAccount(input.login, 'Organization', { name: input.name ?? input.login });
  const roles = new Map<number, 'admin' | 'member'>();
  for (const m of members) roles.set(m.id, 'member');
  for (const a of admins) roles.set(a.id, 'admin');
  emu.state.orgs.set(account.id, {
    id: account.id,
    description: input.description ?? null,
    members: roles,
    defaultRepoPermission: input.defaultRepoPermission ?? 'read',
  });
  return { id: account.id, login: account.login };
}

/** Adds users to an org (or changes their role). */
export function setOrgMembers(emu: EmulatorContext, orgLogin: string, logins: string[], role: 'admin' | 'member'): void {
  const found = emu.state.orgByLogin(orgLogin);
  if (!found) throw new ControlError(404, `no org "${orgLogin}"`);
  for (const l of logins) found.org.members.set(accountOrThrow(emu, l).id, role);
}

/** Creates a team in an org with members and repo permissions; members join the org if they were not in it. */
export function createTeam(emu: EmulatorContext, input: CreateTeamInput): { id: number; slug: string } {
  const found = emu.state.orgByLogin(input.org);
  if (!found) throw new ControlError(404, `no org "${input.org}"`);
  const slug = (input.slug ?? input.name).toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  if (emu.state.teamBySlug(found.org.id, slug)) throw new ControlError(409, `team "${slug}" already exists in ${input.org}`);
  const members = new Map<number, 'member' | 'maintainer'>();
  for (const l of input.members ?? []) members.set(accountOrThrow(emu, l).id, 'member');
  for (const l of input.maintainers ?? []) members.set(accountOrThrow(emu, l).id, 'maintainer');
  for (const id of members.keys()) if (!found.org.members.has(id)) found.org.members.set(id, 'member');
  const repos = new Map<number, Permission>();
  for (const [name, perm] of Object.entries(input.repos ?? {})) {
    const [owner, repoName] = name.includes('/') ? name.split('/', 2) : [input.org, name];
    const repo = emu.state.repoByName(owner ?? '', repoName ?? '');
    if (!repo) throw new ControlError(404, `no repository "${name}"`);
    repos.set(repo.id, perm);
  }
  const id = emu.state.nextId();
  emu.state.teams.set(id, {
    id,
    nodeId: nodeId('Team', id),
    orgId: found.org.id,
    slug,
    name: input.name,
    description: input.description ?? null,
    privacy: 'closed',
    members,
    repos,
  });
  return { id, slug };
}
