import type { EmulatorState } from '../state/state.ts';
import type { CheckRun, CommitStatus, Review } from '../state/types.ts';

/** GraphQL's StatusState names. */
export type StatusStateName = 'ERROR' | 'EXPECTED' | 'FAILURE' | 'PENDING' | 'SUCCESS';

/** The latest status of each context on a commit, in the order the contexts first appeared. */
export function latestStatuses(state: EmulatorState, repoId: number, sha: string): CommitStatus[] {
  const byContext = new Map<string, CommitStatus>();
  for (const s of state.statuses.values()) if (s.repoId === repoId && s.sha === sha) byContext.set(s.context, s);
  return [...byContext.values()];
}

/** The latest check run of each (App, name) on a commit: a re-run replaces the earlier one in the rollup. */
export function latestCheckRuns(state: EmulatorState, repoId: number, sha: string): CheckRun[] {
  const byName = new Map<string, CheckRun>();
  for (const c of state.checkRuns.values()) if (c.repoId === repoId && c.headSha === sha) byName.set(`${c.appId ?? ''}:${c.name}`, c);
  return [...byName.values()];
}

/** A combined state the way GitHub folds contexts: any error, then any failure, then any pending wins. */
function fold(states: readonly StatusStateName[]): StatusStateName {
  for (const s of ['ERROR', 'FAILURE', 'PENDING'] as const) if (states.includes(s)) return s;
  return 'SUCCESS';
}

/** One status's state in GraphQL's names. */
export function statusState(s: CommitStatus): StatusStateName {
  return s.state.toUpperCase() as StatusStateName;
}

/** A check run seen as a status: unfinished is pending; success, neutral and skipped pass. */
export function checkRunState(c: CheckRun): StatusStateName {
  if (c.status !== 'completed') return 'PENDING';
  return c.conclusion === 'success' || c.conclusion === 'neutral' || c.conclusion === 'skipped' ? 'SUCCESS' : 'FAILURE';
}

/** `Status.state`: the combined state of the commit's statuses. */
export function combinedStatusState(statuses: readonly CommitStatus[]): StatusStateName {
  return fold(statuses.map(statusState));
}

/** `StatusCheckRollup.state`: statuses and check runs together. */
export function rollupState(statuses: readonly CommitStatus[], checks: readonly CheckRun[]): StatusStateName {
  return fold([...statuses.map(statusState), ...checks.map(checkRunState)]);
}

/** Submitted reviews of a PR, oldest first. */
export function pullReviews(state: EmulatorState, repoId: number, number: number): Review[] {
  return [...state.reviews.values()].filter((r) => r.repoId === repoId && r.pullNumber === number && r.state !== 'PENDING');
}

/**
 * `PullRequest.reviewDecision`. The emulator has no branch protection, so it answers as a repo requiring
 * one approval would: each reviewer's latest approving, blocking or dismissed review counts, any
 * change request blocks, otherwise one approval approves, otherwise review is required.
 */
export function reviewDecision(state: EmulatorState, repoId: number, number: number): 'APPROVED' | 'CHANGES_REQUESTED' | 'REVIEW_REQUIRED' {
  const latest = new Map<number, Review['state']>();
  for (const r of pullReviews(state, repoId, number)) {
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED' || r.state === 'DISMISSED') latest.set(r.userId, r.state);
  }
  const opinions = [...latest.values()];
  if (opinions.includes('CHANGES_REQUESTED')) return 'CHANGES_REQUESTED';
  return opinions.includes('APPROVED') ? 'APPROVED' : 'REVIEW_REQUIRED';
}
