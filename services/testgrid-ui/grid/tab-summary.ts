import type { DashboardTab, TestGroup } from '../dashboards/config-types.ts';
import { alertRow, type AlertInfo } from './alerts.ts';
import { decodeResults, type Grid, type GridRow } from './grid.ts';
import type { ReadState } from './grid-store.ts';
import { coalesce, isFailing, TestStatus } from './status.ts';

/** A tab's status in TestGrid's legacy UI words, plus the newer ACCEPTABLE and UNKNOWN. */
export type TabStatus = 'PASSING' | 'FAILING' | 'FLAKY' | 'STALE' | 'BROKEN' | 'ACCEPTABLE' | 'UNKNOWN';

/** A failing test in the summary (TestGrid's FailingTestSummary). */
export interface FailingTestSummary extends AlertInfo {
  test_name: string;
}

/** One tab's summary, as TestGrid's summarizer writes it. */
export interface TabSummary {
  dashboard_tab_name: string;
  test_group_name: string;
  overall_status: TabStatus;
  /** "Tab stats: 7 of 10 (70.0%) recent columns passed (2425 of 2432 or 99.7% cells)", or why it is stale/broken. */
  status: string;
  /** The newest column whose rows all passed: its commit, else its build; "no recent greens" otherwise. */
  latest_green: string;
  /** When the grid was last written, epoch ms. */
  last_update_timestamp: number;
  /** The newest column's start, epoch ms; 0 without columns. */
  last_run_timestamp: number;
  failing_tests: FailingTestSummary[];
  summary_metrics: { completed_columns: number; passing_columns: number };
}

/** The tab's rows: base_options' include/exclude-filter-by-regex applied, as the tabulator does. */
export function tabRows(grid: Grid, tab: Pick<DashboardTab, 'base_options'>): GridRow[] {
  const options = new URLSearchParams(tab.base_options.replace(/^#/, ''));
  const include = options.getAll('include-filter-by-regex').map((r) => new RegExp(r));
  const exclude = options.getAll('exclude-filter-by-regex').map((r) => new RegExp(r));
  return grid.rows.filter((r) => (include.length === 0 || include.some((re) => re.test(r.name))) && !exclude.some((re) => re.test(r.name)));
}

const pct = (n: number, of: number): string => (of === 0 ? '0.0' : ((100 * n) / of).toFixed(1));

/**
 * Summarises one tab as TestGrid's summarizer (overallStatus), in its order: BROKEN (a recent column with a
 * failing share above broken_column_threshold), STALE (no results, or none for alert_stale_results_hours),
 * FAILING (a row with an active alert), then over the recent columns, newest first and skipping running
 * ones: FLAKY at the first column with a cell that is not a pass (ACCEPTABLE when passing columns reach
 * 100 − max_acceptable_flakiness percent), PASSING when all are green, UNKNOWN with nothing to judge.
 */
export function summarizeTab(grid: Grid, state: ReadState | undefined, group: TestGroup, tab: DashboardTab, now: number): TabSummary {
  const recent = tab.num_columns_recent ?? group.num_columns_recent;
  const alerts = tab.alert_options ?? {};
  const staleHours = alerts.alert_stale_results_hours ?? group.alert_stale_results_hours;
  const thresholds = {
    num_failures_to_alert: alerts.num_failures_to_alert ?? group.num_failures_to_alert,
    num_passes_to_disable_alert: alerts.num_passes_to_disable_alert ?? group.num_passes_to_disable_alert,
  };
  const lastRun = grid.columns[0]?.started ?? 0;
  const summary = (overall: TabStatus, status: string, rest: Partial<TabSummary> = {}): TabSummary => ({
    dashboard_tab_name: tab.name,
    test_group_name: group.name,
    overall_status: overall,
    status,
    latest_green: 'no recent greens',
    last_update_timestamp: state?.updated ?? 0,
    last_run_timestamp: lastRun,
    failing_tests: [],
    summary_metrics: { completed_columns: 0, passing_columns: 0 },
    ...rest,
  });

  // Rows with no result in the recent columns are stale rows: hidden, and not judged.
  const width = Math.min(recent, grid.columns.length);
  const decoded = tabRows(grid, tab)
    .map((row) => ({ row, statuses: decodeResults(row.results) }))
    .filter((r) => r.statuses.slice(0, width).some((s) => s !== TestStatus.NO_RESULT));
  if (grid.columns.length === 0 || state === undefined) return summary('STALE', 'no stored results');

  const failing_tests: FailingTestSummary[] = [];
  for (const { row } of decoded) {
    const alert = alertRow(grid, row, thresholds);
    if (alert !== undefined) failing_tests.push({ test_name: row.name, ...alert });
  }

  let latest_green = 'no recent greens';
  let completed = 0;
  let passing = 0;
  let cells = 0;
  let passingCells = 0;
  let firstBad: number | undefined;
  let brokenAt: number | undefined;
  for (let c = 0; c < width; c++) {
    const column = grid.columns[c];
    if (column?.state !== 'complete') continue;
    completed++;
    let bad = false;
    let fails = 0;
    let total = 0;
    for (const { statuses } of decoded) {
      const s = coalesce(statuses[c] ?? TestStatus.NO_RESULT, true);
      if (s === TestStatus.NO_RESULT) continue;
      total++;
      if (s === TestStatus.PASS) passingCells++;
      else bad = true;
      if (isFailing(statuses[c] ?? TestStatus.NO_RESULT)) fails++;
    }
    cells += total;
    if (tab.broken_column_threshold !== undefined && tab.broken_column_threshold > 0 && total > 0 && fails / total > tab.broken_column_threshold) brokenAt ??= c;
    if (bad) firstBad ??= c;
    else {
      passing++;
      if (latest_green === 'no recent greens') latest_green = column.extra?.[0] ?? column.build;
    }
  }
  const metrics = { completed_columns: completed, passing_columns: passing };
  const stats = `Tab stats: ${passing} of ${completed} (${pct(passing, completed)}%) recent columns passed (${passingCells} of ${cells} or ${pct(passingCells, cells)}% cells)`;
  const rest = { latest_green, failing_tests, summary_metrics: metrics };

  if (brokenAt !== undefined) return summary('BROKEN', `${stats}; column ${grid.columns[brokenAt]?.build ?? ''} is over the broken-column threshold`, rest);
  if (staleHours > 0) {
    const limit = staleHours * 3_600_000;
    if (now - state.updated > limit) return summary('STALE', `data has not been updated for ${staleHours} hours`, rest);
    if (now - lastRun > limit) return summary('STALE', `no new results for ${staleHours} hours`, rest);
  }
  if (completed === 0) return summary(staleHours > 0 ? 'STALE' : 'UNKNOWN', 'no completed results', rest);
  if (failing_tests.length > 0) return summary('FAILING', `${stats}; ${failing_tests.length} test${failing_tests.length === 1 ? '' : 's'} failing`, rest);
  if (firstBad !== undefined) {
    const acceptable = tab.status_customization_options?.max_acceptable_flakiness;
    if (acceptable !== undefined && (100 * passing) / completed >= 100 - acceptable) return summary('ACCEPTABLE', stats, rest);
    return summary('FLAKY', stats, rest);
  }
  return summary('PASSING', stats, rest);
}
