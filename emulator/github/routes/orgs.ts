import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { notFound } from '../http/github-error.ts';
import { paginate } from '../http/pagination.ts';
import { renderOrg, renderOrgSimple, renderUser } from '../render/account.ts';
import { renderRepo } from '../render/repo.ts';
import { renderTeam } from '../render/team.ts';
import { actorPermission, atLeast } from '../state/permissions.ts';
import type { Account, Org, Team } from '../state/types.ts';

function orgOr404(emu: EmulatorContext, login: string): { account: Account; org: Org } {
  const found = emu.state.orgByLogin(login);
  if (!found) throw notFound();
  return found;
}

function teamOr404(emu: EmulatorContext, org: Org, slug: string): Team {
  const team = emu.state.teamBySlug(org.id, slug);
  if (!team) throw notFound();
  return team;
}

interface OrgParams { Params: { org: string }; Querystring: Record<string, string> }

/** Organizations, their members, memberships, teams and repos. */
export function orgRoutes(app: FastifyInstance): void {
  const { emu } = app;
  const { state } = emu;

  app.get<OrgParams>('/orgs/:org', (req) => {
    const { account, org } = orgOr404(emu, req.params.org);
    return renderOrg(emu, account, org);
  });

  app.get<OrgParams>('/orgs/:org/members', (req, reply) => {
    const { org } = orgOr404(emu, req.params.org);
    const role = req.query.role ?? 'all';
    const ids = [...org.members].filter(([, r]) => role === 'all' || r === role).map(([id]) => id);
    const users = ids.map((id) => state.account(id)).sort((a, b) => a.id - b.id);
    return paginate(req, reply, users, emu.urls.base).map((u) => renderUser(emu, u));
  });

  app.get<{ Params: { org: string; username: string } }>('/orgs/:org/members/:username', (req, reply) => {
    const { org } = orgOr404(emu, req.params.org);
    const user = state.accountByLogin(req.params.username);
    if (!user || !org.members.has(user.id)) throw notFound();
    reply.code(204).send();
    return undefined;
  });

  app.get<{ Params: { org: string; username: string } }>('/orgs/:org/memberships/:username', (req) => {
    const { account, org } = orgOr404(emu, req.params.org);
    const user = state.accountByLogin(req.params.username);
    const role = user ? org.members.get(user.id) : undefined;
    if (!user || !role) throw notFound();
    return {
      url: emu.urls.api(`/orgs/${account.login}/memberships/${user.login}`),
      state: 'active',
      role,
      organization_url: emu.urls.api(`/orgs/${account.login}`),
      organization: renderOrgSimple(emu, account, org),
      user: renderUser(emu, user),
    };
  });

  app.get<OrgParams>('/orgs/:org/teams', (req, reply) => {
    const { org } = orgOr404(emu, req.params.org);
    const teams = [...state.teams.values()].filter((t) => t.orgId === org.id);
    return paginate(req, reply, teams, emu.urls.base).map((t) => renderTeam(emu, t));
  });

  app.get<{ Params: { org: string; team_slug: string } }>('/orgs/:org/teams/:team_slug', (req) => {
    const { org } = orgOr404(emu, req.params.org);
    return renderTeam(emu, teamOr404(emu, org, req.params.team_slug));
  });

  app.get<{ Params: { org: string; team_slug: string }; Querystring: Record<string, string> }>(
    '/orgs/:org/teams/:team_slug/members',
    (req, reply) => {
      const { org } = orgOr404(emu, req.params.org);
      const team = teamOr404(emu, org, req.params.team_slug);
      const role = req.query.role ?? 'all';
      const users = [...team.members].filter(([, r]) => role === 'all' || r === role).map(([id]) => state.account(id));
      return paginate(req, reply, users, emu.urls.base).map((u) => renderUser(emu, u));
    },
  );

  app.get<{ Params: { org: string; team_slug: string; username: string } }>('/orgs/:org/teams/:team_slug/memberships/:username', (req) => {
    const { org } = orgOr404(emu, req.params.org);
    const team = teamOr404(emu, org, req.params.team_slug);
    const user = state.accountByLogin(req.params.username);
    const role = user ? team.members.get(user.id) : undefined;
    if (!user || !role) throw notFound();
    return { url: emu.urls.api(`/organizations/${org.id}/team/${team.id}/memberships/${user.login}`), role, state: 'active' };
  });

  app.get<{ Params: { org: string; team_slug: string }; Querystring: Record<string, string> }>('/orgs/:org/teams/:team_slug/repos', (req, reply) => {
    const { org } = orgOr404(emu, req.params.org);
    const team = teamOr404(emu, org, req.params.team_slug);
    const repos = [...team.repos.keys()].map((id) => state.repo(id)).filter((r) => atLeast(actorPermission(state, req.actor, r, 'metadata'), 'read'));
    return paginate(req, reply, repos, emu.urls.base).map((r) => renderRepo(emu, r, team.repos.get(r.id)));
  });

  app.get<OrgParams>('/orgs/:org/repos', (req, reply) => {
    const { org } = orgOr404(emu, req.params.org);
    const type = req.query.type ?? 'all';
    const repos = [...state.repos.values()]
      .filter((r) => r.ownerId === org.id)
      .filter((r) => type === 'all' || (type === 'public' ? !r.private : type === 'private' ? r.private : true))
      .filter((r) => atLeast(actorPermission(state, req.actor, r, 'metadata'), 'read'));
    return paginate(req, reply, repos, emu.urls.base).map((r) =>
      renderRepo(emu, r, req.actor ? actorPermission(state, req.actor, r, 'metadata') : undefined),
    );
  });
}
