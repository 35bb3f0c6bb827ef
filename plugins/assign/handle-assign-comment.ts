import type { GenericComment } from '../generic-comment.ts';
import type { PluginContextBase } from '../plugin.ts';
import { replyOnce } from '../shared/reply-once.ts';
import { assignUsers, unassignUsers } from './assign-users.ts';
import { assignRe, ccRe, parseTargets } from './commands.ts';
import { requestReviews, unrequestReviews } from './review-requests.ts';

/** Prow's reply when GitHub left out some assignees. */
export function assignRefusal(org: string, users: string[]): string {
  return (
    `GitHub didn't allow me to assign the following users: ${users.join(', ')}.\n\n` +
    `Note that only [${org} members](https://github.com/orgs/${org}/people) with read permissions, repo collaborators ` +
    'and people who have commented on this issue/PR can be assigned. Additionally, issues/PRs can only have 10 assignees at the same time.\n' +
    'For more information please see [the contributor guide](https://git.k8s.io/community/contributors/guide/first-contribution.md#issue-assignment-in-github)'
  );
}

/** Prow's reply when GitHub refused some review requests. */
export function reviewRefusal(org: string, users: string[]): string {
  return (
    `GitHub didn't allow me to request PR reviews from the following users: ${users.join(', ')}.\n\n` +
    `Note that only [${org} members](https://github.com/orgs/${org}/people) and repo collaborators can review this PR, ` +
    'and authors cannot review their own PRs.'
  );
}

/**
 * `/[un]assign` on issues and PRs, `/[un]cc` on PRs. Anyone may use them; GitHub decides who can be
 * assigned or asked, and everyone it refused is named in one reply (Prow posts one per command family).
 */
export async function handleAssignComment(ctx: PluginContextBase, comment: GenericComment): Promise<void> {
  if (comment.action !== 'created') return;
  const ref = { owner: ctx.org, repo: ctx.repo, number: comment.number };
  const refusals: string[] = [];

  const assign = parseTargets(comment.body, assignRe, comment.author);
  if (assign.remove.length > 0) {
    ctx.log.info({ number: ref.number, users: assign.remove }, 'unassigning');
    await unassignUsers(ctx.github, ref, assign.remove);
  }
  if (assign.add.length > 0) {
    ctx.log.info({ number: ref.number, users: assign.add }, 'assigning');
    const missing = await assignUsers(ctx.github, ref, assign.add);
    if (missing.length > 0) refusals.push(assignRefusal(ctx.org, missing));
  }

  if (comment.isPR) {
    const cc = parseTargets(comment.body, ccRe, comment.author);
    if (cc.remove.length > 0) {
      ctx.log.info({ number: ref.number, reviewers: cc.remove }, 'withdrawing review requests');
      await unrequestReviews(ctx.github, ref, cc.remove);
    }
    if (cc.add.length > 0) {
      ctx.log.info({ number: ref.number, reviewers: cc.add }, 'requesting reviews');
      const missing = await requestReviews(ctx.github, ref, cc.add);
      if (missing.length > 0) refusals.push(reviewRefusal(ctx.org, missing));
    }
  }

  if (refusals.length > 0) await replyOnce(ctx, comment, refusals.join('\n\n'));
}
