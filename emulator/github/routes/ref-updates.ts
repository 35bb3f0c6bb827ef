import type { EmulatorContext } from '../context.ts';
import { ZERO_SHA } from '../git/plumbing.ts';
import type { RefUpdate } from '../git/types.ts';
import type { Account, PullRequest, Repo } from '../state/types.ts';
import { setIssueState } from './issue-actions.ts';
import { closeAsMerged, gitName, isOpen, synchronizePull } from './pull-actions.ts';

/** Emits `create` for a new branch or tag and `delete` for a removed one (the `push` itself is core's). */
function emitCreateDelete(emu: EmulatorContext, repo: Repo, u: RefUpdate, pusher: Account): void {
  const m = /^refs\/(heads|tags)\/(.+)$/.exec(u.ref);
  if (!m?.[1] || !m[2]) return;
  const refType = m[1] === 'heads' ? 'branch' : 'tag';
  if (u.before === ZERO_SHA) {
    emu.webhooks.emit({
      event: 'create',
      repo,
      sender: pusher,
      payload: { ref: m[2], ref_type: refType, master_branch: repo.defaultBranch, description: repo.description, pusher_type: 'user' },
    });
  } else if (u.after === ZERO_SHA) {
    emu.webhooks.emit({ event: 'delete', repo, sender: pusher, payload: { ref: m[2], ref_type: refType, pusher_type: 'user' } });
  }
}

/**
 * The pull-request side of a push, whoever moved the refs (git over HTTP, the refs API, a merge, the control
 * API's commits), as GitHub does it: an open PR whose head branch moved is synchronized, one whose head or
 * base branch is gone is closed, and one whose head is now contained in its base branch is marked merged by
 * the pusher. Registered as a push listener, so it runs after core's `push` event.
 */
export async function onRefsMoved(emu: EmulatorContext, repo: Repo, updates: readonly RefUpdate[], pusher: Account): Promise<void> {
  for (const u of updates) emitCreateDelete(emu, repo, u, pusher);
  const branches = updates.filter((u) => u.ref.startsWith('refs/heads/'));
  const open = (): PullRequest[] => [...repo.pulls.values()].filter((p) => isOpen(repo, p));
  const close = (pull: PullRequest): void => {
    const issue = repo.issues.get(pull.number);
    if (issue) setIssueState(emu, repo, issue, 'closed', pusher);
  };
  for (const u of branches) {
    const branch = u.ref.slice('refs/heads/'.length);
    for (const pull of open().filter((p) => p.head.repoId === repo.id && p.head.ref === branch)) {
      if (u.after === ZERO_SHA) close(pull);
      else if (u.after !== pull.head.sha) await synchronizePull(emu, repo, pull, u.after, pusher);
    }
  }
  const [owner, name] = gitName(emu, repo);
  for (const u of branches) {
    const branch = u.ref.slice('refs/heads/'.length);
    for (const pull of open().filter((p) => p.base.ref === branch)) {
      if (u.after === ZERO_SHA) close(pull);
      else if (await emu.git.isAncestor(owner, name, pull.head.sha, u.after)) {
        if (u.before !== ZERO_SHA) pull.base.sha = u.before;
        await closeAsMerged(emu, repo, pull, pusher, u.after);
      }
    }
  }
}
