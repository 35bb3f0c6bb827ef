import type { Configuration, Dashboard, DashboardGroup, DashboardTab, TestGroup } from '../dashboards/config-types.ts';
import { flakiness, type HealthSummary } from '../grid/flakiness.ts';
import { emptyGrid, type Grid } from '../grid/grid.ts';
import type { GridStore, ReadState } from '../grid/grid-store.ts';
import { summarizeTab, tabRows, type TabSummary } from '../grid/tab-summary.ts';
import { HttpProblem, messageOf } from './problem.ts';

/** What the grid pages and their API read: the dashboards' configuration and the updater's grids. */
export interface GridSource {
  config(): Configuration;
  grids: Pick<GridStore, 'read'>;
  /** Epoch milliseconds; Date.now unless set (tests and the benchmark pin it). */
  now?(): number;
}

/** One tab with what it shows: its dashboard, test group, and the group's grid with base_options applied. */
export interface TabView {
  dashboard: Dashboard;
  tab: DashboardTab;
  group: TestGroup;
  /** The tab's grid: the test group's columns, and the rows base_options keeps. Empty before the first update. */
  grid: Grid;
  /** Undefined before the updater first wrote the group. */
  state: ReadState | undefined;
}

/** TestGrid matches names without case or punctuation (`sig-release-master` is `sigreleasemaster`). */
const normalized = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function byName<T extends { name: string }>(items: readonly T[], name: string): T | undefined {
  return items.find((i) => i.name === name) ?? items.find((i) => normalized(i.name) === normalized(name));
}

const listOf = (names: readonly string[]): string => (names.length === 0 ? 'none are configured' : `the configured ones are ${names.map((n) => JSON.stringify(n)).join(', ')}`);

/** The dashboard named `name` (exactly, or as TestGrid normalises names); a 404 that lists the dashboards otherwise. */
export function findDashboard(config: Configuration, name: string): Dashboard {
  const found = byName(config.dashboards, name);
  if (found === undefined) throw new HttpProblem(404, `no dashboard ${JSON.stringify(name)}: ${listOf(config.dashboards.map((d) => d.name))}`);
  return found;
}

/** The dashboard group named `name`; a 404 that lists the groups otherwise. */
export function findDashboardGroup(config: Configuration, name: string): DashboardGroup {
  const found = byName(config.dashboard_groups, name);
  if (found === undefined) throw new HttpProblem(404, `no dashboard group ${JSON.stringify(name)}: ${listOf(config.dashboard_groups.map((g) => g.name))}`);
  return found;
}

/** The tab of `dashboard` named `name` and its test group; a 404 that lists the dashboard's tabs otherwise. */
export function findTab(config: Configuration, dashboard: Dashboard, name: string): { tab: DashboardTab; group: TestGroup } {
  const tab = byName(dashboard.dashboard_tab, name);
  if (tab === undefined) throw new HttpProblem(404, `dashboard ${JSON.stringify(dashboard.name)} has no tab ${JSON.stringify(name)}: its tabs are ${dashboard.dashboard_tab.map((t) => JSON.stringify(t.name)).join(', ') || 'none'}`);
  return { tab, group: groupOf(config, dashboard, tab) };
}

function groupOf(config: Configuration, dashboard: Dashboard, tab: DashboardTab): TestGroup {
  const group = config.test_groups.find((g) => g.name === tab.test_group_name);
  if (group === undefined) throw new HttpProblem(500, `tab ${JSON.stringify(tab.name)} of dashboard ${JSON.stringify(dashboard.name)} shows test group ${JSON.stringify(tab.test_group_name)}, which the configuration lacks: add it to test_groups`);
  return group;
}

/** Reads one tab's grid and applies its base_options; a bad regex in them is named as a configuration error. */
export async function readTabView(source: GridSource, dashboard: Dashboard, tab: DashboardTab): Promise<TabView> {
  const group = groupOf(source.config(), dashboard, tab);
  const stored = await source.grids.read(group.name);
  const grid = stored?.grid ?? emptyGrid();
  let rows;
  try {
    rows = tabRows(grid, tab);
  } catch (err) {
    throw new HttpProblem(500, `base_options of tab ${JSON.stringify(tab.name)} in dashboard ${JSON.stringify(dashboard.name)} do not parse (${messageOf(err)}): fix the regular expression in the configuration`);
  }
  return { dashboard, tab, group, grid: { ...grid, rows }, state: stored?.state };
}

/** Finds and reads `/<dashboard>/<tab>`. */
export async function readTabByName(source: GridSource, dashboardName: string, tabName: string): Promise<TabView> {
  const config = source.config();
  const dashboard = findDashboard(config, dashboardName);
  const { tab } = findTab(config, dashboard, tabName);
  return readTabView(source, dashboard, tab);
}

/** Every tab of a dashboard, read side by side. */
export async function readDashboardTabs(source: GridSource, dashboard: Dashboard): Promise<TabView[]> {
  return Promise.all(dashboard.dashboard_tab.map((tab) => readTabView(source, dashboard, tab)));
}

/** The current time of the source. */
export function nowOf(source: GridSource): number {
  return source.now?.() ?? Date.now();
}

/** TestGrid's summary of a tab (its rows are already the tab's). */
export function summaryOf(view: TabView, now: number): TabSummary {
  return summarizeTab(view.grid, view.state, view.group, { ...view.tab, base_options: '' }, now);
}

/** The tab's healthiness: flip flakiness over health_analysis_options.days_of_analysis (7 by default). */
export function healthOf(view: TabView, now: number): HealthSummary {
  return flakiness(view.grid, now, view.tab.health_analysis_options?.days_of_analysis ?? 7);
}

/** The row names of a tab's synthetic rows, which are not tests (flakiness leaves them out too). */
export const syntheticRows: readonly string[] = ['Overall', 'Pod'];
