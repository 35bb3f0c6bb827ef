import { loadRepoOwners } from '../owners/load-repo-owners.ts';
import { pullRequestFiles } from '../owners/pull-request-files.ts';
import type { PluginContextBase } from '../plugin.ts';
import { botComments } from '../shared/bot-comments.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { prComments, replayApprovals } from './approval-comments.ts';
import { approvalNotification, notificationRe } from './approval-notification.ts';
import { approveOptions } from './approve-options.ts';
import { Approvers } from './approvers.ts';
import { ChangeOwners } from './change-owners.ts';

/** The label the plugin manages. */
export const approvedLabel = 'approved';

/** What approve needs to know of a PR, whichever event brought it. */
export interface PullFacts {
  number: number;
  baseRef: string;
  body: string;
  author: string;
  assignees: string[];
  htmlUrl: string;
  /** The repository's web page, `https://github.com/org/repo`. */
  repoUrl: string;
}

/** The repository's web root from its page URL. */
function webRoot(repoUrl: string, org: string, repo: string): string {
  const suffix = `/${org}/${repo}`;
  return repoUrl.endsWith(suffix) ? repoUrl.slice(0, -suffix.length) : repoUrl;
}

function escapeRe(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Whether the `approved` label on `number` was last added by a person rather than the bot (Prow's manual approval). */
async function approvedByHand(ctx: PluginContextBase, number: number): Promise<boolean> {
  const events = await ctx.github.paginate(ctx.github.rest.issues.listEvents, { owner: ctx.org, repo: ctx.repo, issue_number: number, per_page: 100 });
  const last = events.filter((e) => e.event === 'labeled' && 'label' in e && e.label.name === approvedLabel).at(-1);
  if (last === undefined) return false;
  return last.actor.login.toLowerCase() !== ctx.botLogin.toLowerCase() && last.actor.type !== 'Bot';
}

/** Keeps exactly one notifier comment: edits the latest in place when its text changes, deletes any older ones. */
async function upsertNotification(ctx: PluginContextBase, number: number, message: string): Promise<void> {
  const notices = (await botComments(ctx, number)).filter((c) => notificationRe.test(c.body));
  const latest = notices.at(-1);
  for (const old of notices.slice(0, -1)) await ctx.github.rest.issues.deleteComment({ owner: ctx.org, repo: ctx.repo, comment_id: old.id });
  if (latest === undefined) await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: number, body: message });
  else if (!latest.body.includes(message)) await ctx.github.rest.issues.updateComment({ owner: ctx.org, repo: ctx.repo, comment_id: latest.id, body: message });
}

/**
 * Prow's approve handle, recomputed from scratch on every event: OWNERS at the base branch, the changed
 * files, and the whole approval history replayed; then the notifier comment and the `approved` label are
 * brought in line. Returns the computed approvals for callers that answer the commenter.
 */
export async function approvePullRequest(ctx: PluginContextBase, pr: PullFacts): Promise<Approvers> {
  const opts = approveOptions(ctx);
  const [files, labels, comments] = await Promise.all([pullRequestFiles(ctx, pr.number), issueLabelNames(ctx, pr.number), prComments(ctx, pr.number)]);
  const filenames = files.map((f) => f.filename);
  const owners = await loadRepoOwners(ctx, pr.baseRef, filenames);
  const ap = new Approvers(new ChangeOwners(filenames, owners, pr.number));
  const root = webRoot(pr.repoUrl, ctx.org, ctx.repo);
  const issue = new RegExp(`(?:${escapeRe(root)}/[^/]+/issues/|#)(\\d+)`).exec(pr.body);
  ap.associatedIssue = issue ? Number(issue[1]) : 0;
  ap.requireIssue = opts.issueRequired;
  const hasLabel = labels.includes(approvedLabel);
  ap.manuallyApproved = hasLabel && (await approvedByHand(ctx, pr.number));
  if (opts.selfApproval) ap.addAuthorSelfApprover(pr.author, `${pr.htmlUrl}#`, false);
  else ap.addAssignees(pr.author);
  replayApprovals(ap, comments, pr.author, opts);
  ap.addAssignees(...pr.assignees);

  const message = approvalNotification(ap, {
    webRoot: root,
    repoUrl: pr.repoUrl,
    branch: pr.baseRef,
    org: ctx.org,
    repo: ctx.repo,
    commandHelpLink: opts.commandHelpLink,
    prProcessLink: opts.prProcessLink,
  });
  await upsertNotification(ctx, pr.number, message);
  if (ap.isApproved() && !hasLabel) await addIssueLabel(ctx, pr.number, approvedLabel);
  else if (!ap.isApproved() && hasLabel) await removeIssueLabel(ctx, pr.number, approvedLabel);
  return ap;
}
