import type { ProwConfig } from '../../../lib/config/index.ts';
import type { TidePull } from '../pull.ts';

/**
 * What Tide does with a PR GitHub reports as `mergeStateStatus: BLOCKED` (branch protection, required
 * reviews, rulesets): `block` keeps it out of the pool, `permit` lets it in and says so in its status,
 * `ignore` pays it no attention.
 */
export type MergeBlocksPolicy = 'ignore' | 'permit' | 'block';

/** GitHub's word for a PR its own rules keep from merging. */
export const githubBlocked = 'BLOCKED';

/** The policy of `org/repo` (Prow's `GitHubMergeBlocksPolicy`): the repo's entry, else the org's, else `*`, else `permit`. */
export function mergeBlocksPolicy(tide: ProwConfig['tide'], org: string, repo: string): MergeBlocksPolicy {
  const policies = tide?.github_merge_blocks_policy ?? {};
  return policies[`${org}/${repo}`] ?? policies[org] ?? policies['*'] ?? 'permit';
}

/** Whether GitHub itself would refuse to merge the PR now. */
export function blockedByGitHub(pull: Pick<TidePull, 'mergeStateStatus'>): boolean {
  return pull.mergeStateStatus === githubBlocked;
}
