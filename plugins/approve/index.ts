import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { definePlugin, type GenericCommentHandler, type Handler, type PluginContextBase } from '../plugin.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { givesApproval, isApprovalCommand, isApprovalState } from './approval-comments.ts';
import { approveOptions } from './approve-options.ts';
import { approvedLabel, approvePullRequest, type PullFacts } from './approve-pull-request.ts';

type PullPayload = EmitterWebhookEvent<'pull_request.opened'>['payload']['pull_request'];
type PullLike = Pick<PullPayload, 'number' | 'body' | 'html_url'> & {
  user: { login: string } | null;
  assignees?: ({ login: string } | null)[] | null;
  base: { ref: string; repo: { html_url: string } };
};

function facts(pr: PullLike): PullFacts {
  return {
    number: pr.number,
    baseRef: pr.base.ref,
    body: pr.body ?? '',
    author: pr.user?.login ?? '',
    assignees: (pr.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    htmlUrl: pr.html_url,
    repoUrl: pr.base.repo.html_url,
  };
}

/** The refusal for an /approve from someone who can approve none of the files the PR changes. */
export const notAnApproverReply =
  'you are not an approver in the OWNERS files of the files this PR changes, so your approval does not count. ' +
  'Approval is restricted to the approvers listed in those OWNERS files (or their parents); see the approval notifier comment for whom to ask.';

const onComment: GenericCommentHandler = async (ctx, comment) => {
  if (comment.action !== 'created' || !comment.isPR || comment.issueState === 'closed' || comment.authorIsBot) return;
  if (comment.author.toLowerCase() === ctx.botLogin.toLowerCase()) return;
  const opts = approveOptions(ctx);
  if (!isApprovalCommand(comment.body, opts.lgtmActsAsApprove)) return;
  const { data: pr } = await ctx.github.rest.pulls.get({ owner: ctx.org, repo: ctx.repo, pull_number: comment.number });
  const ap = await approvePullRequest(ctx, facts(pr));
  if (!givesApproval(comment.body, opts.lgtmActsAsApprove) || !/^\/approve/im.test(comment.body)) return;
  const who = comment.author.toLowerCase();
  if (!ap.owners.filenames.some((f) => ap.owners.repo.approvers(f).has(who))) await replyOnce(ctx, comment, notAnApproverReply);
};

/** Reviews without an approve command: an approving or changes-requested (or dismissed) review counts unless ignore_review_state. */
async function onReviewEvent(ctx: PluginContextBase, review: { body: string | null; state: string; user: { login: string; type?: string } | null }, pr: PullLike): Promise<void> {
  const opts = approveOptions(ctx);
  const reviewer = review.user?.login ?? '';
  if (reviewer === '' || review.user?.type === 'Bot' || reviewer.toLowerCase() === ctx.botLogin.toLowerCase()) return;
  // A review whose text holds a command is handled as a comment.
  if (isApprovalCommand(review.body ?? '', opts.lgtmActsAsApprove)) return;
  if (!isApprovalState(review.state.toUpperCase(), opts.considerReviewState)) return;
  await approvePullRequest(ctx, facts(pr));
}

const onReviewSubmitted: Handler<'pull_request_review.submitted'> = (ctx) => onReviewEvent(ctx, ctx.payload.review, ctx.payload.pull_request);
const onReviewDismissed: Handler<'pull_request_review.dismissed'> = (ctx) => onReviewEvent(ctx, ctx.payload.review, ctx.payload.pull_request);

const onPullRequest = async (ctx: PluginContextBase, pr: PullLike): Promise<void> => {
  await approvePullRequest(ctx, facts(pr));
};

/** A person adding `approved` by hand is a manual approval (Prow keeps it and says so); the bot's own additions are ignored. */
const onLabeled: Handler<'pull_request.labeled'> = async (ctx) => {
  const { label, sender, pull_request: pr } = ctx.payload;
  if (label?.name !== approvedLabel || pr.state === 'closed') return;
  if (sender.type === 'Bot' || sender.login.toLowerCase() === ctx.botLogin.toLowerCase()) return;
  await approvePullRequest(ctx, facts(pr));
};

/** Prow's approve plugin: the `approved` label from OWNERS approvers' /approve, with one notifier comment kept up to date. */
export const approvePlugin = definePlugin({
  name: 'approve',
  help: {
    description:
      "The approve plugin implements a pull request approval process that manages the 'approved' label and an approval notification comment. " +
      'Approval is achieved when the set of users that have approved the PR is capable of approving every file changed by the PR. ' +
      "A user is able to approve a file if their username or an alias they belong to is listed in the 'approvers' section of an OWNERS file in the directory of the file or higher in the directory tree. " +
      'Per-repo configuration may require that PRs link to an associated issue, and decides whether PR authors implicitly approve their own PRs (they do by default). ' +
      'The notification comment is edited in place, so a PR carries exactly one.',
    commands: [
      {
        usage: '/[remove-]approve [no-issue|cancel]',
        description: 'Approves a pull request',
        featured: true,
        whoCanUse: "Users listed as 'approvers' in appropriate OWNERS files.",
        examples: ['/approve', '/approve no-issue', '/approve cancel', '/remove-approve'],
      },
    ],
  },
  genericComment: onComment,
  handlers: {
    'pull_request_review.submitted': onReviewSubmitted,
    'pull_request_review.dismissed': onReviewDismissed,
    'pull_request.opened': (ctx) => onPullRequest(ctx, ctx.payload.pull_request),
    'pull_request.reopened': (ctx) => onPullRequest(ctx, ctx.payload.pull_request),
    'pull_request.synchronize': (ctx) => onPullRequest(ctx, ctx.payload.pull_request),
    'pull_request.labeled': onLabeled,
  },
});
