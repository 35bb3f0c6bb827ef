import { screenedPrior, type Estimates, type QueueEntry } from './pool-state.ts';
import { batchCap, type PolicySettings } from './settings.ts';

/** `value` moved towards `observation` by `rate`. */
export function ewma(value: number, observation: number, rate: number): number {
  return value + rate * (observation - value);
}

/**
 * The batch size for the measured failure rate: group testing's cost optimum, about 1/√p (a failed batch is
 * split and its halves retested, so each PR costs about 1/k + p·log k runs). Flakes do not shrink batches:
 * a flaky job is retried alone.
 */
export function batchSize(estimates: Estimates, settings: PolicySettings): number {
  const k = Math.round(1 / Math.sqrt(Math.max(estimates.failure, 0.001)));
  return Math.max(1, Math.min(k, batchCap(settings)));
}

/** The chance that a train adding `batch` PRs fails for good: a bad PR, or a job that fails twice. */
export function trainFailureChance(estimates: Estimates, batch: number): number {
  return 1 - (1 - estimates.failure) ** batch * (1 - estimates.flake ** 2);
}

/** The chance that this PR breaks a train: lower once it passed a screen. */
export function riskOf(entry: QueueEntry | undefined, estimates: Estimates): number {
  return entry?.screened === true ? (estimates.screenedFailure ?? screenedPrior) : estimates.failure;
}

/**
 * The chance that a train adding these PRs, with `jobs` required jobs, fails for good: one of its PRs is bad,
 * or one of its jobs fails twice.
 */
export function batchFailureChance(batch: readonly (QueueEntry | undefined)[], jobs: number, estimates: Estimates): number {
  const clean = batch.reduce((p, e) => p * (1 - riskOf(e, estimates)), 1);
  return 1 - clean * (1 - estimates.flake ** 2) ** jobs;
}

/**
 * The next batch from the front of `waiting`: as many PRs as keep the expected number of bad PRs in it
 * within what a batch of `batchSize` untested PRs holds (about √p̂). Screened PRs are far less likely to be
 * bad, so they go in much bigger batches, which costs fewer runs per PR; never more than `limit`.
 */
export function nextBatch(waiting: readonly QueueEntry[], estimates: Estimates, settings: PolicySettings, limit: number): number[] {
  const allowance = riskAllowance(estimates, settings);
  const cap = Math.min(batchCap(settings), limit);
  const batch: number[] = [];
  let risk = 0;
  for (const entry of waiting) {
    const r = riskOf(entry, estimates);
    if (batch.length >= cap || (batch.length > 0 && risk + r > allowance)) break;
    batch.push(entry.number);
    risk += r;
  }
  return batch;
}

/** The expected number of bad PRs a batch may hold: as many as `batchSize` untested PRs hold. */
function riskAllowance(estimates: Estimates, settings: PolicySettings): number {
  return batchSize(estimates, settings) * estimates.failure + 1e-9;
}

/** Whether a batch is as big as it may get: at the cap, or with no room left for one more untested PR. */
export function isFullBatch(batch: readonly (QueueEntry | undefined)[], estimates: Estimates, settings: PolicySettings): boolean {
  const risk = batch.reduce((sum, e) => sum + riskOf(e, estimates), 0);
  return batch.length >= batchCap(settings) || risk + estimates.failure > riskAllowance(estimates, settings);
}
