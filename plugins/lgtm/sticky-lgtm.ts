import type { PluginContextBase } from '../plugin.ts';
import { isTeamMember } from '../shared/org-membership.ts';

/**
 * Whether PRs by `author` keep LGTM on every push (`trusted_team_for_sticky_lgtm`): the team is found by name
 * or slug in the org, as Prow does; a configured team that does not exist is logged and trusts no one.
 */
export async function isStickyAuthor(ctx: PluginContextBase, team: string, author: string): Promise<boolean> {
  if (team === '') return false;
  const teams = await ctx.github.paginate(ctx.github.rest.teams.list, { org: ctx.org, per_page: 100 });
  const found = teams.find((t) => t.name === team || t.slug === team);
  if (!found) {
    ctx.log.error({ team, org: ctx.org }, 'trusted_team_for_sticky_lgtm names a team the org does not have');
    return false;
  }
  return isTeamMember(ctx.github, ctx.org, found.slug, author);
}
