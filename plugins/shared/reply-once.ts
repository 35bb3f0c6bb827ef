import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { formatCommentResponse } from '../respond.ts';
import { botComments } from './bot-comments.ts';

/**
 * Posts `body` on issue or PR `number` unless the bot already posted exactly that text there. A reply
 * quotes the comment it answers (with its URL), so a retried delivery finds its own earlier reply and
 * the contributor reads it once.
 */
export async function postCommentOnce(ctx: PluginContextBase, number: number, body: string): Promise<void> {
  if ((await botComments(ctx, number)).some((c) => c.body === body)) return;
  await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: number, body });
}

/** Replies once to a command in Prow's shape: `@author: reply`, quoting the comment. */
export async function replyOnce(ctx: PluginContextBase, comment: GenericComment, reply: string): Promise<void> {
  await postCommentOnce(ctx, comment.number, formatCommentResponse(comment, reply));
}
