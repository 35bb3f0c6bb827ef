import type { GitIdentity } from './types.ts';
import { GitCommandFailed, gitText, runGit } from './run-git.ts';
import { GitRefMoved } from './errors.ts';
import { isValidRefName } from './names.ts';

/** The all-zero object id git and GitHub use for "no commit" (a created or deleted ref). */
export const ZERO_SHA = '0000000000000000000000000000000000000000';

const hex = /^[0-9a-f]{4,40}$/i;

/** The commit `spec` peels to, or undefined. `spec` must already be a name git cannot read as an option. */
export async function peelCommit(gitDir: string, spec: string): Promise<string | undefined> {
  const r = await runGit(gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${spec}^{commit}`], { okCodes: [1, 128] });
  const out = r.stdout.toString('utf8').trim();
  return r.code === 0 && out !== '' ? out : undefined;
}

/** A branch or tag name, `refs/...` ref, `HEAD`, or full or abbreviated sha, resolved to a commit; undefined when nothing matches. */
export async function resolveCommit(gitDir: string, ref: string): Promise<string | undefined> {
  if (/^[0-9a-f]{40}$/i.test(ref)) return peelCommit(gitDir, ref.toLowerCase());
  if (ref === 'HEAD') return peelCommit(gitDir, 'HEAD');
  if (ref.startsWith('refs/')) return isValidRefName(ref) ? peelCommit(gitDir, ref) : undefined;
  if (!isValidRefName(`refs/heads/${ref}`)) return undefined;
  return (
    (await peelCommit(gitDir, `refs/heads/${ref}`)) ??
    (await peelCommit(gitDir, `refs/tags/${ref}`)) ??
    (hex.test(ref) ? await peelCommit(gitDir, ref.toLowerCase()) : undefined)
  );
}

/** The object a full ref name points at, unpeeled, or undefined when the ref does not exist. */
export async function refValue(gitDir: string, ref: string): Promise<string | undefined> {
  const r = await runGit(gitDir, ['show-ref', '--verify', '--hash', ref], { okCodes: [1, 128] });
  const out = r.stdout.toString('utf8').trim();
  return r.code === 0 && out !== '' ? out : undefined;
}

/** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestorCommit(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  const r = await runGit(gitDir, ['merge-base', '--is-ancestor', ancestor, descendant], { okCodes: [1] });
  return r.code === 0;
}

/** The best common ancestor of two commits, or undefined for unrelated histories. */
export async function mergeBaseOf(gitDir: string, a: string, b: string): Promise<string | undefined> {
  const r = await runGit(gitDir, ['merge-base', a, b], { okCodes: [1] });
  const out = r.stdout.toString('utf8').trim();
  return r.code === 0 && out !== '' ? out : undefined;
}

/** A person and the raw git date (`<unix seconds> <+hhmm>`) they acted at. */
export interface Signature extends GitIdentity {
  date: string;
}

/** Git's raw date for a moment, in UTC as GitHub records it. */
export function rawDate(at: Date): string {
  return `${Math.floor(at.getTime() / 1000)} +0000`;
}

/** Writes a commit object and returns its sha; the message is stored exactly as given. */
export async function commitTree(
  gitDir: string,
  tree: string,
  parents: readonly string[],
  message: string | Uint8Array,
  author: Signature,
  committer: Signature,
): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])];
  return gitText(gitDir, args, {
    input: message,
    env: {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: author.date,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: committer.date,
    },
  });
}

/**
 * Moves `ref` to `next` only if it still points at `expected` (undefined: only if it does not exist yet), so a
 * push or another process that moved it in between is never overwritten. Throws GitRefMoved when it lost.
 */
export async function compareAndSwapRef(gitDir: string, ref: string, next: string, expected: string | undefined): Promise<void> {
  try {
    await runGit(gitDir, ['update-ref', ref, next, expected ?? ZERO_SHA]);
  } catch (err) {
    if (err instanceof GitCommandFailed && (await refValue(gitDir, ref)) !== expected) throw new GitRefMoved(ref, expected);
    throw err;
  }
}

/** Deletes `ref` only if it still points at `expected`; throws GitRefMoved when it moved. */
export async function compareAndDeleteRef(gitDir: string, ref: string, expected: string): Promise<void> {
  try {
    await runGit(gitDir, ['update-ref', '-d', ref, expected]);
  } catch (err) {
    if (err instanceof GitCommandFailed && (await refValue(gitDir, ref)) !== expected) throw new GitRefMoved(ref, expected);
    throw err;
  }
}

/** The outcome of a three-way merge computed by `git merge-tree --write-tree`, without a work tree. */
export interface TreeMerge {
  clean: boolean;
  tree: string;
  conflicts: string[];
}

/** Merges the trees of two commits using their merge base(s), as `git merge` would; unrelated commits merge from an empty tree. */
export async function mergeTrees(gitDir: string, ours: string, theirs: string, unrelated = false): Promise<TreeMerge> {
  const args = ['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages'];
  if (unrelated) args.push('--allow-unrelated-histories');
  const r = await runGit(gitDir, [...args, ours, theirs], { okCodes: [1] });
  const [tree = '', ...paths] = r.stdout.toString('utf8').split('\0');
  const conflicts = [...new Set(paths.filter((p) => p !== ''))];
  return { clean: r.code === 0, tree, conflicts };
}
