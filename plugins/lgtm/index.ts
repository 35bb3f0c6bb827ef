import { formatResponse } from '../respond.ts';
import { definePlugin, type GenericCommentHandler, type Handler } from '../plugin.ts';
import { replyOnce, postCommentOnce } from '../shared/reply-once.ts';
import { changeLgtm } from './change-lgtm.ts';
import { lgtmCancelRe, lgtmRe } from './lgtm-commands.ts';
import { lgtmOptions } from './lgtm-options.ts';
import { onSynchronize } from './lgtm-on-push.ts';

const onComment: GenericCommentHandler = async (ctx, comment) => {
  if (!comment.isPR || comment.issueState !== 'open' || comment.action !== 'created') return;
  let want: boolean;
  if (lgtmRe.test(comment.body)) want = true;
  else if (lgtmCancelRe.test(comment.body)) want = false;
  else return;
  await changeLgtm(ctx, {
    want,
    actor: comment.author,
    number: comment.number,
    prAuthor: comment.issueAuthor,
    assignees: comment.assignees,
    reply: (text) => replyOnce(ctx, comment, text),
  });
};

/** With review_acts_as_lgtm, an approving review is /lgtm and a changes-requested review is /lgtm cancel. */
const onReview: Handler<'pull_request_review.submitted'> = async (ctx) => {
  const { review, pull_request: pr } = ctx.payload;
  if (!lgtmOptions(ctx).reviewActsAsLgtm) return;
  const reviewer = review.user?.login ?? '';
  if (reviewer === '' || review.user?.type === 'Bot' || reviewer.toLowerCase() === ctx.botLogin.toLowerCase()) return;
  const body = review.body ?? '';
  // A review whose text says /lgtm is handled as a comment already.
  if (lgtmRe.test(body) || lgtmCancelRe.test(body)) return;
  const state = review.state.toUpperCase();
  if (state !== 'APPROVED' && state !== 'CHANGES_REQUESTED') return;
  await changeLgtm(ctx, {
    want: state === 'APPROVED',
    actor: reviewer,
    number: pr.number,
    prAuthor: pr.user?.login ?? '',
    assignees: pr.assignees.flatMap((a) => (a ? [a.login] : [])),
    reply: (text) => postCommentOnce(ctx, pr.number, formatResponse(reviewer, text, body, review.html_url)),
  });
};

/** Prow's lgtm plugin: the `lgtm` label from /lgtm and approving reviews, kept across pushes that leave the code as reviewed. */
export const lgtmPlugin = definePlugin({
  name: 'lgtm',
  help: {
    description:
      "The lgtm plugin manages the application and removal of the 'lgtm' (Looks Good To Me) label which is typically used to gate merging. " +
      'A push removes the label unless it leaves the reviewed code unchanged: the same git tree (squash, amended message), or the same changed files on a newer base (a clean rebase).',
    commands: [
      {
        usage: '/[remove-]lgtm [cancel] or GitHub Review action',
        description: "Adds or removes the 'lgtm' label which is typically used to gate merging.",
        featured: true,
        whoCanUse:
          "Collaborators on the repository and reviewers or approvers in the OWNERS files of the changed files (only the latter when owners.skip_collaborators names the repo). '/lgtm cancel' can be used additionally by the PR author.",
        examples: ['/lgtm', '/lgtm cancel', '/remove-lgtm', "<a href=\"https://help.github.com/articles/about-pull-request-reviews/\">'Approve' or 'Request Changes'</a>"],
      },
    ],
  },
  genericComment: onComment,
  handlers: { 'pull_request_review.submitted': onReview, 'pull_request.synchronize': onSynchronize },
});
