import { describe, expect, it } from 'vitest';
import { testGroupDefaults, type DashboardTab, type TestGroup } from '../dashboards/config-types.ts';
import { gridOf } from '../testing/grid-of.ts';
import type { ReadState } from './grid-store.ts';
import { TestStatus as S } from './status.ts';
import { summarizeTab, tabRows } from './tab-summary.ts';

const now = 1_767_323_045_000 + 60_000;
const group: TestGroup = { ...testGroupDefaults, name: 'g', gcs_prefix: 'b/logs/g', num_columns_recent: 5 };
const tab: DashboardTab = { name: 'unit', test_group_name: 'g', description: '', base_options: '' };
const state: ReadState = { configHash: 'x', updated: now - 60_000, lastRead: [] };
const status = (rows: Record<string, number[]>, t: Partial<DashboardTab> = {}, opts: Parameters<typeof gridOf>[1] = {}) =>
  summarizeTab(gridOf(rows, opts), state, group, { ...tab, ...t }, now);

describe('summarizeTab', () => {
  it('is PASSING when the recent columns are green, with stats and the latest green commit', () => {
    const s = status({ Overall: [S.RUNNING, S.PASS, S.PASS], a: [S.NO_RESULT, S.PASS, S.PASS_WITH_SKIPS] }, {}, { running: [0] });
    expect(s).toMatchObject({ overall_status: 'PASSING', latest_green: 'c1', status: 'Tab stats: 2 of 2 (100.0%) recent columns passed (4 of 4 or 100.0% cells)' });
  });

  it('is FLAKY for a recent failure that is not consistent, ACCEPTABLE within max_acceptable_flakiness', () => {
    const rows = { Overall: [S.PASS, S.FAIL, S.PASS, S.PASS, S.PASS], a: [S.PASS, S.FAIL, S.PASS, S.PASS, S.PASS] };
    expect(status(rows).overall_status).toBe('FLAKY');
    expect(status(rows, { status_customization_options: { max_acceptable_flakiness: 25 } }).overall_status).toBe('ACCEPTABLE');
    expect(status({ a: [S.FLAKY, S.PASS] }).overall_status).toBe('FLAKY');
  });

  it('is FAILING when a row alerts, listing the failing tests', () => {
    const s = status({ Overall: [S.FAIL, S.FAIL, S.FAIL, S.PASS], a: [S.FAIL, S.FAIL, S.FAIL, S.PASS], b: [S.PASS, S.PASS, S.PASS, S.PASS] });
    expect(s.overall_status).toBe('FAILING');
    expect(s.failing_tests.map((t) => [t.test_name, t.fail_count, t.pass_build_id])).toEqual([
      ['Overall', 3, 'b3'],
      ['a', 3, 'b3'],
    ]);
  });

  it('puts BROKEN before STALE before FAILING, and is STALE with nothing stored', () => {
    const rows = { Overall: [S.FAIL, S.FAIL, S.FAIL], a: [S.FAIL, S.FAIL, S.FAIL], b: [S.FAIL, S.PASS, S.PASS] };
    expect(status(rows, { broken_column_threshold: 0.5 }).overall_status).toBe('BROKEN');
    expect(status(rows, { alert_options: { alert_stale_results_hours: 1 } }, { newest: now - 2 * 3_600_000 }).overall_status).toBe('STALE');
    expect(status(rows).overall_status).toBe('FAILING');
    expect(summarizeTab(gridOf({}), undefined, group, tab, now)).toMatchObject({ overall_status: 'STALE', status: 'no stored results' });
  });

  it('hides stale rows and applies base_options filters', () => {
    expect(status({ a: [S.PASS, S.PASS], gone: [S.NO_RESULT, S.NO_RESULT, S.NO_RESULT, S.NO_RESULT, S.NO_RESULT, S.FAIL] }).overall_status).toBe('PASSING');
    const grid = gridOf({ 'Kubectl run': [S.PASS], 'kubectl get': [S.PASS], other: [S.FAIL] });
    expect(tabRows(grid, { base_options: 'include-filter-by-regex=Kubectl%7Ckubectl&exclude-filter-by-regex=get' }).map((r) => r.name)).toEqual(['Kubectl run']);
    expect(status({ a: [S.PASS], other: [S.FAIL] }, { base_options: 'exclude-filter-by-regex=other' }).overall_status).toBe('PASSING');
  });
});
