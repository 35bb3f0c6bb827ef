import type { FastifyInstance } from 'fastify';
import { GitMergeConflict, GitRefMoved } from '../git/errors.ts';
import { ZERO_SHA } from '../git/plumbing.ts';
import type { MergeMethod } from '../git/types.ts';
import { can, loadRepo, requireActor } from '../http/access.ts';
import { GitHubError, notFound } from '../http/github-error.ts';
import type { Repo } from '../state/types.ts';
import { protectionOf } from './branch-protections.ts';
import { closeAsMerged, gitIdentity, gitName, isOpen, protectionBlocker, pullComparison, pullFacts } from './pull-actions.ts';
import { loadPull } from './pulls.ts';
import { handlePush } from '../webhooks/push-event.ts';

interface PullParams { Params: { owner: string; repo: string; pull_number: string } }
interface MergeBody { commit_title?: string; commit_message?: string; sha?: string; merge_method?: MergeMethod }

/** Who GitHub writes as the committer of the merges it makes. */
const githubCommitter = { name: 'GitHub', email: 'noreply@github.com' };

const notAllowed: Record<MergeMethod, { allowed: (repo: Repo) => boolean; message: string }> = {
  merge: { allowed: (r) => r.allowMergeCommit, message: 'Merge commits are not allowed on this repository.' },
  squash: { allowed: (r) => r.allowSquashMerge, message: 'Squash merges are not allowed on this repository.' },
  rebase: { allowed: (r) => r.allowRebaseMerge, message: 'Rebase merges are not allowed on this repository.' },
};

/** Whether a PR was merged, and merging it with a merge commit, a squash or a rebase. */
export function pullMergeRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.get<PullParams>('/repos/:owner/:repo/pulls/:pull_number/merge', (req, reply) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    if (!loadPull(repo, req.params.pull_number).merged) throw notFound();
    reply.code(204).send();
    return undefined;
  });

  app.put<PullParams & { Body: MergeBody | undefined }>('/repos/:owner/:repo/pulls/:pull_number/merge', async (req) => {
    const actor = requireActor(req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'contents');
    const pull = loadPull(repo, req.params.pull_number);
    const issue = repo.issues.get(pull.number);
    const body = req.body ?? {};
    const method = body.merge_method ?? 'merge';
    if (!notAllowed[method].allowed(repo)) throw new GitHubError(405, notAllowed[method].message);
    if (!issue || !isOpen(repo, pull)) throw new GitHubError(405, 'Pull Request is not mergeable');
    if (body.sha !== undefined && body.sha !== pull.head.sha) throw new GitHubError(409, 'Head branch was modified. Review and try the merge again.');
    if (pull.draft) throw new GitHubError(405, 'Pull Request is still a draft');
    const facts = await pullFacts(emu, repo, pull);
    if (facts.mergeable !== true) throw new GitHubError(405, 'Pull Request is not mergeable');
    const blocker = await protectionBlocker(emu, repo, pull);
    const adminBypass = protectionOf(emu.state, repo, pull.base.ref)?.enforceAdmins === false && can(emu, req, repo, 'admin', 'administration');
    if (blocker && !adminBypass) throw new GitHubError(405, blocker.message);

    const [owner, name] = gitName(emu, repo);
    const before = pull.base.sha;
    const { commits } = await pullComparison(emu, repo, pull);
    const title =
      body.commit_title ?? (method === 'squash' ? `${issue.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${owner}/${pull.head.ref}`);
    const message = body.commit_message ?? (method === 'squash' ? commits.map((c) => `* ${c.message.trim()}`).join('\n\n') : issue.title);
    let sha: string;
    try {
      ({ sha } = await emu.git.merge(owner, name, {
        base: pull.base.ref,
        head: pull.head.sha,
        method,
        title,
        message,
        committer: githubCommitter,
        author: gitIdentity(method === 'squash' ? emu.state.account(issue.userId) : actor.account),
      }));
    } catch (err) {
      if (err instanceof GitMergeConflict) throw new GitHubError(405, 'Pull Request is not mergeable');
      if (err instanceof GitRefMoved) throw new GitHubError(405, 'Base branch was modified. Review and try the merge again.');
      throw err;
    }
    await closeAsMerged(emu, repo, pull, actor.account, sha);
    const updates = [{ ref: `refs/heads/${pull.base.ref}`, before, after: sha }];
    await handlePush(emu, repo, updates, actor.account);
    if (repo.deleteBranchOnMerge && pull.head.repoId === repo.id) {
      const headBefore = await emu.git.resolve(owner, name, `refs/heads/${pull.head.ref}`);
      if (headBefore !== undefined) {
        await emu.git.deleteRef(owner, name, `refs/heads/${pull.head.ref}`);
        await handlePush(emu, repo, [{ ref: `refs/heads/${pull.head.ref}`, before: headBefore, after: ZERO_SHA }], actor.account);
      }
    }
    return { sha, merged: true, message: 'Pull Request successfully merged' };
  });
}
