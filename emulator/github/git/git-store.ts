import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { GitComparison, GitIdentity, GitStore } from './types.ts';
import { GitNotFastForward, GitRefNotFound, GitRepoExists, GitRepoNotFound } from './errors.ts';
import { readCommitObjects } from './commit-object.ts';
import { diffFiles } from './file-changes.ts';
import { listTreeEntries } from './tree-entries.ts';
import { mergeIntoBranch } from './merge-branch.ts';
import { checkRepoName, normalizePath, qualifyRef } from './names.ts';
import {
  commitTree,
  compareAndDeleteRef,
  compareAndSwapRef,
  isAncestorCommit,
  mergeBaseOf,
  mergeTrees,
  peelCommit,
  rawDate,
  refValue,
  resolveCommit,
} from './plumbing.ts';
import { withRepoLock } from './repo-lock.ts';
import { gitText, runGit } from './run-git.ts';
import { writeTree } from './tree-writer.ts';

/** Options of createGitStore. */
export interface GitStoreOptions {
  /** Committer of commits made by commitFiles; each commit's author when absent. */
  committer?: GitIdentity | undefined;
  /** The clock for author and committer dates. */
  now?: (() => Date) | undefined;
}

/** Where a repository lives under `root`: `<root>/<owner>/<repo>.git`. Throws GitInvalidName for unsafe names. */
export function repoPath(root: string, owner: string, repo: string): string {
  checkRepoName('owner', owner);
  checkRepoName('repo', repo);
  return path.join(root, owner, `${repo}.git`);
}

async function exists(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** A GitStore backed by bare repositories under `root`, driven through git's plumbing commands. */
export function createGitStore(root: string, opts: GitStoreOptions = {}): GitStore {
  const absRoot = path.resolve(root);
  const now = opts.now ?? (() => new Date());

  async function open(owner: string, repo: string): Promise<string> {
    const dir = repoPath(absRoot, owner, repo);
    if (!(await exists(dir))) throw new GitRepoNotFound(owner, repo);
    return dir;
  }

  async function mustResolve(dir: string, ref: string): Promise<string> {
    const sha = await resolveCommit(dir, ref);
    if (sha === undefined) throw new GitRefNotFound(ref);
    return sha;
  }

  return {
    root: absRoot,

    async createRepo(owner, repo, defaultBranch) {
      const dir = repoPath(absRoot, owner, repo);
      const head = qualifyRef(defaultBranch);
      await withRepoLock(dir, async () => {
        if (await exists(dir)) throw new GitRepoExists(owner, repo);
        await mkdir(path.dirname(dir), { recursive: true });
        await runGit(dir, ['init', '--quiet', '--bare', dir]);
        await runGit(dir, ['symbolic-ref', 'HEAD', head]);
      });
    },

    async deleteRepo(owner, repo) {
      const dir = await open(owner, repo);
      await withRepoLock(dir, () => rm(dir, { recursive: true, force: true }));
    },

    async commitFiles(owner, repo, { branch, from, files, message, author }) {
      const dir = await open(owner, repo);
      const ref = qualifyRef(branch);
      return withRepoLock(dir, async () => {
        const current = await refValue(dir, ref);
        let parent = current;
        parent ??= from === undefined ? await peelCommit(dir, 'HEAD') : await mustResolve(dir, from);
        const tree = await writeTree(dir, parent, files);
        const date = rawDate(now());
        const sha = await commitTree(
          dir,
          tree,
          parent === undefined ? [] : [parent],
          message.endsWith('\n') ? message : `${message}\n`,
          { ...author, date },
          { ...(opts.committer ?? author), date },
        );
        await compareAndSwapRef(dir, ref, sha, current);
        return sha;
      });
    },

    async resolve(owner, repo, ref) {
      return resolveCommit(await open(owner, repo), ref);
    },

    async branches(owner, repo) {
      const dir = await open(owner, repo);
      const out = await gitText(dir, ['for-each-ref', '--sort=refname', '--format=%(objectname) %(refname:strip=2)', 'refs/heads/']);
      if (out === '') return [];
      return out.split('\n').map((line) => ({ name: line.slice(41), sha: line.slice(0, 40) }));
    },

    async updateRef(owner, repo, ref, sha, force) {
      const dir = await open(owner, repo);
      const full = qualifyRef(ref);
      const target = await mustResolve(dir, sha);
      await withRepoLock(dir, async () => {
        const current = await refValue(dir, full);
        if (current === target) return;
        if (!force && current !== undefined && !(await isAncestorCommit(dir, current, target))) {
          throw new GitNotFastForward(full, current, target);
        }
        await compareAndSwapRef(dir, full, target, current);
      });
    },

    async deleteRef(owner, repo, ref) {
      const dir = await open(owner, repo);
      const full = qualifyRef(ref);
      await withRepoLock(dir, async () => {
        const current = await refValue(dir, full);
        if (current === undefined) throw new GitRefNotFound(ref);
        await compareAndDeleteRef(dir, full, current);
      });
    },

    async commit(owner, repo, sha) {
      const dir = await open(owner, repo);
      const resolved = await resolveCommit(dir, sha);
      if (resolved === undefined) return undefined;
      return (await readCommitObjects(dir, [resolved])).get(resolved)?.info;
    },

    async compare(owner, repo, base, head): Promise<GitComparison> {
      const dir = await open(owner, repo);
      const [b, h] = await Promise.all([mustResolve(dir, base), mustResolve(dir, head)]);
      const [mergeBase, counts, list] = await Promise.all([
        mergeBaseOf(dir, b, h),
        gitText(dir, ['rev-list', '--left-right', '--count', `${b}...${h}`]),
        gitText(dir, ['rev-list', '--reverse', '--topo-order', `${b}..${h}`]),
      ]);
      const [behindBy = 0, aheadBy = 0] = counts.split(/\s+/).map(Number);
      const shas = list === '' ? [] : list.split('\n');
      const objects = await readCommitObjects(dir, shas);
      // GitHub diffs from the merge base (three dots); unrelated histories fall back to the base tip.
      const files = await diffFiles(dir, mergeBase ?? b, h);
      const commits = shas.flatMap((s) => {
        const info = objects.get(s)?.info;
        return info ? [info] : [];
      });
      return { mergeBase, aheadBy, behindBy, commits, files };
    },

    async isAncestor(owner, repo, ancestor, descendant) {
      const dir = await open(owner, repo);
      const [a, d] = await Promise.all([resolveCommit(dir, ancestor), resolveCommit(dir, descendant)]);
      if (a === undefined || d === undefined) return false;
      return isAncestorCommit(dir, a, d);
    },

    async mergeability(owner, repo, base, head) {
      const dir = await open(owner, repo);
      const [b, h] = await Promise.all([mustResolve(dir, base), mustResolve(dir, head)]);
      if ((await mergeBaseOf(dir, b, h)) === undefined) return { mergeable: false, conflicts: [] };
      const merged = await mergeTrees(dir, b, h);
      return { mergeable: merged.clean, conflicts: merged.clean ? [] : merged.conflicts };
    },

    async merge(owner, repo, req) {
      const dir = await open(owner, repo);
      return withRepoLock(dir, () => mergeIntoBranch(dir, req, now()));
    },

    async readFile(owner, repo, ref, file) {
      const dir = await open(owner, repo);
      const sha = await resolveCommit(dir, ref);
      if (sha === undefined) return undefined;
      const r = await runGit(dir, ['cat-file', 'blob', `${sha}:${normalizePath(file)}`], { okCodes: [128] });
      return r.code === 0 ? r.stdout : undefined;
    },

    async listTree(owner, repo, ref, dirPath, recursive) {
      const dir = await open(owner, repo);
      const treeish = (await resolveCommit(dir, ref)) ?? (/^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : undefined);
      if (treeish === undefined) return undefined;
      const prefix = dirPath.replace(/^\/+|\/+$/g, '') === '' ? '' : normalizePath(dirPath);
      return listTreeEntries(dir, treeish, prefix, recursive);
    },
  };
}
