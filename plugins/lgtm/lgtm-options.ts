import type { PluginContextBase } from '../plugin.ts';
import { repoScopedConfig } from '../shared/repo-scoped-config.ts';

/** The `lgtm:` settings for the context's repo, with Prow's defaults. */
export interface LgtmOptions {
  reviewActsAsLgtm: boolean;
  storeTreeHash: boolean;
  stickyLgtmTeam: string;
  /** `owners.skip_collaborators` names the repo or org: only OWNERS reviewers and approvers may LGTM. */
  skipCollaborators: boolean;
}

export function lgtmOptions(ctx: PluginContextBase): LgtmOptions {
  const entry = repoScopedConfig(ctx.config.plugins.lgtm, ctx.org, ctx.repo);
  const skip = ctx.config.plugins.owners?.skip_collaborators ?? [];
  return {
    reviewActsAsLgtm: entry?.review_acts_as_lgtm ?? false,
    storeTreeHash: entry?.store_tree_hash ?? false,
    stickyLgtmTeam: entry?.trusted_team_for_sticky_lgtm ?? '',
    skipCollaborators: skip.includes(ctx.org) || skip.includes(`${ctx.org}/${ctx.repo}`),
  };
}
