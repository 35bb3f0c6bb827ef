import type { Estimates } from './pool-state.ts';
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
