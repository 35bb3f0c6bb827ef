import type { HealthSummary } from '../grid/flakiness.ts';
import type { GridRow } from '../grid/grid.ts';
import { isFailing, TestStatus } from '../grid/status.ts';
import { syntheticRows } from './grid-tab.ts';
import { HttpProblem, messageOf } from './problem.ts';

/** How the grid's rows are ordered; synthetic rows (Overall, Pod) stay on top. */
export type GridSort = 'name' | 'failures' | 'flakiness';
const sorts: readonly GridSort[] = ['name', 'failures', 'flakiness'];

/** The grid's filters, in the query string under TestGrid's option names where it has one. */
export interface GridFilters {
  /** `include-filter-by-regex`: only rows whose name matches. */
  include: string;
  /** `exclude-filter-by-regex`: no row whose name matches. */
  exclude: string;
  /** `exclude-non-failed-tests`: only rows with a failing cell. */
  failuresOnly: boolean;
  /** `flaky-tests-only`: only rows with a FLAKY cell or a flip flakiness above 0 (TestGrid has no such option). */
  flakyOnly: boolean;
  /** `sort` (name, failures, flakiness), or TestGrid's `sort-by-failures` / `sort-by-flakiness` / `sort-by-name`. */
  sort: GridSort;
}

/** A row as the grid shows it, with the counts the filters and sorts use. */
export interface FilteredRow {
  row: GridRow;
  /** Cells TestGrid counts as failing (TOOL_FAIL to FAIL). */
  failures: number;
  /** FLAKY cells. */
  flakyCells: number;
  /** Flip flakiness in percent over the analysis interval, when it was measured (not for synthetic rows). */
  flakiness?: number;
}

/** The filters of a request's query; absent options are off. */
export function gridFiltersOf(query: unknown): GridFilters {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  const text = (key: string): string => {
    const v = q[key];
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  };
  const on = (key: string): boolean => key in q && text(key) !== 'false' && text(key) !== '0';
  const asked = text('sort');
  let sort: GridSort = 'name';
  if (asked !== '') {
    if (!sorts.includes(asked as GridSort)) throw new HttpProblem(400, `sort=${asked} is not a sort: use ${sorts.join(', ')}`);
    sort = asked as GridSort;
  } else if (on('sort-by-failures')) sort = 'failures';
  else if (on('sort-by-flakiness')) sort = 'flakiness';
  return { include: text('include-filter-by-regex'), exclude: text('exclude-filter-by-regex'), failuresOnly: on('exclude-non-failed-tests'), flakyOnly: on('flaky-tests-only'), sort };
}

/** The query string that asks for `filters` (only what is not the default). */
export function filtersQuery(filters: GridFilters): string {
  const q = new URLSearchParams();
  if (filters.include !== '') q.set('include-filter-by-regex', filters.include);
  if (filters.exclude !== '') q.set('exclude-filter-by-regex', filters.exclude);
  if (filters.failuresOnly) q.set('exclude-non-failed-tests', '');
  if (filters.flakyOnly) q.set('flaky-tests-only', '');
  if (filters.sort !== 'name') q.set('sort', filters.sort);
  return q.toString();
}

function regexOf(option: string, source: string): RegExp | undefined {
  if (source === '') return undefined;
  try {
    return new RegExp(source);
  } catch (err) {
    throw new HttpProblem(400, `${option} ${JSON.stringify(source)} is not a regular expression (${messageOf(err)}): fix it or clear the search`);
  }
}

/** Whether the filters or the sort need the tab's flakiness (measuring it reads every cell). */
export function needsHealth(filters: GridFilters): boolean {
  return filters.flakyOnly || filters.sort === 'flakiness';
}

function counted(row: GridRow, flakiness: ReadonlyMap<string, number>): FilteredRow {
  let failures = 0;
  let flakyCells = 0;
  for (let i = 0; i + 1 < row.results.length; i += 2) {
    const status = (row.results[i] ?? 0) as TestStatus;
    const n = row.results[i + 1] ?? 0;
    if (isFailing(status)) failures += n;
    else if (status === TestStatus.FLAKY) flakyCells += n;
  }
  const out: FilteredRow = { row, failures, flakyCells };
  const f = flakiness.get(row.name);
  if (f !== undefined) out.flakiness = f;
  return out;
}

/** The rows `filters` keep, in their order; `health` is needed when `needsHealth(filters)`. */
export function filterRows(rows: readonly GridRow[], filters: GridFilters, health?: HealthSummary): FilteredRow[] {
  const include = regexOf('include-filter-by-regex', filters.include);
  const exclude = regexOf('exclude-filter-by-regex', filters.exclude);
  const flakiness = new Map((health?.tests ?? []).map((t) => [t.name, t.flakiness]));
  const kept = rows
    .filter((r) => (include?.test(r.name) ?? true) && !(exclude?.test(r.name) ?? false))
    .map((r) => counted(r, flakiness))
    .filter((r) => (!filters.failuresOnly || r.failures > 0) && (!filters.flakyOnly || r.flakyCells > 0 || (r.flakiness ?? 0) > 0));
  const pinned = (r: FilteredRow): number => {
    const i = syntheticRows.indexOf(r.row.name);
    return i === -1 ? syntheticRows.length : i;
  };
  const byName = (a: FilteredRow, b: FilteredRow): number => (a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : 0);
  const key: Record<GridSort, (a: FilteredRow, b: FilteredRow) => number> = {
    name: byName,
    failures: (a, b) => b.failures - a.failures || byName(a, b),
    flakiness: (a, b) => (b.flakiness ?? 0) - (a.flakiness ?? 0) || b.flakyCells - a.flakyCells || byName(a, b),
  };
  return kept.sort((a, b) => pinned(a) - pinned(b) || key[filters.sort](a, b));
}
