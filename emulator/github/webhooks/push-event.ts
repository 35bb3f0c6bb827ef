import type { EmulatorContext } from '../context.ts';
import type { GitCommitInfo, RefUpdate } from '../git/types.ts';
import { isoNow } from '../state/state.ts';
import type { Account, Repo } from '../state/types.ts';

const zeroSha = '0000000000000000000000000000000000000000';

/** Reacts to ref changes after a push (PR routes add one to move PR heads); runs after the `push` event is queued. */
export type PushListener = (repo: Repo, updates: readonly RefUpdate[], pusher: Account) => Promise<void> | void;

async function renderCommit(emu: EmulatorContext, repo: Repo, c: GitCommitInfo): Promise<Record<string, unknown>> {
  const owner = emu.state.account(repo.ownerId).login;
  const parent = c.parents[0];
  const files = parent === undefined ? [] : (await emu.git.compare(owner, repo.name, parent, c.sha)).files;
  const named = (status: string): string[] => files.filter((f) => f.status === status).map((f) => f.filename);
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: emu.urls.html(`/${owner}/${repo.name}/commit/${c.sha}`),
    author: { name: c.author.name, email: c.author.email, date: c.author.date },
    committer: { name: c.committer.name, email: c.committer.email, date: c.committer.date },
    added: named('added'),
    removed: named('removed'),
    modified: files.filter((f) => !['added', 'removed'].includes(f.status)).map((f) => f.filename),
  };
}

/**
 * After refs moved (a git push, or the control API's commitFiles): emits GitHub's `push` event per ref
 * with its commits, then runs the context's push listeners.
 */
export async function handlePush(emu: EmulatorContext, repo: Repo, updates: readonly RefUpdate[], pusher: Account): Promise<void> {
  const owner = emu.state.account(repo.ownerId).login;
  repo.pushedAt = isoNow();
  for (const u of updates) {
    const created = u.before === zeroSha;
    const deleted = u.after === zeroSha;
    let commits: GitCommitInfo[] = [];
    if (!deleted) {
      const base = created ? await emu.git.resolve(owner, repo.name, repo.defaultBranch) : u.before;
      if (base === undefined || base === u.after) {
        const head = await emu.git.commit(owner, repo.name, u.after);
        commits = head && created && base === undefined ? [head] : [];
      } else {
        commits = (await emu.git.compare(owner, repo.name, base, u.after)).commits;
      }
    }
    const rendered = await Promise.all(commits.map((c) => renderCommit(emu, repo, c)));
    const headInfo = deleted ? undefined : await emu.git.commit(owner, repo.name, u.after);
    const head = headInfo ? (rendered.find((c) => c.id === headInfo.sha) ?? (await renderCommit(emu, repo, headInfo))) : null;
    const forced = !created && !deleted && !(await emu.git.isAncestor(owner, repo.name, u.before, u.after));
    emu.webhooks.emit({
      event: 'push',
      repo,
      sender: pusher,
      payload: {
        ref: u.ref,
        before: u.before,
        after: u.after,
        created,
        deleted,
        forced,
        base_ref: null,
        compare: emu.urls.html(`/${owner}/${repo.name}/compare/${u.before.slice(0, 12)}...${u.after.slice(0, 12)}`),
        commits: rendered,
        head_commit: head,
        pusher: { name: pusher.login, email: pusher.email },
      },
    });
  }
  for (const listener of emu.pushListeners) await listener(repo, updates, pusher);
}
