import { presubmitsFor } from '../../lib/config/index.ts';
import { testAllRe, triggerMatches } from '../../lib/jobs/index.ts';
import type { GenericComment } from '../generic-comment.ts';
import type { GenericCommentHandler, PluginContextBase } from '../plugin.ts';
import { pruneBotComments } from '../shared/bot-comments.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { headContexts } from './head-contexts.ts';
import { availablePresubmits, helpMessage, helpNote, isHelpReply } from './help-message.ts';
import { commentFilter, filterPresubmits, type HeadContexts } from './presubmit-filter.ts';
import { changedFilesOf, retestLabels, startPresubmits } from './start-presubmits.ts';
import { mayNeedHelp, okToTestCancelRe, okToTestRe, retestRe, retestRequiredRe, testManualRequiredRe, withoutCodeBlocks } from './trigger-commands.ts';
import { triggerOptions } from './trigger-options.ts';
import { isBotLogin, isTrustedForTests, needsOkToTestLabel, okToTestLabel, pullRequestTrust } from './trust.ts';

/** Prow's refusal of a command by an untrusted user on a PR nobody trusted has vouched for. */
export const untrustedRefusal = 'Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message.';
/** The refusal where `/ok-to-test` is ignored, so no vouching can make the PR trusted (our words; Prow's reference gives none). */
export const untrustedRefusalNoOkToTest = 'Cannot trigger testing: only trusted users can start tests on PRs by untrusted authors in this repo.';
/** Prow's refusal of `/ok-to-test cancel` by someone untrusted. */
export const cancelRefusal = 'Only trusted users can revoke `/ok-to-test`.';

const recognised = [retestRe, retestRequiredRe, testManualRequiredRe, okToTestRe, okToTestCancelRe, testAllRe];

/** `/ok-to-test cancel`: a trusted user takes the PR's trust back, and it waits for `/ok-to-test` again. */
async function cancelOkToTest(ctx: PluginContextBase, comment: GenericComment, labels: () => Promise<string[]>): Promise<void> {
  if (!(await isTrustedForTests(ctx, comment.author))) {
    await replyOnce(ctx, comment, cancelRefusal);
    return;
  }
  const current = await labels();
  if (current.includes(okToTestLabel)) await removeIssueLabel(ctx, comment.number, okToTestLabel);
  if (!current.includes(needsOkToTestLabel)) await addIssueLabel(ctx, comment.number, needsOkToTestLabel);
}

/**
 * Trigger's commands on open PRs, as Prow's handleGenericComment: `/test <job>` (each job's `trigger`),
 * `/test all`, `/retest`, `/retest-required`, `/test-manual-required`, `/ok-to-test [cancel]`, and the job list
 * for `/test ?` and for commands that name nothing runnable. Commands are taken from trusted users, and from
 * anyone on a PR that is trusted (its author is, or it has `ok-to-test`); others get a refusal.
 */
export const onTriggerComment: GenericCommentHandler = async (ctx, comment) => {
  if (comment.action !== 'created' || !comment.isPR || comment.issueState !== 'open') return;
  const body = withoutCodeBlocks(comment.body);
  const presubmits = presubmitsFor(ctx.config.prow, `${ctx.org}/${ctx.repo}`);
  if (!recognised.some((re) => re.test(body)) && !mayNeedHelp(body) && !presubmits.some((job) => triggerMatches(job, body))) return;
  if (isBotLogin(ctx, comment.author)) return;
  const { honorOkToTest } = triggerOptions(ctx);

  let labels: string[] | undefined;
  const currentLabels = async (): Promise<string[]> => (labels ??= await issueLabelNames(ctx, comment.number));
  if (honorOkToTest && okToTestCancelRe.test(body)) {
    await cancelOkToTest(ctx, comment, currentLabels);
    return;
  }

  const { data: pr } = await ctx.github.rest.pulls.get({ owner: ctx.org, repo: ctx.repo, pull_number: comment.number });
  if (!(await isTrustedForTests(ctx, comment.author))) {
    const trust = await pullRequestTrust(ctx, comment.issueAuthor, comment.number);
    labels = trust.labels;
    if (!trust.trusted) {
      await replyOnce(ctx, comment, honorOkToTest ? untrustedRefusal : untrustedRefusalNoOkToTest);
      return;
    }
  }

  const okToTest = honorOkToTest && okToTestRe.test(body);
  const had = await currentLabels();
  if (okToTest && !had.includes(okToTestLabel)) await addIssueLabel(ctx, comment.number, okToTestLabel);
  if ((okToTest || had.includes(okToTestLabel)) && had.includes(needsOkToTestLabel)) await removeIssueLabel(ctx, comment.number, needsOkToTestLabel);

  let contexts: Promise<HeadContexts> | undefined;
  const filter = await commentFilter(body, honorOkToTest, () => (contexts ??= headContexts(ctx, pr.head.sha)));
  const changes = changedFilesOf(ctx, comment.number);
  const toRun = await filterPresubmits(filter, presubmits, pr.base.ref, changes);
  const note = helpNote(body, toRun.length);
  if (note !== undefined) {
    const available = await availablePresubmits(presubmits, pr.base.ref, changes);
    await replyOnce(ctx, comment, helpMessage(`${ctx.org}/${ctx.repo}`, pr.base.ref, note, available));
    return;
  }
  const retest = retestRe.test(body) || retestRequiredRe.test(body);
  await startPresubmits(ctx, pr, toRun, retest ? retestLabels : {});
  // The job list answered an earlier command that named nothing; now that one worked, it is noise.
  if (toRun.length > 0) await pruneBotComments(ctx, comment.number, isHelpReply);
};
