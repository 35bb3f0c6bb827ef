import type { PoolState, Train } from './pool-state.ts';

/** What the policy asks its driver to do; the driver reports back through the functions of decide.ts. */
export type PolicyAction =
  /**
   * Build the train's commit (its parent's, or the base, plus its batch) and run its jobs (`train.jobs`) on
   * it. A train with `check` set is a check: run it the same way; it is never landed.
   */
  | { kind: 'start-train'; train: Train }
  /** Run one job of a train again (its first run failed). */
  | { kind: 'retry-job'; train: string; job: string }
  /** Stop a train's jobs: it is no longer wanted. */
  | { kind: 'cancel-train'; train: string }
  /** Land the train's tested commit, with every PR in it. */
  | { kind: 'land'; train: string; numbers: number[] }
  /** Take a PR out of the queue: it failed `job` alone. */
  | { kind: 'eject'; number: number; job: string; train: string };

/** The next state and what to do. */
export interface Decision {
  state: PoolState;
  actions: PolicyAction[];
}

/** The required jobs of a commit made of these PRs (the union of what their changes require). */
export type JobsFor = (members: readonly number[]) => string[];
