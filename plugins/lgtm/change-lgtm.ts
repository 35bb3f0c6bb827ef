import { loadRepoOwners } from '../owners/load-repo-owners.ts';
import { normLogin } from '../owners/owners-aliases.ts';
import { pullRequestFiles } from '../owners/pull-request-files.ts';
import type { PluginContextBase } from '../plugin.ts';
import { pruneBotComments } from '../shared/bot-comments.ts';
import { addIssueLabel, issueLabelNames, removeIssueLabel } from '../shared/issue-label-edits.ts';
import { isCollaborator } from '../shared/repo-collaborator.ts';
import {
  collaboratorRefusal,
  lgtmLabel,
  lgtmRemovedNotice,
  ownersRefusal,
  ownPrRefusal,
  treeHashNotice,
  treeHashNoticeRe,
} from './lgtm-commands.ts';
import { lgtmOptions } from './lgtm-options.ts';
import { isStickyAuthor } from './sticky-lgtm.ts';
import { commitTree } from './unchanged-code.ts';

/** One request to add or remove LGTM, from a comment or a review. */
export interface LgtmRequest {
  want: boolean;
  /** Who asked. */
  actor: string;
  number: number;
  prAuthor: string;
  assignees: string[];
  /** Answers the request with one reply (the refusals). */
  reply: (text: string) => Promise<void>;
}

/** Whether `login` is an approver or reviewer in the OWNERS files of the PR's changed files. */
async function isOwnersReviewer(ctx: PluginContextBase, number: number, login: string): Promise<boolean> {
  const { data: pr } = await ctx.github.rest.pulls.get({ owner: ctx.org, repo: ctx.repo, pull_number: number });
  const files = (await pullRequestFiles(ctx, number)).map((f) => f.filename);
  const owners = await loadRepoOwners(ctx, pr.base.ref, files);
  const who = normLogin(login);
  return files.some((f) => owners.reviewers(f).has(who) || owners.approvers(f).has(who));
}

/** Removes `lgtm`; with store_tree_hash Prow also asks the assignees to review again. */
export async function removeLgtm(ctx: PluginContextBase, number: number, assignees: string[], prAuthor: string, storeTreeHash: boolean): Promise<void> {
  await removeIssueLabel(ctx, number, lgtmLabel);
  const reviewers = assignees.filter((a) => normLogin(a) !== normLogin(prAuthor));
  if (!storeTreeHash || reviewers.length === 0) return;
  try {
    await ctx.github.rest.pulls.requestReviewers({ owner: ctx.org, repo: ctx.repo, pull_number: number, reviewers });
  } catch (err) {
    ctx.log.warn({ err, reviewers }, 'could not re-request reviews after removing lgtm');
  }
}

/**
 * Prow's lgtm handle: the PR author may cancel but never add; others must be collaborators (or, beyond
 * Prow, reviewers or approvers in the OWNERS of the changed files), or only the latter when
 * `owners.skip_collaborators` names the repo. A collaborator who LGTMs is assigned. Then the label is
 * added or removed; with store_tree_hash the tree LGTM was given on is recorded in a notice.
 */
export async function changeLgtm(ctx: PluginContextBase, req: LgtmRequest): Promise<void> {
  const isAuthor = normLogin(req.actor) === normLogin(req.prAuthor);
  if (isAuthor && req.want) {
    await req.reply(ownPrRefusal);
    return;
  }
  const opts = lgtmOptions(ctx);
  if (!isAuthor) {
    if (opts.skipCollaborators) {
      if (!(await isOwnersReviewer(ctx, req.number, req.actor))) {
        await req.reply(ownersRefusal);
        return;
      }
    } else if (await isCollaborator(ctx.github, ctx.org, ctx.repo, req.actor)) {
      if (!req.assignees.some((a) => normLogin(a) === normLogin(req.actor))) {
        try {
          await ctx.github.rest.issues.addAssignees({ owner: ctx.org, repo: ctx.repo, issue_number: req.number, assignees: [req.actor] });
        } catch (err) {
          ctx.log.warn({ err, login: req.actor }, 'could not assign the LGTMing collaborator');
        }
      }
    } else if (!(await isOwnersReviewer(ctx, req.number, req.actor))) {
      await req.reply(collaboratorRefusal);
      return;
    }
  }

  const hasLgtm = (await issueLabelNames(ctx, req.number)).includes(lgtmLabel);
  if (hasLgtm && !req.want) {
    ctx.log.info({ number: req.number, by: req.actor }, 'removing lgtm');
    await removeLgtm(ctx, req.number, req.assignees, req.prAuthor, opts.storeTreeHash);
    if (opts.storeTreeHash) await pruneBotComments(ctx, req.number, (body) => treeHashNoticeRe.test(body));
  } else if (!hasLgtm && req.want) {
    ctx.log.info({ number: req.number, by: req.actor }, 'adding lgtm');
    await addIssueLabel(ctx, req.number, lgtmLabel);
    if (await isStickyAuthor(ctx, opts.stickyLgtmTeam, req.prAuthor)) return;
    if (opts.storeTreeHash) {
      const { data: pr } = await ctx.github.rest.pulls.get({ owner: ctx.org, repo: ctx.repo, pull_number: req.number });
      const tree = await commitTree(ctx, pr.head.sha);
      await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: req.number, body: treeHashNotice(tree) });
    }
    await pruneBotComments(ctx, req.number, (body) => body.includes(lgtmRemovedNotice));
  }
}
