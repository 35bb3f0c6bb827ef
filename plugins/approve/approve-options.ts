import type { PluginContextBase } from '../plugin.ts';
import { repoScopedConfig } from '../shared/repo-scoped-config.ts';

/** The `approve:` settings for the context's repo, with Prow's defaults. */
export interface ApproveOptions {
  issueRequired: boolean;
  /** The PR author implicitly approves what they own (`require_self_approval: false`, the default). */
  selfApproval: boolean;
  lgtmActsAsApprove: boolean;
  /** An approving review is /approve and a changes-requested one /approve cancel (`ignore_review_state: false`, the default). */
  considerReviewState: boolean;
  commandHelpLink: string;
  prProcessLink: string;
}

export function approveOptions(ctx: PluginContextBase): ApproveOptions {
  const entry = repoScopedConfig(ctx.config.plugins.approve, ctx.org, ctx.repo);
  return {
    issueRequired: entry?.issue_required ?? false,
    selfApproval: !(entry?.require_self_approval ?? false),
    lgtmActsAsApprove: entry?.lgtm_acts_as_approve ?? false,
    considerReviewState: !(entry?.ignore_review_state ?? false),
    commandHelpLink: entry?.commandHelpLink ?? 'https://go.k8s.io/bot-commands',
    prProcessLink: entry?.pr_process_link ?? 'https://git.k8s.io/community/contributors/guide/owners.md#the-code-review-process',
  };
}
