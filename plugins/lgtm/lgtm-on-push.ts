import type { Handler } from '../plugin.ts';
import { postCommentOnce } from '../shared/reply-once.ts';
import { issueLabelNames } from '../shared/issue-label-edits.ts';
import { removeLgtm } from './change-lgtm.ts';
import { lgtmLabel, lgtmRemovedNotice } from './lgtm-commands.ts';
import { lgtmOptions } from './lgtm-options.ts';
import { isStickyAuthor } from './sticky-lgtm.ts';
import { unchangedCode } from './unchanged-code.ts';

/** A push to a PR with `lgtm` takes the label away, unless the code LGTM was given on is unchanged or the author is trusted. */
export const onSynchronize: Handler<'pull_request.synchronize'> = async (ctx) => {
  const pr = ctx.payload.pull_request;
  if (pr.merged === true) return;
  if (!(await issueLabelNames(ctx, pr.number)).includes(lgtmLabel)) return;
  const opts = lgtmOptions(ctx);
  const author = pr.user?.login ?? '';
  if (await isStickyAuthor(ctx, opts.stickyLgtmTeam, author)) return;
  const push = { number: pr.number, base: pr.base.ref, before: ctx.payload.before, after: ctx.payload.after };
  const kept = await unchangedCode(ctx, push, opts.storeTreeHash);
  if (kept !== undefined) {
    ctx.log.info({ ...push, reason: kept }, 'keeping lgtm: the push did not change the reviewed code');
    return;
  }
  // The notice goes first: a retry after a crash finds it and does not post it twice, and still removes the label.
  await postCommentOnce(ctx, pr.number, lgtmRemovedNotice);
  const assignees = pr.assignees.flatMap((a) => (a ? [a.login] : []));
  await removeLgtm(ctx, pr.number, assignees, author, opts.storeTreeHash);
};
