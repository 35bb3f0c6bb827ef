/**
 * What Tide knows of one open pull request after a sync: the fields of Tide's GraphQL search, with the head
 * commit's status contexts and check runs folded into one list of contexts.
 */
export interface TidePull {
  org: string;
  repo: string;
  number: number;
  author: string;
  title: string;
  body: string;
  /** The branch the PR merges into (`baseRef.name`). */
  baseRef: string;
  headRefName: string;
  headSha: string;
  mergeable: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
  /** GitHub's mergeStateStatus: CLEAN, BLOCKED, BEHIND, DIRTY, UNSTABLE, HAS_HOOKS, UNKNOWN, DRAFT. */
  mergeStateStatus: string;
  canBeRebased: boolean;
  reviewDecision: 'APPROVED' | 'CHANGES_REQUESTED' | 'REVIEW_REQUIRED' | null;
  labels: string[];
  milestone: string | undefined;
  updatedAt: string;
  /** The head commit's contexts: statuses and check runs (a check run as its name), best state per name. */
  contexts: TideContext[];
}

/** One status context or check run on the head commit, in Tide's simple states. */
export interface TideContext {
  context: string;
  state: 'success' | 'pending' | 'failure';
  description: string;
}

/** The pool a PR belongs to: `org/repo:branch`. */
export function poolKey(pull: Pick<TidePull, 'org' | 'repo' | 'baseRef'>): string {
  return `${pull.org}/${pull.repo}:${pull.baseRef}`;
}
