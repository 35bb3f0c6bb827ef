import { describe, expect, it } from 'vitest';
import { batchFailureChance, isFullBatch, nextBatch, riskOf } from './estimates.ts';
import type { Estimates } from './pool-state.ts';
import { defaultPolicySettings } from './settings.ts';
import { entry } from './testing/pool-driver.ts';

const rates: Estimates = { failure: 0.25, flake: 0 };
const untested = [1, 2, 3, 4, 5].map((n) => entry(n));
const screened = Array.from({ length: 12 }, (_, i) => ({ ...entry(i + 1), screened: true }));

describe('batch sizing and failure chances', () => {
  it('holds as many untested PRs as 1/√p̂, and many more screened ones, up to the cap', () => {
    expect(nextBatch(untested, rates, defaultPolicySettings, Infinity)).toEqual([1, 2]);
    expect(nextBatch(screened, rates, defaultPolicySettings, Infinity)).toHaveLength(defaultPolicySettings.maxBatch);
    // Two screened PRs and one untested fit in the risk two untested PRs would carry; a second untested does not.
    const mixed = [screened[0], screened[1], untested[2], untested[3]].filter((e) => e !== undefined);
    expect(nextBatch(mixed, rates, defaultPolicySettings, Infinity)).toEqual([1, 2, 3]);
    expect(nextBatch(screened, rates, defaultPolicySettings, 3)).toEqual([1, 2, 3]);
  });

  it('calls a batch full at the cap or when one more untested PR would not fit', () => {
    expect(isFullBatch(untested.slice(0, 1), rates, defaultPolicySettings)).toBe(false);
    expect(isFullBatch(untested.slice(0, 2), rates, defaultPolicySettings)).toBe(true);
    expect(isFullBatch(screened.slice(0, 3), rates, defaultPolicySettings)).toBe(false);
    expect(isFullBatch(screened.slice(0, 10), rates, defaultPolicySettings)).toBe(true);
  });

  it('counts a bad PR, or any one of the jobs failing twice, as a train failing for good', () => {
    expect(batchFailureChance([untested[0]], 2, rates)).toBeCloseTo(0.25);
    // No PR: only flakes, each of 10 jobs failing twice with chance 0.1².
    expect(batchFailureChance([], 10, { failure: 0, flake: 0.1 })).toBeCloseTo(1 - 0.99 ** 10);
    expect(riskOf(screened[0], rates)).toBe(0.01);
    expect(riskOf(screened[0], { ...rates, screenedFailure: 0.002 })).toBe(0.002);
    expect(riskOf(untested[0], rates)).toBe(0.25);
  });
});
