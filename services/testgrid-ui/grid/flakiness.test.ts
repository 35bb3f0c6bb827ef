import { describe, expect, it } from 'vitest';
import { gridOf } from '../testing/grid-of.ts';
import { flakiness } from './flakiness.ts';
import { TestStatus as S } from './status.ts';

const day = 86_400_000;
const newest = 1_767_323_045_000;

describe('flakiness', () => {
  it('counts PASS→FAIL flips and FLAKY cells over the last 7 days, with the trend against the 7 before', () => {
    // One column a day, newest first: days 0-6 are this interval, 7-13 the previous one.
    const a = [S.PASS, S.FAIL, S.PASS, S.FLAKY, S.PASS, S.PASS, S.PASS, S.PASS, S.PASS, S.PASS, S.PASS, S.PASS, S.PASS, S.FAIL];
    const health = flakiness(gridOf({ Overall: a.map(() => S.PASS), a, b: a.map(() => S.PASS) }, { newest, stepMs: day }), newest + 1000);
    const t = health.tests.find((x) => x.name === 'a');
    expect(health.tests.map((x) => x.name)).toEqual(['a', 'b']);
    // Oldest first this interval: P P P FLAKY P FAIL P → a FLAKY and one PASS→FAIL flip out of 7.
    expect(t).toMatchObject({ name: 'a', total_non_infra_runs: 7, passed_non_infra_runs: 5, failed_non_infra_runs: 2, change_from_last_interval: 'UP' });
    expect(t?.flakiness).toBeCloseTo((100 * 2) / 7);
    // Previous interval oldest first: FAIL P P P P P P → no flip.
    expect(t?.previous_flakiness).toBe(0);
    expect(health.average_flakiness).toBeCloseTo((100 * 2) / 7 / 2);
  });

  it('skips breakages of 3+ failures, failures in all-failed columns, and counts one-word infra failures apart', () => {
    const grid = gridOf(
      { a: [S.PASS, S.FAIL, S.FAIL, S.FAIL, S.PASS, S.FAIL, S.PASS], b: [S.PASS, S.PASS, S.PASS, S.PASS, S.PASS, S.FAIL, S.PASS] },
      { newest, stepMs: 3_600_000, messages: { a: { 6: 'timeout' } } },
    );
    const a = flakiness(grid, newest + 1000).tests.find((t) => t.name === 'a');
    expect(a).toMatchObject({ failed_infra_runs: 0, total_non_infra_runs: 7 });
    // Column 5 failed for every test: excluded. The run of three failures is a breakage. Nothing flips.
    expect(a?.flakiness).toBe(0);
    const infra = gridOf({ a: [S.PASS, S.FAIL, S.PASS] }, { newest, messages: { a: { 1: 'timeout' } } });
    expect(flakiness(infra, newest + 1000).tests[0]).toMatchObject({ failed_infra_runs: 1, infra_failures: { timeout: 1 }, flakiness: 0 });
  });
});
