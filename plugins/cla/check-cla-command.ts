import type { GenericComment } from '../generic-comment.ts';
import type { GenericCommentHandler, PluginContextBase } from '../plugin.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { mirrorClaState, type StatusState } from './cla-labels.ts';
import type { ClaOptions } from './cla-options.ts';

/** Prow's `(?mi)^/check-cla\s*$`. */
export const checkClaRe = /^\/check-cla\s*$/im;

/**
 * The state of status `context` on `sha`, or undefined when none was reported. GitHub lists a commit's statuses
 * newest first, so the first of the context is the one the combined status shows; paging stops there.
 */
async function statusOf(ctx: PluginContextBase, sha: string, context: string): Promise<StatusState | undefined> {
  for await (const { data } of ctx.github.paginate.iterator(ctx.github.rest.repos.listCommitStatusesForRef, { owner: ctx.org, repo: ctx.repo, ref: sha, per_page: 100 })) {
    const found = data.find((s) => s.context === context);
    if (found) return found.state as StatusState;
  }
  return undefined;
}

/**
 * `/check-cla` (anyone, on an open PR; elsewhere it is refused with a reply): reads the CLA context's newest status on the PR's head and
 * sets the labels from it. A PR with no CLA status yet gets one reply saying so, rather than silence.
 */
export function onCheckCla(options: ClaOptions): GenericCommentHandler {
  return async (ctx: PluginContextBase, comment: GenericComment) => {
    if (comment.action !== 'created' || !checkClaRe.test(comment.body)) return;
    if (!comment.isPR || comment.issueState !== 'open') {
      await replyOnce(ctx, comment, '`/check-cla` works on open pull requests only: the CLA status belongs to the head commit of a pull request under review.');
      return;
    }
    const { data: pull } = await ctx.github.rest.pulls.get({ owner: ctx.org, repo: ctx.repo, pull_number: comment.number });
    const state = await statusOf(ctx, pull.head.sha, options.context);
    if (state !== undefined) {
      await mirrorClaState(ctx, comment.number, state);
      return;
    }
    ctx.log.info({ number: comment.number, sha: pull.head.sha, context: options.context }, 'no CLA status on the head commit');
    if (comment.author.toLowerCase() !== ctx.botLogin.toLowerCase()) {
      await replyOnce(ctx, comment, `there is no \`${options.context}\` status on the head commit (${pull.head.sha.slice(0, 7)}) yet, so the CLA labels stay as they are. The CLA service reports it once it has checked the commit.`);
    }
  };
}
