import type { Configuration, Dashboard } from '../dashboards/config-types.ts';
import type { TestFlakiness } from '../grid/flakiness.ts';
import type { TabStatus, TabSummary } from '../grid/tab-summary.ts';
import { healthOf, nowOf, readDashboardTabs, summaryOf, type GridSource } from './grid-tab.ts';
import { tabPath } from './grid-view.ts';

/** A dashboard's status from its tabs': the worst by this order, as TestGrid's dashboard-group view ranks them. */
const statusOrder: readonly TabStatus[] = ['BROKEN', 'FAILING', 'FLAKY', 'STALE', 'ACCEPTABLE', 'PASSING', 'UNKNOWN'];

/** The worst of the tabs' statuses (UNKNOWN for a dashboard without tabs). */
export function dashboardStatus(statuses: readonly TabStatus[]): TabStatus {
  for (const s of statusOrder) if (statuses.includes(s)) return s;
  return 'UNKNOWN';
}

/** One tab in the overview: its status badge and where its grid is. */
export interface TabBadge {
  name: string;
  overall_status: TabStatus;
  status: string;
  link: string;
}

/** One dashboard in the overview. */
export interface DashboardOverview {
  name: string;
  description: string;
  overall_status: TabStatus;
  link: string;
  tabs: TabBadge[];
}

/** Every dashboard, by dashboard group; dashboards in no group come last. */
export interface DashboardsOverview {
  groups: { name: string; description: string; dashboards: DashboardOverview[] }[];
  ungrouped: DashboardOverview[];
}

/** The tab summaries of one dashboard. */
export async function dashboardSummaries(source: GridSource, dashboard: Dashboard): Promise<TabSummary[]> {
  const now = nowOf(source);
  return (await readDashboardTabs(source, dashboard)).map((v) => summaryOf(v, now));
}

async function overviewOf(source: GridSource, dashboard: Dashboard): Promise<DashboardOverview> {
  const summaries = await dashboardSummaries(source, dashboard);
  return {
    name: dashboard.name,
    description: dashboard.description,
    overall_status: dashboardStatus(summaries.map((s) => s.overall_status)),
    link: `/testgrid/${encodeURIComponent(dashboard.name)}`,
    tabs: summaries.map((s) => ({ name: s.dashboard_tab_name, overall_status: s.overall_status, status: s.status, link: tabPath(dashboard.name, s.dashboard_tab_name) })),
  };
}

/** Every dashboard's tabs with their statuses, grouped as the configuration groups them. */
export async function dashboardsOverview(source: GridSource): Promise<DashboardsOverview> {
  const config: Configuration = source.config();
  const all = new Map(await Promise.all(config.dashboards.map(async (d) => [d.name, await overviewOf(source, d)] as const)));
  const grouped = new Set(config.dashboard_groups.flatMap((g) => g.dashboard_names));
  return {
    groups: config.dashboard_groups.map((g) => ({ name: g.name, description: g.description, dashboards: g.dashboard_names.flatMap((n) => all.get(n) ?? []) })),
    ungrouped: config.dashboards.filter((d) => !grouped.has(d.name)).flatMap((d) => all.get(d.name) ?? []),
  };
}

/** A tab on the dashboard's summary: TestGrid's tab summary and its healthiness. */
export interface DashboardTabView {
  summary: TabSummary;
  link: string;
  health: { average_flakiness: number; previous_average_flakiness?: number; days: number; flaky_tests: TestFlakiness[] };
}

/** The dashboard's summary page: each tab's status, failing tests, latest green and healthiness. */
export interface DashboardView {
  name: string;
  description: string;
  overall_status: TabStatus;
  tabs: DashboardTabView[];
}

/** The summary of one dashboard with each tab's flaky tests (flakiness above 0, flakiest first). */
export async function dashboardView(source: GridSource, dashboard: Dashboard): Promise<DashboardView> {
  const now = nowOf(source);
  const tabs = (await readDashboardTabs(source, dashboard)).map((view): DashboardTabView => {
    const health = healthOf(view, now);
    const flaky = health.tests.filter((t) => t.flakiness > 0).sort((a, b) => b.flakiness - a.flakiness || (a.name < b.name ? -1 : 1));
    return {
      summary: summaryOf(view, now),
      link: tabPath(dashboard.name, view.tab.name),
      health: {
        average_flakiness: health.average_flakiness,
        ...(health.previous_average_flakiness === undefined ? {} : { previous_average_flakiness: health.previous_average_flakiness }),
        days: view.tab.health_analysis_options?.days_of_analysis ?? 7,
        flaky_tests: flaky,
      },
    };
  });
  return { name: dashboard.name, description: dashboard.description, overall_status: dashboardStatus(tabs.map((t) => t.summary.overall_status)), tabs };
}
