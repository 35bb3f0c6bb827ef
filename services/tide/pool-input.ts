import type { MergeMethod } from './landing/index.ts';
import type { TidePull } from './pull.ts';

/** How the sync judged one PR of a pool. */
export interface PoolPullInput {
  pull: TidePull;
  /**
   * `eligible`: may join the queue; `own-ci-failed`: kept out only by its own required presubmits failing (it
   * stays if it already rides a train, which tests it anyway); `excluded`: kept out, `status` says why.
   */
  verdict: 'eligible' | 'own-ci-failed' | 'excluded';
  /** Tide's `tide` status for the PR as the sync sees it (the queue adds its place to an in-pool status). */
  status: { state: 'success' | 'pending' | 'error'; description: string };
  mergeMethod?: MergeMethod | undefined;
  /** The contexts the PR must pass: its required presubmits' contexts (others are its own status's business). */
  requiredContexts: readonly string[];
}

/** One pool as a sync found it: what the merge queue of `org/repo:branch` works from. */
export interface PoolInput {
  key: string;
  org: string;
  repo: string;
  branch: string;
  baseSha: string;
  pulls: readonly PoolPullInput[];
  blockers: readonly { number: number; title: string; url: string }[];
}
