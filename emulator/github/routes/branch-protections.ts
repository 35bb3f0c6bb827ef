import type { EmulatorState } from '../state/state.ts';
import type { Repo } from '../state/types.ts';

/** The rules GitHub's branch protection holds, as the REST API sets them. */
export interface BranchProtection {
  requiredStatusChecks: { strict: boolean; contexts: string[] } | null;
  enforceAdmins: boolean;
  requiredReviews: { count: number; dismissStale: boolean; codeOwners: boolean } | null;
  /** Logins and team slugs who may push; null when anyone with write may. */
  restrictions: { users: string[]; teams: string[] } | null;
  linearHistory: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
}

/**
 * Branch protection rules per emulator, keyed by repo id and branch. They live beside EmulatorState rather
 * than in it because only the branch and merge routes read them.
 */
const byState = new WeakMap<EmulatorState, Map<string, BranchProtection>>();

function rules(state: EmulatorState): Map<string, BranchProtection> {
  let map = byState.get(state);
  if (!map) {
    map = new Map();
    byState.set(state, map);
  }
  return map;
}

/** The protection of one branch, if it has any. */
export function protectionOf(state: EmulatorState, repo: Repo, branch: string): BranchProtection | undefined {
  return rules(state).get(`${repo.id}:${branch}`);
}

/** Sets (or with undefined, removes) the protection of one branch. */
export function setProtection(state: EmulatorState, repo: Repo, branch: string, p: BranchProtection | undefined): void {
  if (p) rules(state).set(`${repo.id}:${branch}`, p);
  else rules(state).delete(`${repo.id}:${branch}`);
}
