import { describe, expect, it } from 'vitest';
import { alertRow } from './alerts.ts';
import { gridOf } from '../testing/grid-of.ts';
import { TestStatus as S } from './status.ts';

const alert = (statuses: number[], failures = 3, passes = 1) => {
  const grid = gridOf({ t: statuses }, { newest: 1000, stepMs: 1, messages: { t: { 0: 'boom' } } });
  const row = grid.rows[0];
  if (row === undefined) throw new Error('no row');
  return alertRow(grid, row, { num_failures_to_alert: failures, num_passes_to_disable_alert: passes });
};

describe('alertRow', () => {
  it('alerts after num_failures_to_alert consecutive failures, naming the streak and the last pass', () => {
    expect(alert([S.FAIL, S.RUNNING, S.FAIL, S.NO_RESULT, S.FAIL, S.FAIL, S.PASS, S.FAIL])).toEqual({
      fail_count: 4,
      fail_build_id: 'b5',
      latest_fail_build_id: 'b0',
      fail_time: 995,
      pass_build_id: 'b6',
      pass_time: 994,
      failure_message: 'boom',
    });
  });

  it('does not alert below the threshold, after enough passes, when disabled, or across a flaky cell', () => {
    expect(alert([S.FAIL, S.FAIL, S.PASS, S.FAIL])).toBeUndefined();
    expect(alert([S.PASS, S.FAIL, S.FAIL, S.FAIL])).toBeUndefined();
    expect(alert([S.FAIL, S.FAIL, S.FAIL], 0)).toBeUndefined();
    expect(alert([S.FAIL, S.FLAKY, S.FAIL, S.FAIL])).toBeUndefined();
    expect(alert([S.FAIL, S.FAIL, S.FAIL, S.FLAKY, S.FAIL])?.fail_count).toBe(3);
  });

  it('needs num_passes_to_disable_alert passes to clear failures before them', () => {
    expect(alert([S.PASS, S.FAIL, S.FAIL, S.FAIL], 3, 2)?.fail_count).toBe(3);
    expect(alert([S.PASS, S.PASS, S.FAIL, S.FAIL, S.FAIL], 3, 2)).toBeUndefined();
  });
});
