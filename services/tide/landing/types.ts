import type { TidePull } from '../pull.ts';

/** How a PR lands: a merge commit, one squashed commit, or its commits replayed (GitHub's three methods). */
export type MergeMethod = 'merge' | 'squash' | 'rebase';

/** What landing needs of a PR; a full `TidePull` fits. */
export type LandingPull = Pick<TidePull, 'org' | 'repo' | 'number' | 'author' | 'title' | 'body' | 'baseRef' | 'headRefName' | 'headSha'> &
  Partial<Pick<TidePull, 'mergeable' | 'canBeRebased' | 'updatedAt'>>;

/** One PR of a train, with the method it lands by. */
export interface TrainMember {
  pull: LandingPull;
  method: MergeMethod;
}

/** Prow's `tide.merge_commit_template` entry for a repo: Go templates over the PR. */
export interface MergeCommitTemplate {
  title?: string | undefined;
  body?: string | undefined;
}

/** A git author or committer. */
export interface GitIdentity {
  name: string;
  email: string;
}
