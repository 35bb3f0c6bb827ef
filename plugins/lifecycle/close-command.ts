import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { issueLabelNames } from '../shared/issue-label-edits.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { isCollaborator } from '../shared/repo-collaborator.ts';
import { lifecycleLabel } from './lifecycle-labels.ts';

const closeRe = /^\/close\s*$/im;
const closeNotPlannedRe = /^\/close not-planned\s*$/im;

/** The refusal Prow gives to someone who may not close the item. */
export const closeRefusal = "You can't close an active issue/PR unless you authored it or you are a collaborator.";

/** Whether the item is still active: stale and rotten items may be closed by anyone, as in Prow. */
async function isActive(ctx: PluginContextBase, number: number): Promise<boolean> {
  const labels = await issueLabelNames(ctx, number);
  return !labels.includes(lifecycleLabel.stale) && !labels.includes(lifecycleLabel.rotten);
}

/** The same login, as GitHub compares them: case does not matter. */
export function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * `/close` and `/close not-planned` on an open issue or PR, as Prow's close.go: the author, a collaborator,
 * or anyone once the item is stale or rotten. Pull requests cannot be closed as not planned.
 */
export async function handleClose(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.issueState !== 'open' || comment.action !== 'created') return;
  const notPlanned = closeNotPlannedRe.test(comment.body);
  if (!notPlanned && !closeRe.test(comment.body)) return;
  const allowed =
    sameLogin(comment.issueAuthor, comment.author) ||
    (await isCollaborator(ctx.github, ctx.org, ctx.repo, comment.author)) ||
    !(await isActive(ctx, comment.number));
  if (!allowed) {
    await replyOnce(ctx, comment, closeRefusal);
    return;
  }
  const target = { owner: ctx.org, repo: ctx.repo };
  if (comment.isPR) {
    if (notPlanned) {
      await replyOnce(ctx, comment, 'PRs cannot be closed as Not Planned.');
      return;
    }
    await ctx.github.rest.pulls.update({ ...target, pull_number: comment.number, state: 'closed' });
    await replyOnce(ctx, comment, 'Closed this PR.');
    return;
  }
  if (notPlanned) {
    await ctx.github.rest.issues.update({ ...target, issue_number: comment.number, state: 'closed', state_reason: 'not_planned' });
    await replyOnce(ctx, comment, 'Closing this issue, marking it as "Not Planned".');
    return;
  }
  await ctx.github.rest.issues.update({ ...target, issue_number: comment.number, state: 'closed' });
  await replyOnce(ctx, comment, 'Closing this issue.');
}
