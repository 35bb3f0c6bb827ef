import type { MergeMethod, ProwConfig } from '../../../lib/config/index.ts';
import type { TidePull } from '../pull.ts';
import { unsuccessfulContexts, type ContextPolicy, type UnsuccessfulContext } from './context-policy.ts';
import { blockedByGitHub, mergeBlocksPolicy } from './merge-blocks-policy.ts';
import { pullMergeMethod } from './merge-method.ts';
import type { RepoMergeMethods } from './repo-merge-methods.ts';

/** Whether Tide may merge a PR at all, and how (Prow's `isAllowedToMerge`); `reason` is Tide's own wording. */
export type MergeCheck = { allowed: true; method: MergeMethod } | { allowed: false; reason: string; method?: MergeMethod };

/**
 * Prow's `isAllowedToMerge`, in its order: a merge conflict; conflicting merge-method override labels; rebase
 * asked for but GitHub cannot rebase the PR; a method the repo's settings forbid (checked only when
 * `repoMethods` is given); GitHub reporting the PR BLOCKED under `github_merge_blocks_policy: block`.
 */
export function mergeCheck(tide: ProwConfig['tide'], pull: TidePull, repoMethods?: RepoMergeMethods): MergeCheck {
  if (pull.mergeable === 'CONFLICTING') return { allowed: false, reason: 'PR has a merge conflict.' };
  const chosen = pullMergeMethod(tide, pull);
  if (!('method' in chosen)) return { allowed: false, reason: 'PR has conflicting merge method override labels' };
  const { method } = chosen;
  if (method === 'rebase' && !pull.canBeRebased) return { allowed: false, reason: "PR can't be rebased", method };
  if (repoMethods !== undefined && !repoMethods[method]) return { allowed: false, reason: `Merge type "${method}" disallowed by repo settings`, method };
  if (blockedByGitHub(pull) && mergeBlocksPolicy(tide, pull.org, pull.repo) === 'block') {
    return { allowed: false, reason: 'PR is blocked from merging by GitHub (check branch protection, required reviews, or rulesets)', method };
  }
  return { allowed: true, method };
}

/**
 * What the queue may do with a PR this sync. `eligible`: Tide would keep it in the pool, so it may ride a
 * train. `own-ci-failed`: Tide would drop it, but only because presubmits Prow itself runs for it (its
 * required ones) failed or never reported on its head; a train tests those anyway, so a PR already riding
 * one may stay. `excluded`: anything else keeps it out.
 */
export type Verdict = 'eligible' | 'own-ci-failed' | 'excluded';

/** Why a PR is not eligible: Tide's merge refusal, or the head contexts that keep it out. */
export type Exclusion = { kind: 'unmergeable'; reason: string } | { kind: 'contexts'; contexts: UnsuccessfulContext[] };

/** A PR's verdict, why, and the method it would merge with (absent when its labels conflict). */
export interface PullEligibility {
  verdict: Verdict;
  exclusion?: Exclusion;
  mergeMethod?: MergeMethod;
}

/** What judging one PR takes besides the PR. */
export interface EligibilityInput {
  tide: ProwConfig['tide'];
  /** The context policy of the PR's branch (see `contextPolicyFor`). */
  policy: ContextPolicy;
  /** Contexts of the presubmits Tide requires of this PR (see `requiredPresubmits`): the Prow-controlled ones. */
  prowContexts: ReadonlySet<string>;
  repoMethods?: RepoMergeMethods | undefined;
}

/**
 * Prow's `filterPR` for one PR, plus the queue's `own-ci-failed`: refused by `mergeCheck`, it is excluded;
 * otherwise every head context that is not optional must be successful, except that a pending or missing one
 * may wait when it is a Prow presubmit of this PR (external CI must be green before a PR enters the pool).
 * Failed non-optional contexts, and pending or missing external ones, keep it out.
 */
export function pullEligibility(pull: TidePull, input: EligibilityInput): PullEligibility {
  const check = mergeCheck(input.tide, pull, input.repoMethods);
  const method = check.method === undefined ? {} : { mergeMethod: check.method };
  if (!check.allowed) return { verdict: 'excluded', exclusion: { kind: 'unmergeable', reason: check.reason }, ...method };
  // A Prow presubmit still running, or never reported on this head, does not keep the PR out: the queue runs
  // it in the PR's train anyway. (Prow filters the never-reported ones until trigger has run them.)
  const blocking = unsuccessfulContexts(input.policy, pull.contexts).filter((c) => c.state === 'failure' || !input.prowContexts.has(c.context));
  if (blocking.length === 0) return { verdict: 'eligible', ...method };
  const ownOnly = blocking.every((c) => input.prowContexts.has(c.context));
  return { verdict: ownOnly ? 'own-ci-failed' : 'excluded', exclusion: { kind: 'contexts', contexts: blocking }, ...method };
}
