import type { TidePull } from '../pull.ts';
import { blockedByGitHub, type MergeBlocksPolicy } from './merge-blocks-policy.ts';

/** The `tide` commit status Tide keeps on a PR's head: its state and description. */
export interface TideStatus {
  state: 'success' | 'pending' | 'error';
  description: string;
}

/** GitHub refuses longer status descriptions. */
export const maxStatusDescriptionLength = 140;

const inPool = 'In merge pool.';
const inPoolDespiteBlocked = 'In merge pool (despite BLOCKED).';
const notInPool = 'Not mergeable.';

/** The code points of `text`: GitHub limits characters, and a cut must not split a surrogate pair. */
const codePoints = (text: string): string[] => Array.from(text);

/**
 * `text` cut to GitHub's 140 characters, ending in "..." when cut (Prow cuts at write time, in bytes; this
 * counts characters, which is what GitHub limits, and never splits one).
 */
export function fitDescription(text: string): string {
  const chars = codePoints(text);
  if (chars.length <= maxStatusDescriptionLength) return text;
  return `${chars.slice(0, maxStatusDescriptionLength - 3).join('')}...`;
}

const status = (state: TideStatus['state'], description: string): TideStatus => ({ state, description: fitDescription(description) });

/** A PR in the pool with every required job passed on the current base; a BLOCKED PR let in by `permit` says so. */
export function inPoolStatus(pull: Pick<TidePull, 'mergeStateStatus'>, policy: MergeBlocksPolicy): TideStatus {
  return status('success', policy === 'permit' && blockedByGitHub(pull) ? inPoolDespiteBlocked : inPool);
}

/** A PR Tide refuses to merge at all (see `mergeCheck`): "Not mergeable. PR has a merge conflict." and the like. */
export function unmergeableStatus(reason: string): TideStatus {
  return status('error', `${notInPool} ${reason}`);
}

/** A PR whose branch open blocker issues hold: "Not mergeable. Merging is blocked by issue 12." / "issues 12, 34." */
export function blockedByIssuesStatus(issues: readonly number[]): TideStatus {
  const noun = issues.length > 1 ? 'issues' : 'issue';
  return status('error', `${notInPool} Merging is blocked by ${noun} ${issues.join(', ')}.`);
}

/** A PR outside the pool: "Not mergeable." followed by what it lacks (see `closestQueryDiff`), which may be empty. */
export function notInPoolStatus(diff: string): TideStatus {
  return status('pending', `${notInPool}${diff}`);
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A PR in the pool still waiting for required jobs to pass on the current base: "Not mergeable. Retesting:
 * a b" with the contexts sorted, or " Retesting N jobs." when the list would not fit.
 */
export function retestingStatus(contexts: readonly string[]): TideStatus {
  const sorted = [...contexts].sort(byCodePoint);
  const all = `${notInPool} Retesting: ${sorted.join(' ')}`;
  if (codePoints(all).length <= maxStatusDescriptionLength) return status('pending', all);
  return status('pending', `${notInPool} Retesting ${String(sorted.length)} job${sorted.length > 1 ? 's' : ''}.`);
}

/** Where a PR stands in our merge queue, beyond what Tide can say. */
export interface QueuePlace {
  /** 1 for the PR that lands next. */
  position: number;
  /** How many PRs the pool's queue holds. */
  size: number;
  /** The train testing the PR, when one is. */
  train?: string | number | undefined;
  /** How long until the PR is expected to land. */
  etaMs?: number | undefined;
}

/** A duration as a reader of a status line wants it, to the nearest minute: "<1m", "25m", "2h", "1h05m". */
export function formatEta(ms: number): string {
  if (ms < 60_000) return '<1m';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${String(minutes)}m`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${String(hours)}h` : `${String(hours)}h${String(rest).padStart(2, '0')}m`;
}

/**
 * An in-pool status with the queue's view appended: "In merge pool. Position 3 of 7, train #41, ETA 25m."
 * (the train and ETA only when known). Statuses that are not success are returned as they are: the queue's
 * place means nothing to a PR that is not in it. When the whole would pass 140 characters the ETA goes first,
 * then the train, so the position is the last to be dropped.
 */
export function withQueuePlace(base: TideStatus, place: QueuePlace): TideStatus {
  if (base.state !== 'success') return base;
  const parts = [`Position ${String(place.position)} of ${String(place.size)}`];
  if (place.train !== undefined) parts.push(`train #${String(place.train)}`);
  if (place.etaMs !== undefined) parts.push(`ETA ${formatEta(place.etaMs)}`);
  for (let n = parts.length; n > 0; n--) {
    const text = `${base.description} ${parts.slice(0, n).join(', ')}.`;
    if (codePoints(text).length <= maxStatusDescriptionLength) return { state: base.state, description: text };
  }
  return base;
}
