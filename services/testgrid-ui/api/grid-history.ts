import type { AlertInfo } from '../grid/alerts.ts';
import { alertRow } from '../grid/alerts.ts';
import { buildLinkFor } from '../grid/build-link.ts';
import type { TestFlakiness } from '../grid/flakiness.ts';
import { rowCells } from '../grid/grid.ts';
import type { BuildState } from '../build/column.ts';
import { coalesce, statusNames, TestStatus } from '../grid/status.ts';
import { healthOf, type TabView } from './grid-tab.ts';
import { tabPath } from './grid-view.ts';
import { HttpProblem } from './problem.ts';

/** One run of the test: its column and its cell. */
export interface HistoryCell {
  build: string;
  started: number;
  state: BuildState;
  commit: string;
  /** The build's page. */
  link: string;
  status: TestStatus;
  status_name: string;
  icon?: string;
  message?: string;
  ms?: number;
}

/** Runs of one UTC day by coalesced result. */
export interface HistoryDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  pass: number;
  fail: number;
  flaky: number;
}

/** One test's history in a tab: every column's cell, its flakiness and trend, its alert, and daily counts. */
export interface TestHistory {
  dashboard: string;
  tab: string;
  test_group: string;
  name: string;
  /** Newest first, one per column (cells without a result included). */
  cells: HistoryCell[];
  /** Undefined for the synthetic rows (Overall, Pod) and for a test with no run in the interval. */
  flakiness?: TestFlakiness;
  /** The days flakiness was measured over. */
  flakiness_days: number;
  alert?: AlertInfo;
  /** Oldest first, every day from the first run to the last. */
  days: HistoryDay[];
}

const dayMs = 86_400_000;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Daily pass/fail/flaky counts over the cells, oldest day first, gaps filled with zeros. */
export function dailyCounts(cells: readonly HistoryCell[]): HistoryDay[] {
  const counted = cells.filter((c) => c.started > 0 && c.status !== TestStatus.NO_RESULT);
  if (counted.length === 0) return [];
  const byDay = new Map<string, HistoryDay>();
  const first = Math.min(...counted.map((c) => c.started));
  const last = Math.max(...counted.map((c) => c.started));
  for (let t = Date.parse(dayOf(first)); t <= last; t += dayMs) byDay.set(dayOf(t), { day: dayOf(t), pass: 0, fail: 0, flaky: 0 });
  for (const c of counted) {
    const day = byDay.get(dayOf(c.started));
    if (day === undefined) continue;
    const s = coalesce(c.status, true);
    if (s === TestStatus.PASS) day.pass++;
    else if (s === TestStatus.FAIL) day.fail++;
    else if (s === TestStatus.FLAKY) day.flaky++;
  }
  return [...byDay.values()];
}

/** The history of the test named `name` in the tab; a 404 that says where to look when the tab has no such row. */
export function testHistory(view: TabView, name: string, now: number): TestHistory {
  if (name === '') throw new HttpProblem(400, 'name the test: ?name=<row name as the grid shows it>');
  const row = view.grid.rows.find((r) => r.name === name);
  if (row === undefined) {
    const search = `${tabPath(view.dashboard.name, view.tab.name)}?include-filter-by-regex=${encodeURIComponent(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))}`;
    throw new HttpProblem(404, `tab ${JSON.stringify(view.tab.name)} of dashboard ${JSON.stringify(view.dashboard.name)} has no test ${JSON.stringify(name)} in its ${String(view.grid.columns.length)} columns: search its grid at ${search}`);
  }
  const cells = rowCells(view.grid, row).map((cell, i): HistoryCell => {
    const column = view.grid.columns[i];
    const out: HistoryCell = {
      build: column?.build ?? '',
      started: column?.started ?? 0,
      state: column?.state ?? 'complete',
      commit: column?.commit ?? '',
      link: column === undefined ? '#' : buildLinkFor(view.group.gcs_prefix, column.dir),
      status: cell.status,
      status_name: statusNames[cell.status],
    };
    if (cell.icon !== undefined) out.icon = cell.icon;
    if (cell.message !== undefined) out.message = cell.message;
    if (cell.ms !== undefined) out.ms = cell.ms;
    return out;
  });
  const days = view.tab.health_analysis_options?.days_of_analysis ?? 7;
  const history: TestHistory = { dashboard: view.dashboard.name, tab: view.tab.name, test_group: view.group.name, name, cells, flakiness_days: days, days: dailyCounts(cells) };
  const measured = healthOf(view, now).tests.find((t) => t.name === name);
  if (measured !== undefined) history.flakiness = measured;
  const alerts = view.tab.alert_options ?? {};
  const alert = alertRow(view.grid, row, {
    num_failures_to_alert: alerts.num_failures_to_alert ?? view.group.num_failures_to_alert,
    num_passes_to_disable_alert: alerts.num_passes_to_disable_alert ?? view.group.num_passes_to_disable_alert,
  });
  if (alert !== undefined) history.alert = alert;
  return history;
}
