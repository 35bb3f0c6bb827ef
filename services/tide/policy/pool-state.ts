/**
 * The merge queue of one pool (`org/repo:branch`) as plain JSON, so it can be kept in Redis and replayed in
 * the simulation: the queue, the speculative trains under test, the measured rates and the window.
 */

/** A PR waiting in the queue or riding in a train. */
export interface QueueEntry {
  number: number;
  headSha: string;
  /** Index of the first `tide.priority` label set the PR matches; the set count when it matches none. */
  priority: number;
  /** When the PR became mergeable (ms since the epoch): the order within a priority class. */
  since: number;
  /**
   * Set by the policy once the PR passed every required job in a screen (or was cleared by probes of the
   * jobs its screen failed): it is then far less likely to break a train than a PR nobody tested lately.
   */
  screened?: boolean;
}

/** One required job of a train: a fresh run, then at most one retry (a fail-then-pass is a flake). */
export interface TrainJob {
  state: 'pending' | 'success' | 'failure';
  attempts: number;
}

/**
 * A speculative train: its own batch tested on top of its parent train's commit (or the base when it has
 * none), so it tests everything ahead of it too.
 */
export interface Train {
  id: string;
  /** The train this one is built on; undefined when it is built on the base itself. */
  parent: string | undefined;
  /** The PRs this train adds. */
  batch: number[];
  /** Every PR in the commit under test: the parent's members, then the batch. */
  members: number[];
  state: 'testing' | 'green' | 'red' | 'landing';
  jobs: Record<string, TrainJob>;
  startedAt: number;
  /** Set on a check: a train outside the chain, run for what its result tells, never landed. */
  check?: Check;
}

/**
 * What a check is for. A `screen` tests a batch of waiting PRs on the base, so the chain can take them in
 * big batches once they passed, and a bad one is found before it breaks a train. A `probe` runs the one job
 * that failed in train or screen `of` on that train's parent plus one of its PRs, to name the culprit
 * without bisecting with whole trains.
 */
export type Check = { kind: 'screen' } | { kind: 'probe'; of: string; job: string };

/** What the pool has learned from its trains, as exponentially weighted averages. */
export interface Estimates {
  /** The chance a PR is truly bad (fails every run it is in). */
  failure: number;
  /** The chance one job run fails although it passes on retry. */
  flake: number;
  /** The chance a screened PR still breaks a train; `screenedPrior` when unset. */
  screenedFailure?: number;
}

export interface PoolState {
  /** The base commit every live train is built on. */
  baseSha: string;
  /** Every PR in the queue, in queue order. */
  queue: QueueEntry[];
  /** The live trains, front of the chain first; each one's parent is the one before it. */
  trains: Train[];
  /**
   * Batches fixed by a split: after a failed batch its halves are tested as batches of their own, at the
   * front of what is not yet in a train.
   */
  groups: number[][];
  /** How many trains may be under test at once (Zuul's window). */
  window: number;
  estimates: Estimates;
  nextTrain: number;
  /** Live checks (screens and probes); absent in a state written before checks existed. */
  checks?: Train[];
}

/** Prior rates for a pool with no history: 5% bad PRs, 2% of job runs flaky. */
export const priorEstimates: Estimates = { failure: 0.05, flake: 0.02 };

/** Prior chance that a PR which passed its screen still breaks a train (a conflict with a PR ahead of it). */
export const screenedPrior = 0.01;

/** An empty queue on `baseSha`. */
export function emptyPoolState(baseSha: string, window: number): PoolState {
  return { baseSha, queue: [], trains: [], groups: [], window, estimates: { ...priorEstimates }, nextTrain: 1 };
}
