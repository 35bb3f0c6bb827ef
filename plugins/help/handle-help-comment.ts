import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { formatResponse } from '../respond.ts';
import { pruneBotComments } from '../shared/bot-comments.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { postCommentOnce } from '../shared/reply-once.ts';
import { defaultGuidelinesUrl, goodFirstIssueMarker, goodFirstIssueMessage, helpMarker, helpMessage, type Guidelines } from './guidelines.ts';

/** The labels the help plugin manages, as Prow names them. */
export const helpWanted = 'help wanted';
export const goodFirstIssue = 'good first issue';

const helpRe = /^\/help[\t\n\f\r ]*$/im;
const removeHelpRe = /^\/remove-help[\t\n\f\r ]*$/im;
const goodFirstIssueRe = /^\/good-first-issue[\t\n\f\r ]*$/im;
const removeGoodFirstIssueRe = /^\/remove-good-first-issue[\t\n\f\r ]*$/im;

/**
 * Prow's help plugin on open issues: `/help`, `/remove-help`, `/good-first-issue`, `/remove-good-first-issue`,
 * taken in Prow's order (one action per comment), each addition answered with the contributor guidelines.
 */
export async function handleHelpComment(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.isPR || comment.issueState !== 'open' || comment.action !== 'created') return;
  const body = comment.body;
  if (![helpRe, removeHelpRe, goodFirstIssueRe, removeGoodFirstIssueRe].some((re) => re.test(body))) return;

  const config = ctx.config.plugins.help;
  const guidelines: Guidelines = { url: config?.help_guidelines_url ?? defaultGuidelinesUrl, summary: config?.help_guidelines_summary };
  const labels = new Set((await issueLabelNames(ctx, comment.number)).map((l) => l.toLowerCase()));
  const hasHelp = labels.has(helpWanted);
  const hasGoodFirstIssue = labels.has(goodFirstIssue);
  const reply = (text: string): Promise<void> =>
    postCommentOnce(ctx, comment.number, formatResponse(comment.author, text, body, comment.issueHtmlUrl));

  if (hasHelp && removeHelpRe.test(body)) {
    await removeIssueLabel(ctx, comment.number, helpWanted);
    await pruneBotComments(ctx, comment.number, (text) => text.includes(helpMarker));
    if (hasGoodFirstIssue) {
      await removeIssueLabel(ctx, comment.number, goodFirstIssue);
      await pruneBotComments(ctx, comment.number, (text) => text.includes(goodFirstIssueMarker));
    }
    return;
  }
  if (!hasGoodFirstIssue && goodFirstIssueRe.test(body)) {
    await reply(goodFirstIssueMessage(guidelines));
    await addIssueLabel(ctx, comment.number, goodFirstIssue);
    if (!hasHelp) await addIssueLabel(ctx, comment.number, helpWanted);
    return;
  }
  if (!hasHelp && helpRe.test(body)) {
    await reply(helpMessage(guidelines));
    await addIssueLabel(ctx, comment.number, helpWanted);
    return;
  }
  if (hasGoodFirstIssue && removeGoodFirstIssueRe.test(body)) {
    await removeIssueLabel(ctx, comment.number, goodFirstIssue);
    await pruneBotComments(ctx, comment.number, (text) => text.includes(goodFirstIssueMarker));
  }
}
