import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { replyOnce } from '../shared/reply-once.ts';

/** The label Tide treats as "do not merge yet". */
export const holdLabel = 'do-not-merge/hold';

// Prow's regexes: trailing words are allowed after /hold ("/hold for the release"), not after a cancel.
const holdRe = /^\/hold(\s.*)?$/im;
const cancelRe = /^\/(remove-hold|hold\s+cancel|unhold)\s*$/im;

/** What a comment asks of the hold label: add, remove, or nothing. A cancel wins over a hold in the same comment. */
export function holdIntent(body: string): 'hold' | 'cancel' | undefined {
  if (cancelRe.test(body)) return 'cancel';
  if (holdRe.test(body)) return 'hold';
  return undefined;
}

/** `/hold`, `/hold cancel`, `/unhold`, `/remove-hold` on a PR, by anyone, as Prow's hold.go. */
export async function handleHold(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.action !== 'created') return;
  const intent = holdIntent(comment.body);
  if (intent === undefined) return;
  if (!comment.isPR) {
    // Prow ignores the command on issues; saying so keeps a contributor from waiting for a label that never comes.
    await replyOnce(ctx, comment, `The \`${holdLabel}\` label can only be applied to pull requests.`);
    return;
  }
  const has = (await issueLabelNames(ctx, comment.number)).includes(holdLabel);
  if (intent === 'hold' && !has) await addIssueLabel(ctx, comment.number, holdLabel);
  if (intent === 'cancel' && has) await removeIssueLabel(ctx, comment.number, holdLabel);
}
