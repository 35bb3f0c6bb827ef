import type { Team } from '../state/types.ts';
import type { RenderContext } from './context.ts';

/** A team in GitHub's `team` shape (REST lists and webhook `requested_teams`). */
export function renderTeam(ctx: RenderContext, team: Team): Record<string, unknown> {
  const org = ctx.state.account(team.orgId).login;
  const url = ctx.urls.api(`/organizations/${team.orgId}/team/${team.id}`);
  return {
    name: team.name,
    id: team.id,
    node_id: team.nodeId,
    slug: team.slug,
    description: team.description,
    privacy: team.privacy,
    notification_setting: 'notifications_enabled',
    url,
    html_url: ctx.urls.html(`/orgs/${org}/teams/${team.slug}`),
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    permission: 'pull',
    parent: null,
  };
}
