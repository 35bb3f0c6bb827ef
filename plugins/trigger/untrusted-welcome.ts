import type { PluginContextBase } from '../plugin.ts';
import { aboutThisBot } from '../respond.ts';
import { addIssueLabel } from '../shared/issue-label-edits.ts';
import { postCommentOnce } from '../shared/reply-once.ts';
import { needsOkToTestLabel, okToTestLabel } from './trust.ts';
import { triggerOptions } from './trigger-options.ts';

/**
 * Prow's welcome to an untrusted author's new PR (trigger's welcomeMsg): who must verify it and how, in words
 * that depend on `trusted_org`, `join_org_url` and `ignore_ok_to_test`.
 */
export function untrustedWelcome(ctx: PluginContextBase, author: string): string {
  const o = triggerOptions(ctx);
  const details = `<details>\n\n${aboutThisBot}\n</details>\n`;
  if (!o.honorOkToTest) {
    return (
      `Hi @${author}. Thanks for your PR.\n\n` +
      'PRs from untrusted users cannot be marked as trusted with `/ok-to-test` in this repo meaning untrusted PR authors can never trigger tests themselves. ' +
      'Collaborators can still trigger tests on the PR using `/test all`.\n\n' +
      details
    );
  }
  const trustedOrg = o.trustedOrg !== undefined && o.trustedOrg !== ctx.org ? `or [${o.trustedOrg}](https://github.com/orgs/${o.trustedOrg}/people) ` : '';
  const joinOrgUrl = o.joinOrgUrl ?? `https://github.com/orgs/${ctx.org}/people`;
  return (
    `Hi @${author}. Thanks for your PR.\n\n` +
    `I'm waiting for a [${ctx.org}](https://github.com/orgs/${ctx.org}/people) ${trustedOrg}member to verify that this patch is reasonable to test. ` +
    'If it is, they should reply with `/ok-to-test` on its own line. Until that is done, I will not automatically test new commits in this PR, ' +
    `but the usual testing commands by org members will still work. Regular contributors should [join the org](${joinOrgUrl}) to skip this step.\n\n` +
    `Once the patch is verified, the new status will be reflected by the \`${okToTestLabel}\` label.\n\n` +
    details
  );
}

/** Welcomes the untrusted author of PR `number` and, unless ok-to-test is ignored or already given, labels it `needs-ok-to-test`. */
export async function welcomeUntrusted(ctx: PluginContextBase, number: number, author: string, labels: readonly string[]): Promise<void> {
  if (triggerOptions(ctx).honorOkToTest && !labels.includes(okToTestLabel) && !labels.includes(needsOkToTestLabel)) {
    await addIssueLabel(ctx, number, needsOkToTestLabel);
  }
  await postCommentOnce(ctx, number, untrustedWelcome(ctx, author));
}
