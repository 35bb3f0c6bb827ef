/** One commit as the emulator's REST and GraphQL layers need it. */
export interface GitCommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitIdentity & { date: string };
  committer: GitIdentity & { date: string };
}

export interface GitIdentity {
  name: string;
  email: string;
}

/** One changed file between two commits, in the shape of GitHub's pull request files. */
export interface GitFileChange {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
  /** Blob sha of the file at head (the base's for removed files). */
  sha: string;
}

export interface GitComparison {
  mergeBase: string | undefined;
  aheadBy: number;
  behindBy: number;
  commits: GitCommitInfo[];
  files: GitFileChange[];
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeRequest {
  /** Branch to merge into (it moves). */
  base: string;
  /** Commit to merge. */
  head: string;
  method: MergeMethod;
  /** First line of the merge or squash commit message. */
  title: string;
  /** Rest of the message. */
  message: string;
  committer: GitIdentity;
  /** Author of the merge or squash commit; the committer when absent. Rebased commits keep their own authors. */
  author?: GitIdentity | undefined;
}

/** One entry of a tree, as GitHub's trees and contents APIs list it. */
export interface GitTreeEntry {
  /** Full path from the repository root. */
  path: string;
  /** Git's octal mode: `100644`, `100755`, `120000` (symlink), `040000` (tree), `160000` (submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Blob size in bytes; absent for trees and submodules. */
  size?: number;
}

/** A ref change seen by a push over smart HTTP, as GitHub's push webhook reports it. */
export interface RefUpdate {
  ref: string;
  before: string;
  after: string;
}

/** Files to write in one commit: a string (UTF-8) or bytes is the new content, null deletes the file or directory. */
export type FileChanges = Record<string, string | Uint8Array | null>;

/**
 * The emulator's real git: one bare repository per repo on disk. Every method that names a repo takes
 * `owner` and `repo`; shas are full 40-hex strings.
 */
export interface GitStore {
  /** Directory holding `<owner>/<repo>.git`. */
  readonly root: string;
  createRepo(owner: string, repo: string, defaultBranch: string): Promise<void>;
  deleteRepo(owner: string, repo: string): Promise<void>;
  /** Commits `files` on top of `branch` (created from `from` when missing) and moves the branch. */
  commitFiles(
    owner: string,
    repo: string,
    opts: { branch: string; from?: string; files: FileChanges; message: string; author: GitIdentity },
  ): Promise<string>;
  /** Full sha of a branch name, `refs/...` ref or sha; undefined when it does not exist. */
  resolve(owner: string, repo: string, ref: string): Promise<string | undefined>;
  /** Every ref under `refs/heads/` (names without the prefix) with its sha. */
  branches(owner: string, repo: string): Promise<{ name: string; sha: string }[]>;
  /** Sets a ref (`refs/heads/x`, `refs/pull/1/head`...). Without `force`, only fast-forwards; else throws GitNotFastForward. */
  updateRef(owner: string, repo: string, ref: string, sha: string, force: boolean): Promise<void>;
  deleteRef(owner: string, repo: string, ref: string): Promise<void>;
  commit(owner: string, repo: string, sha: string): Promise<GitCommitInfo | undefined>;
  /** Commits reachable from `head` and not from `base`, oldest first, with the files changed from the merge base. */
  compare(owner: string, repo: string, base: string, head: string): Promise<GitComparison>;
  isAncestor(owner: string, repo: string, ancestor: string, descendant: string): Promise<boolean>;
  /** Whether `head` merges cleanly into `base`, and the conflicting paths when not. Never moves a ref. */
  mergeability(owner: string, repo: string, base: string, head: string): Promise<{ mergeable: boolean; conflicts: string[] }>;
  /** Merges, squashes or rebases `head` onto branch `base` and moves it; throws GitMergeConflict on conflict. */
  merge(owner: string, repo: string, req: MergeRequest): Promise<{ sha: string }>;
  /** Reads one file at a ref; undefined when missing. */
  readFile(owner: string, repo: string, ref: string, path: string): Promise<Buffer | undefined>;
  /**
   * Lists the directory `path` ('' for the root) at a ref or tree sha, every level below it when `recursive`
   * (trees included, as GitHub's recursive trees API does); undefined when the ref or directory is missing.
   */
  listTree(owner: string, repo: string, ref: string, path: string, recursive: boolean): Promise<GitTreeEntry[] | undefined>;
}
