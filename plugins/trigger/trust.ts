import type { PluginContextBase } from '../plugin.ts';
import { issueLabelNames } from '../shared/issue-label-edits.ts';
import { isTrustedUser } from '../shared/trusted-user.ts';

/** The label a trusted user's `/ok-to-test` puts on a PR by an untrusted author, which makes the PR trusted. */
export const okToTestLabel = 'ok-to-test';
/** The label an untrusted author's PR waits under until someone trusted says `/ok-to-test`. */
export const needsOkToTestLabel = 'needs-ok-to-test';

/** True when `login` is the bot, under its login or as an App's `<slug>[bot]`. */
export function isBotLogin(ctx: PluginContextBase, login: string): boolean {
  const bot = ctx.botLogin.toLowerCase();
  const who = login.toLowerCase();
  return who === bot || who === `${bot}[bot]`;
}

/**
 * Whether `login` may start tests, as Prow's TrustedUser: the bot, a collaborator (unless `only_org_members`),
 * an org member, a member of `trusted_org`, or an App in `trusted_apps`.
 */
export async function isTrustedForTests(ctx: PluginContextBase, login: string): Promise<boolean> {
  return isBotLogin(ctx, login) || (await isTrustedUser(ctx, login));
}

/** What Prow's TrustedPullRequest answers, with the labels it read so callers need not read them again. */
export interface PullRequestTrust {
  trusted: boolean;
  /** The PR's labels when they were read (the author was not trusted), else undefined. */
  labels: string[] | undefined;
}

/** A PR is trusted when its author is, or when it carries `ok-to-test`. */
export async function pullRequestTrust(ctx: PluginContextBase, author: string, number: number): Promise<PullRequestTrust> {
  if (await isTrustedForTests(ctx, author)) return { trusted: true, labels: undefined };
  const labels = await issueLabelNames(ctx, number);
  return { trusted: labels.includes(okToTestLabel), labels };
}
