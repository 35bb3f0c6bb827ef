import { shouldRunOnBranch, type Presubmit } from '../../lib/config/index.ts';
import { needsExplicitTrigger } from '../../lib/jobs/index.ts';
import { branchRequirements } from '../../services/tide/sync/context-policy.ts';
import { applyPolicy, policyOf } from './merge-policy.ts';
import type { BranchProtectionConfig, Policy, RepoProtection } from './protection-config.ts';

/** What the config says of one branch: leave it alone, a mistake to fix, or the policy to hold it to. */
export type BranchVerdict =
  | { kind: 'skip'; why: string }
  | { kind: 'error'; message: string }
  | { kind: 'policy'; policy: Policy & { protect: boolean } };

/**
 * The contexts branch protection must require on `branch`, from the presubmits that can run there (Prow's
 * BranchRequirements): reported, non-optional jobs that always run. Jobs that run only on some changes
 * (run_if_changed, skip_if_only_changed) cannot be required, as their status may never appear on a PR; jobs
 * run only on request are required when the policy sets `require_manually_triggered_jobs`.
 */
export function requiredContexts(branch: string, presubmits: readonly Presubmit[], policy: Policy): { required: string[]; optional: string[] } {
  const { required, optional } = branchRequirements(branch, presubmits);
  if (policy.require_manually_triggered_jobs === true) {
    const manual = presubmits.filter((j) => !j.optional && !j.skip_report && needsExplicitTrigger(j) && shouldRunOnBranch(j, branch));
    required.push(...manual.map((j) => j.context));
  }
  return { required, optional };
}

/** True when a policy sets anything beyond `protect`. */
function definesSettings(policy: Policy): boolean {
  return (
    policy.required_status_checks !== undefined ||
    policy.enforce_admins !== undefined ||
    policy.restrictions !== undefined ||
    policy.required_pull_request_reviews !== undefined ||
    policy.required_linear_history !== undefined ||
    policy.allow_force_pushes !== undefined ||
    policy.allow_deletions !== undefined
  );
}

/**
 * The policy for one existing branch, as Prow's GetBranch and GetPolicy decide it: the branch's settings over
 * its repo's, the required presubmits' contexts added to the configured ones, and Prow's refusals (a branch
 * listed without `protect` anywhere above it; `protect: false` on a branch with required jobs, or with other
 * settings, unless allow_disabled_job_policies / allow_disabled_policies say so).
 */
export function branchPolicy(
  bp: BranchProtectionConfig,
  repoLevel: Policy,
  repo: RepoProtection | undefined,
  branch: string,
  presubmits: readonly Presubmit[],
): BranchVerdict {
  const own = repo?.branches?.[branch];
  let policy = own ? applyPolicy(repoLevel, policyOf(own)) : repoLevel;
  if (own && policy.protect === undefined) return { kind: 'error', message: 'a branch listed under branches: must set protect (or inherit it)' };
  if (policy.unmanaged === true) return { kind: 'skip', why: 'unmanaged' };

  const { required, optional } = requiredContexts(branch, presubmits, policy);
  if (required.length > 0) {
    if (policy.protect === false) {
      if (bp.allow_disabled_job_policies === true) return { kind: 'skip', why: `protect: false though required jobs run here (${required.join(', ')})` };
      return {
        kind: 'error',
        message: `required presubmits (${required.join(', ')}) need branch protection, but protect is false: set protect: true, or allow_disabled_job_policies: true`,
      };
    }
    policy = applyPolicy(policy, { required_status_checks: { contexts: required }, ...(bp['protect-tested-repos'] === true ? { protect: true } : {}) });
  } else if (bp.protect_repos_with_optional_jobs === true && optional.length > 0) {
    policy = applyPolicy(policy, { protect: true });
  }

  if (policy.protect === false && definesSettings(policy)) {
    if (bp.allow_disabled_policies !== true) {
      return { kind: 'error', message: 'defines protection settings but protect is false: drop the settings, set protect: true, or allow_disabled_policies: true' };
    }
    policy = { protect: false };
  }
  if (policy.protect === undefined) return { kind: 'skip', why: 'no protect setting applies' };
  return { kind: 'policy', policy: { ...policy, protect: policy.protect } };
}
