import type { PluginContextBase } from '../plugin.ts';
import { repoScopedConfig } from '../shared/repo-scoped-config.ts';

/** How trigger acts in one repo: the plugins.yaml `triggers:` entry that names it or its org. */
export interface TriggerOptions {
  /** `trusted_org`: members of this org are trusted too (Prow calls it deprecated, but reads it). */
  trustedOrg: string | undefined;
  /** `join_org_url`: where the welcome to an untrusted author sends them to join; the org's people page by default. */
  joinOrgUrl: string | undefined;
  /** False with `ignore_ok_to_test`: then `/ok-to-test` does nothing and untrusted PRs are never labelled. */
  honorOkToTest: boolean;
}

/** The repo's trigger options, with Prow's defaults when plugins.yaml has no entry for it. */
export function triggerOptions(ctx: PluginContextBase): TriggerOptions {
  const entry = repoScopedConfig(ctx.config.plugins.triggers, ctx.org, ctx.repo);
  const trustedOrg = entry?.trusted_org;
  return {
    trustedOrg: trustedOrg === undefined || trustedOrg === '' ? undefined : trustedOrg,
    joinOrgUrl: entry?.join_org_url === '' ? undefined : entry?.join_org_url,
    honorOkToTest: entry?.ignore_ok_to_test !== true,
  };
}
