import { definePlugin, type GenericCommentHandler, type PluginContextBase } from '../plugin.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { blunderbussOptions, requestOwnersReviews } from './request-reviews.ts';

const autoCcRe = /^\/auto-cc\s*$/im;
/** A PR body that already asks for reviewers with /cc is left to the assign plugin. */
const ccLineRe = /^\/cc(?:\s|$)/im;

interface OpenedPull {
  number: number;
  body: string | null;
  draft?: boolean | undefined;
  user: { login: string } | null;
  base: { ref: string };
}

async function onOpened(ctx: PluginContextBase, pr: OpenedPull): Promise<void> {
  const opts = blunderbussOptions(ctx);
  const author = pr.user?.login ?? '';
  if (ccLineRe.test(pr.body ?? '') || opts.waitForStatus) return;
  if (pr.draft === true && opts.ignoreDrafts) return;
  if (opts.ignoreAuthors.includes(author)) return;
  await requestOwnersReviews(ctx, { number: pr.number, baseRef: pr.base.ref, author });
}

const onComment: GenericCommentHandler = async (ctx, comment) => {
  if (comment.action !== 'created' || !comment.isPR || comment.issueState === 'closed' || !autoCcRe.test(comment.body)) return;
  const { data: pr } = await ctx.github.rest.pulls.get({ owner: ctx.org, repo: ctx.repo, pull_number: comment.number });
  const asked = await requestOwnersReviews(ctx, { number: pr.number, baseRef: pr.base.ref, author: pr.user.login });
  if (asked.length === 0) await replyOnce(ctx, comment, 'no reviewers or approvers other than the author are listed in the OWNERS files of the changed files, so no review was requested.');
};

/** Prow's blunderbuss: review requests to OWNERS reviewers of the changed files when a PR opens, and on /auto-cc. */
export const blunderbussPlugin = definePlugin({
  name: 'blunderbuss',
  help: {
    description:
      'The blunderbuss plugin automatically requests reviews from reviewers when a new PR is created. ' +
      'The reviewers are selected based on the reviewers specified in the OWNERS files that apply to the files modified by the PR.',
    commands: [
      {
        usage: '/auto-cc',
        description: 'Manually request reviews from reviewers for a PR. Useful if OWNERS file were updated since the PR was opened.',
        featured: false,
        whoCanUse: 'Anyone',
        examples: ['/auto-cc'],
      },
    ],
  },
  genericComment: onComment,
  handlers: {
    'pull_request.opened': (ctx) => onOpened(ctx, ctx.payload.pull_request),
    'pull_request.ready_for_review': (ctx) => onOpened(ctx, ctx.payload.pull_request),
  },
});
