import type { MergeRequest } from './types.ts';
import { GitMergeConflict, GitRefNotFound } from './errors.ts';
import { readCommitObjects } from './commit-object.ts';
import { qualifyRef } from './names.ts';
import {
  commitTree,
  compareAndSwapRef,
  isAncestorCommit,
  mergeBaseOf,
  mergeTrees,
  rawDate,
  refValue,
  resolveCommit,
  type Signature,
} from './plumbing.ts';
import { gitText } from './run-git.ts';

/**
 * Replays each commit of `base..head` (oldest first, merges skipped) on top of `base`, with cherry-pick
 * semantics: a three-way merge whose base is the commit's own parent. Git 2.39's merge-tree has no
 * `--merge-base`, so a throwaway commit holding the current tree on top of that parent makes the parent the
 * merge base. Commits that become empty are dropped, as `git rebase` does.
 */
async function replay(gitDir: string, base: string, head: string, committer: Signature): Promise<string> {
  const list = await gitText(gitDir, ['rev-list', '--reverse', '--topo-order', '--no-merges', `${base}..${head}`]);
  const shas = list === '' ? [] : list.split('\n');
  const objects = await readCommitObjects(gitDir, shas);
  let tip = base;
  let tipTree = await gitText(gitDir, ['rev-parse', `${base}^{tree}`]);
  for (const sha of shas) {
    const commit = objects.get(sha);
    if (!commit) throw new GitRefNotFound(sha);
    const parent = commit.info.parents[0];
    const ours = await commitTree(gitDir, tipTree, parent === undefined ? [] : [parent], 'replay\n', committer, committer);
    const merged = await mergeTrees(gitDir, ours, sha, parent === undefined);
    if (!merged.clean) throw new GitMergeConflict(merged.conflicts, sha);
    if (merged.tree === tipTree) continue;
    tip = await commitTree(gitDir, merged.tree, [tip], commit.rawMessage, commit.author, committer);
    tipTree = merged.tree;
  }
  return tip;
}

/**
 * Merges, squashes or rebases `req.head` into branch `req.base` and moves the branch with a compare-and-swap.
 * A head already contained in the base changes nothing and answers the base's sha. Throws GitMergeConflict
 * (nothing written to the branch) or GitRefMoved when the branch moved while the merge was computed.
 */
export async function mergeIntoBranch(gitDir: string, req: MergeRequest, now: Date): Promise<{ sha: string }> {
  const ref = qualifyRef(req.base);
  const baseTip = await refValue(gitDir, ref);
  if (baseTip === undefined) throw new GitRefNotFound(req.base);
  const head = await resolveCommit(gitDir, req.head);
  if (head === undefined) throw new GitRefNotFound(req.head);
  if (await isAncestorCommit(gitDir, head, baseTip)) return { sha: baseTip };
  if ((await mergeBaseOf(gitDir, baseTip, head)) === undefined) throw new GitMergeConflict([]);

  const committer: Signature = { ...req.committer, date: rawDate(now) };
  const author: Signature = req.author ? { ...req.author, date: committer.date } : committer;
  const message = `${req.title}${req.message === '' ? '' : `\n\n${req.message}`}\n`;
  let sha: string;
  if (req.method === 'rebase') {
    sha = await replay(gitDir, baseTip, head, committer);
  } else {
    const merged = await mergeTrees(gitDir, baseTip, head);
    if (!merged.clean) throw new GitMergeConflict(merged.conflicts);
    const parents = req.method === 'merge' ? [baseTip, head] : [baseTip];
    sha = await commitTree(gitDir, merged.tree, parents, message, author, committer);
  }
  if (sha !== baseTip) await compareAndSwapRef(gitDir, ref, sha, baseTip);
  return { sha };
}
