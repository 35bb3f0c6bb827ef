import type { TideQuery } from '../../../lib/config/index.ts';
import type { TidePull } from '../pull.ts';
import type { Blocker } from './blockers.ts';
import type { ContextPolicy } from './context-policy.ts';
import type { MergeBlocksPolicy } from './merge-blocks-policy.ts';
import { closestQueryDiff } from './requirement-diff.ts';
import { blockedByIssuesStatus, inPoolStatus, notInPoolStatus, retestingStatus, unmergeableStatus, type TideStatus } from './status-text.ts';

/** What the `tide` status of one PR depends on. */
export interface StatusFacts {
  pull: TidePull;
  /** Why Tide refuses to merge the PR at all (see `mergeCheck`); undefined when it does not. */
  refusal: string | undefined;
  /** Whether the PR is in its pool (Tide would keep it; our `eligible`). */
  inPool: boolean;
  /** Open blocker issues of the PR's branch. */
  blockers: readonly Blocker[];
  queries: readonly TideQuery[];
  policy: ContextPolicy;
  blocksPolicy: MergeBlocksPolicy;
  displayAllQueries: boolean;
  /** The required contexts not yet passed on the current base; asked only when the PR counts as in the pool. */
  waitingOnBase: () => Promise<readonly string[]>;
}

/**
 * The `tide` status a PR should carry (Prow's `expectedStatus`): Tide's merge refusal first; then, for a PR
 * outside the pool, its branch's blocker issues, else what it lacks against the closest query (a PR that
 * meets a query after all is treated as in the pool, as Prow does, to spare a pending-then-success flip);
 * for a PR in the pool, "Retesting" while required jobs have not passed on the current base, else "In merge
 * pool.". One departure: a PR in a pool its blockers hold shows the blocker error too, where Tide would say
 * "In merge pool." of a pool it will not merge.
 */
export async function expectedStatus(facts: StatusFacts): Promise<TideStatus> {
  if (facts.refusal !== undefined) return unmergeableStatus(facts.refusal);
  if (facts.blockers.length > 0) return blockedByIssuesStatus(facts.blockers.map((b) => b.number));
  if (!facts.inPool) {
    const diff = closestQueryDiff(facts.pull, facts.queries, facts.policy, facts.blocksPolicy, facts.displayAllQueries);
    if (!diff.met) return notInPoolStatus(diff.description);
  }
  const waiting = await facts.waitingOnBase();
  return waiting.length > 0 ? retestingStatus(waiting) : inPoolStatus(facts.pull, facts.blocksPolicy);
}
