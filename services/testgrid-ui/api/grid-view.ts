import { buildLinkFor } from '../grid/build-link.ts';
import type { AlertInfo } from '../grid/alerts.ts';
import { withoutDurations, type Grid } from '../grid/grid.ts';
import type { TabSummary } from '../grid/tab-summary.ts';
import { filterRows, needsHealth, type GridFilters } from './grid-filters.ts';
import { healthOf, summaryOf, type TabView } from './grid-tab.ts';

/** A row's counts beside the grid, in the grid's row order. */
export interface RowStats {
  failures: number;
  flaky_cells: number;
  flakiness?: number;
}

/**
 * What the grid page renders and `/api/testgrid/<dashboard>/<tab>` answers: the tab's summary and alerts,
 * and its grid with the request's filters applied and durations left out (cells are coloured, not timed).
 */
export interface TabGrid {
  dashboard: string;
  tab: string;
  test_group: string;
  description: string;
  summary: TabSummary;
  /** The alerting rows (the summary's failing tests), worst first. */
  alerts: (AlertInfo & { test_name: string })[];
  filters: GridFilters;
  /** Rows the tab has before the request's filters (base_options applied). */
  total_rows: number;
  /** Names of the column_header rows, in the order of each column's `extra`. */
  header_names: string[];
  grid: Grid;
  /** Each column's build page. */
  links: string[];
  /** A row's test history is this plus the encoded row name. */
  history_link: string;
  row_stats: RowStats[];
}

/** The path of a tab's page. */
export function tabPath(dashboard: string, tab: string): string {
  return `/testgrid/${encodeURIComponent(dashboard)}/${encodeURIComponent(tab)}`;
}

/** The path of one test's history in a tab. */
export function historyPath(dashboard: string, tab: string, test: string): string {
  return `${tabPath(dashboard, tab)}/test?name=${encodeURIComponent(test)}`;
}

/** The tab's grid as the page shows it under `filters`. */
export function tabGrid(view: TabView, filters: GridFilters, now: number): TabGrid {
  const health = needsHealth(filters) ? healthOf(view, now) : undefined;
  const rows = filterRows(view.grid.rows, filters, health);
  const summary = summaryOf(view, now);
  const grid = withoutDurations({ ...view.grid, rows: rows.map((r) => r.row) });
  return {
    dashboard: view.dashboard.name,
    tab: view.tab.name,
    test_group: view.group.name,
    description: view.tab.description,
    summary,
    alerts: [...summary.failing_tests].sort((a, b) => b.fail_count - a.fail_count),
    filters,
    total_rows: view.grid.rows.length,
    header_names: view.group.column_header.map((h) => h.configuration_value ?? h.label ?? h.property ?? ''),
    grid,
    links: view.grid.columns.map((c) => buildLinkFor(view.group.gcs_prefix, c.dir)),
    history_link: historyPath(view.dashboard.name, view.tab.name, ''),
    row_stats: rows.map((r) => ({ failures: r.failures, flaky_cells: r.flakyCells, ...(r.flakiness === undefined ? {} : { flakiness: r.flakiness }) })),
  };
}
