import type { PluginContextBase } from '../plugin.ts';
import { isOrgMember } from './org-membership.ts';
import { isCollaborator } from './repo-collaborator.ts';
import { repoScopedConfig } from './repo-scoped-config.ts';

/**
 * Whether `login` is trusted in the event's repo, as Prow's trigger.TrustedUser decides it with the repo's
 * `triggers:` entry: a collaborator (unless `only_org_members`), a member of the org or of `trusted_org`, or
 * the bot of an App listed in `trusted_apps` (`<app>[bot]`).
 */
export async function isTrustedUser(ctx: PluginContextBase, login: string): Promise<boolean> {
  const trigger = repoScopedConfig(ctx.config.plugins.triggers, ctx.org, ctx.repo);
  if (login.endsWith('[bot]')) {
    const app = login.slice(0, -'[bot]'.length);
    if (trigger?.trusted_apps?.includes(app) === true) return true;
  }
  if (trigger?.only_org_members !== true && (await isCollaborator(ctx.github, ctx.org, ctx.repo, login))) return true;
  if (await isOrgMember(ctx.github, ctx.org, login)) return true;
  const trustedOrg = trigger?.trusted_org;
  return trustedOrg !== undefined && trustedOrg !== '' && trustedOrg !== ctx.org && (await isOrgMember(ctx.github, trustedOrg, login));
}
