import { isRequestError } from '../../lib/github/friendly-errors.ts';
import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { isCollaborator } from '../shared/repo-collaborator.ts';
import { sameLogin } from './close-command.ts';

const reopenRe = /^\/reopen\s*$/im;

/** The refusal Prow gives to someone who may not reopen the item. */
export const reopenRefusal = "You can't reopen an issue/PR unless you authored it or you are a collaborator.";

/** GitHub's 422 on a state change it refuses (a PR whose head branch is gone), with GitHub's own words. */
function stateRefusal(err: unknown): string | undefined {
  if (!isRequestError(err) || err.status !== 422) return undefined;
  const data = err.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message : err.message;
}

/** `/reopen` on a closed issue or PR, as Prow's reopen.go: its author or a collaborator. */
export async function handleReopen(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.issueState !== 'closed' || comment.action !== 'created' || !reopenRe.test(comment.body)) return;
  const allowed = sameLogin(comment.issueAuthor, comment.author) || (await isCollaborator(ctx.github, ctx.org, ctx.repo, comment.author));
  if (!allowed) {
    await replyOnce(ctx, comment, reopenRefusal);
    return;
  }
  const target = { owner: ctx.org, repo: ctx.repo };
  try {
    if (comment.isPR) await ctx.github.rest.pulls.update({ ...target, pull_number: comment.number, state: 'open' });
    else await ctx.github.rest.issues.update({ ...target, issue_number: comment.number, state: 'open' });
  } catch (err) {
    const refusal = stateRefusal(err);
    if (refusal === undefined) throw err;
    await replyOnce(ctx, comment, `Failed to re-open ${comment.isPR ? 'PR' : 'Issue'}: ${refusal}`);
    return;
  }
  await replyOnce(ctx, comment, comment.isPR ? 'Reopened this PR.' : 'Reopened this issue.');
}
