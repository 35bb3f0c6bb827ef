import type { PluginContextBase } from '../plugin.ts';
import type { Approvers } from './approvers.ts';

/** Prow's command syntax for approve: `/<command> <arguments>` at the start of a line. */
const commandRe = /^\/([^\s]+)[\t ]*([^\n\r]*)/gm;

/** A comment-like text on a PR: issue comment, review comment or review. */
export interface PrComment {
  body: string;
  author: string;
  authorIsBot: boolean;
  createdAt: string;
  htmlUrl: string;
  /** The review's state in upper case, for reviews. */
  reviewState: string | undefined;
}

function commands(body: string): { name: string; args: string }[] {
  return [...body.matchAll(commandRe)].map((m) => ({ name: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim().toLowerCase() }));
}

/** Whether `body` holds /approve, /remove-approve, or /lgtm when lgtm acts as approve. */
export function isApprovalCommand(body: string, lgtmActsAsApprove: boolean): boolean {
  return commands(body).some((c) => c.name === 'APPROVE' || c.name === 'REMOVE-APPROVE' || (c.name === 'LGTM' && lgtmActsAsApprove));
}

/** Whether `body` gives an approval (not a cancel) with /approve, or /lgtm when lgtm acts as approve. */
export function givesApproval(body: string, lgtmActsAsApprove: boolean): boolean {
  return commands(body).some((c) => (c.name === 'APPROVE' || (c.name === 'LGTM' && lgtmActsAsApprove)) && !c.args.includes('cancel'));
}

/** Whether a review in `state` counts as approving or cancelling. */
export function isApprovalState(state: string | undefined, considerReviewState: boolean): boolean {
  return considerReviewState && (state === 'APPROVED' || state === 'CHANGES_REQUESTED' || state === 'DISMISSED');
}

/** Every comment, review comment and submitted review on PR `number`, oldest first. */
export async function prComments(ctx: PluginContextBase, number: number): Promise<PrComment[]> {
  const target = { owner: ctx.org, repo: ctx.repo, per_page: 100 };
  const [issueComments, reviewComments, reviews] = await Promise.all([
    ctx.github.paginate(ctx.github.rest.issues.listComments, { ...target, issue_number: number }),
    ctx.github.paginate(ctx.github.rest.pulls.listReviewComments, { ...target, pull_number: number }),
    ctx.github.paginate(ctx.github.rest.pulls.listReviews, { ...target, pull_number: number }),
  ]);
  const bot = ctx.botLogin.toLowerCase();
  const isBot = (user: { login: string; type?: string } | null | undefined): boolean => user?.type === 'Bot' || user?.login.toLowerCase() === bot;
  const all: PrComment[] = [
    ...reviewComments.map((c) => ({ body: c.body, author: c.user.login, authorIsBot: isBot(c.user), createdAt: c.created_at, htmlUrl: c.html_url, reviewState: undefined })),
    ...issueComments.map((c) => ({ body: c.body ?? '', author: c.user?.login ?? '', authorIsBot: isBot(c.user), createdAt: c.created_at, htmlUrl: c.html_url, reviewState: undefined })),
    ...reviews.flatMap((r) =>
      r.submitted_at === undefined
        ? []
        : [{ body: r.body, author: r.user?.login ?? '', authorIsBot: isBot(r.user), createdAt: r.submitted_at, htmlUrl: r.html_url, reviewState: r.state.toUpperCase() }],
    ),
  ];
  return all.map((c, i) => ({ c, i })).sort((a, b) => Date.parse(a.c.createdAt) - Date.parse(b.c.createdAt) || a.i - b.i).map(({ c }) => c);
}

/**
 * Replays the approval history in order (Prow's addApprovers): the latest intent of each person wins; an
 * approving review approves and a changes-requested one cancels when review state counts; bots are ignored.
 */
export function replayApprovals(ap: Approvers, comments: PrComment[], prAuthor: string, opts: { lgtmActsAsApprove: boolean; considerReviewState: boolean }): void {
  for (const c of comments) {
    if (c.author === '' || c.authorIsBot) continue;
    if (!isApprovalCommand(c.body, opts.lgtmActsAsApprove) && !isApprovalState(c.reviewState, opts.considerReviewState)) continue;
    if (opts.considerReviewState && c.reviewState === 'APPROVED') ap.addApprover(c.author, c.htmlUrl, false);
    if (opts.considerReviewState && c.reviewState === 'CHANGES_REQUESTED') ap.removeApprover(c.author);
    for (const cmd of commands(c.body)) {
      if (cmd.name === 'REMOVE-APPROVE') {
        ap.removeApprover(c.author);
        continue;
      }
      if (cmd.name !== 'APPROVE' && !(cmd.name === 'LGTM' && opts.lgtmActsAsApprove)) continue;
      if (cmd.args.includes('cancel')) {
        ap.removeApprover(c.author);
        continue;
      }
      const noIssue = cmd.args === 'no-issue';
      if (c.author.toLowerCase() === prAuthor.toLowerCase()) ap.addAuthorSelfApprover(c.author, c.htmlUrl, noIssue);
      if (cmd.name === 'APPROVE') ap.addApprover(c.author, c.htmlUrl, noIssue);
      else ap.addLgtmer(c.author, c.htmlUrl, noIssue);
    }
  }
}
