import { emptyPoolState, type PoolState } from './policy/index.ts';

/** What the service knows of a train beyond the policy's view: the commit it built and the ProwJobs it runs. */
export interface TrainRecord {
  /** The train's commit: what its jobs test and what the base fast-forwards to. */
  sha: string;
  /** Where the commit was pushed (`refs/heads/tide/<branch>/<id>`). */
  ref: string;
  /** The commit the train was built on: the base, or its parent train's commit. */
  parentSha: string;
  /** Per required job, the ProwJob of each attempt in order; a job passed on the base already has none. */
  jobs: Record<string, string[]>;
}

/** Why a PR that the queries admit is kept out of the queue until something changes. */
export type Hold =
  /** It failed a job on its own in a train; it returns when its head changes or that job passes on it again. */
  | { kind: 'ejected'; headSha: string; job: string; train: string; at: number }
  /** It does not apply on top of what is ahead of it; it returns when its head or the base changes. */
  | { kind: 'conflict'; headSha: string; baseSha: string; files: string[]; at: number };

/** One pool's persistent record: the policy's state and what the service needs to carry it out. */
export interface PoolDoc {
  key: string;
  state: PoolState;
  trains: Record<string, TrainRecord>;
  /** By PR number. */
  holds: Record<string, Hold>;
  /** How long a train takes from start to landing, averaged over the pool's landings; for ETAs. */
  trainMs: number | undefined;
  /** Tide's last action on the pool (`WAIT`, `TRIGGER_BATCH`, `MERGE_BATCH`, `BLOCKED`…) and its target PRs. */
  action: string;
  target: number[];
  error: string | undefined;
}

/** A pool seen for the first time. */
export function newPoolDoc(key: string, baseSha: string, window: number): PoolDoc {
  return { key, state: emptyPoolState(baseSha, window), trains: {}, holds: {}, trainMs: undefined, action: 'WAIT', target: [], error: undefined };
}

/** `record` without `key` (the doc's maps are plain JSON objects). */
export function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
