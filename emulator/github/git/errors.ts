/**
 * Errors the git store throws. Each carries `status`, the HTTP status GitHub answers for the same situation,
 * so the REST layer can map them without a table of its own.
 */
export class GitStoreError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = new.target.name;
    this.status = status;
  }
}

/** The repository does not exist on disk. */
export class GitRepoNotFound extends GitStoreError {
  readonly owner: string;
  readonly repo: string;

  constructor(owner: string, repo: string) {
    super(`repository ${owner}/${repo} does not exist`, 404);
    this.owner = owner;
    this.repo = repo;
  }
}

/** createRepo was asked for a repository that already exists. */
export class GitRepoExists extends GitStoreError {
  readonly owner: string;
  readonly repo: string;

  constructor(owner: string, repo: string) {
    super(`repository ${owner}/${repo} already exists`, 422);
    this.owner = owner;
    this.repo = repo;
  }
}

/** A branch, ref or sha that the operation needs does not resolve. */
export class GitRefNotFound extends GitStoreError {
  readonly ref: string;

  constructor(ref: string) {
    super(`no commit or ref named ${JSON.stringify(ref)}`, 404);
    this.ref = ref;
  }
}

/** A name the store refuses: an owner, repo, ref or path that is empty, escapes its folder or has forbidden characters. */
export class GitInvalidName extends GitStoreError {
  readonly kind: 'owner' | 'repo' | 'ref' | 'path';
  readonly value: string;

  constructor(kind: 'owner' | 'repo' | 'ref' | 'path', value: string) {
    super(`invalid ${kind} ${JSON.stringify(value)}`, 422);
    this.kind = kind;
    this.value = value;
  }
}

/** updateRef without force to a commit that does not contain the ref's current commit. */
export class GitNotFastForward extends GitStoreError {
  readonly ref: string;
  readonly current: string;
  readonly requested: string;

  constructor(ref: string, current: string, requested: string) {
    super(`update of ${ref} from ${current} to ${requested} is not a fast forward`, 422);
    this.ref = ref;
    this.current = current;
    this.requested = requested;
  }
}

/** A merge, squash or rebase that does not apply cleanly; nothing moved. */
export class GitMergeConflict extends GitStoreError {
  /** Conflicting paths; empty when the histories are unrelated. */
  readonly conflicts: string[];
  /** For rebase: the head commit whose replay conflicted. */
  readonly commit: string | undefined;

  constructor(conflicts: string[], commit?: string) {
    super(
      conflicts.length > 0
        ? `merge conflict in ${conflicts.join(', ')}`
        : 'the branches share no history and cannot be merged',
      405,
    );
    this.conflicts = conflicts;
    this.commit = commit;
  }
}

/** The ref changed between reading it and moving it (a push or another process won the race); nothing was written to it. */
export class GitRefMoved extends GitStoreError {
  readonly ref: string;
  readonly expected: string | undefined;

  constructor(ref: string, expected: string | undefined) {
    super(`${ref} moved while it was being updated; read it again and retry`, 409);
    this.ref = ref;
    this.expected = expected;
  }
}
