import type { FastifyPluginCallback } from 'fastify';
import type { AlertInfo } from '../grid/alerts.ts';
import { rowCells } from '../grid/grid.ts';
import type { HealthSummary } from '../grid/flakiness.ts';
import type { TabSummary } from '../grid/tab-summary.ts';
import { dashboardStatus } from './grid-dashboards.ts';
import { findDashboard, findDashboardGroup, findTab, healthOf, nowOf, readDashboardTabs, readTabByName, readTabView, summaryOf, type GridSource, type TabView } from './grid-tab.ts';

const v1 = '/api/v1';
const seg = encodeURIComponent;
/** Protobuf's JSON form of a Timestamp: RFC 3339, omitted for 0. */
const timestamp = (ms: number | undefined): string | undefined => (ms === undefined || ms <= 0 ? undefined : new Date(ms).toISOString());

/** TestGrid's api.v1 TabSummary (summary fields in the api's names and shapes). */
function tabSummaryV1(dashboard: string, s: TabSummary, health: HealthSummary, days: number, now: number): Record<string, unknown> {
  const flaky = health.tests.filter((t) => t.flakiness > 0).sort((a, b) => b.flakiness - a.flakiness);
  return {
    dashboard_name: dashboard,
    tab_name: s.dashboard_tab_name,
    overall_status: s.overall_status,
    detailed_status_message: s.status,
    last_run_timestamp: timestamp(s.last_run_timestamp),
    last_update_timestamp: timestamp(s.last_update_timestamp),
    latest_passing_build: s.latest_green,
    failures_summary: {
      top_failing_tests: [...s.failing_tests]
        .sort((a, b) => b.fail_count - a.fail_count)
        .map((f) => ({ display_name: f.test_name, fail_count: f.fail_count, pass_timestamp: timestamp(f.pass_time), fail_timestamp: timestamp(f.fail_time) })),
      failure_stats: { num_failing_tests: s.failing_tests.length },
    },
    healthiness_summary: {
      top_flaky_tests: flaky.map((t) => ({ display_name: t.name, flakiness: t.flakiness, change: t.change_from_last_interval })),
      healthiness_stats: {
        start: timestamp(now - days * 86_400_000),
        end: timestamp(now),
        num_flaky_tests: flaky.length,
        average_flakiness: health.average_flakiness,
        previous_flakiness: health.previous_average_flakiness ?? 0,
      },
    },
  };
}

function tabSummaryOfView(view: TabView, now: number): Record<string, unknown> {
  return tabSummaryV1(view.dashboard.name, summaryOf(view, now), healthOf(view, now), view.tab.health_analysis_options?.days_of_analysis ?? 7, now);
}

/** TestGrid's state.AlertInfo in the api's JSON (times as Timestamps). */
function alertV1(a: AlertInfo): Record<string, unknown> {
  return { fail_count: a.fail_count, fail_build_id: a.fail_build_id, latest_fail_build_id: a.latest_fail_build_id, fail_time: timestamp(a.fail_time), pass_build_id: a.pass_build_id, pass_time: timestamp(a.pass_time), failure_message: a.failure_message };
}

async function dashboardSummaryV1(source: GridSource, name: string): Promise<Record<string, unknown>> {
  const dashboard = findDashboard(source.config(), name);
  const now = nowOf(source);
  const statuses = (await readDashboardTabs(source, dashboard)).map((v) => summaryOf(v, now).overall_status);
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return { name: dashboard.name, overall_status: dashboardStatus(statuses), tab_status_count: counts };
}

type Params = Record<string, string>;

/** TestGrid's HTTP API v1 (`pb/api/v1/data.proto`) over the dashboards' config and the stored grids. */
export function testgridV1Api(source: GridSource): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get(`${v1}/dashboard-groups`, () => ({ dashboard_groups: source.config().dashboard_groups.map((g) => ({ name: g.name, link: `${v1}/dashboard-groups/${seg(g.name)}` })) }));
    app.get(`${v1}/dashboard-groups/:group`, (req) => {
      const group = findDashboardGroup(source.config(), (req.params as Params).group ?? '');
      return { dashboards: group.dashboard_names.map((d) => ({ name: d, link: `${v1}/dashboards/${seg(d)}` })) };
    });
    app.get(`${v1}/dashboard-groups/:group/dashboard-summaries`, async (req) => {
      const group = findDashboardGroup(source.config(), (req.params as Params).group ?? '');
      return { dashboard_summaries: await Promise.all(group.dashboard_names.map((d) => dashboardSummaryV1(source, d))) };
    });
    app.get(`${v1}/dashboards`, () => {
      const config = source.config();
      const groupOf = new Map(config.dashboard_groups.flatMap((g) => g.dashboard_names.map((d) => [d, g.name] as const)));
      return { dashboards: config.dashboards.map((d) => ({ name: d.name, link: `${v1}/dashboards/${seg(d.name)}`, dashboard_group_name: groupOf.get(d.name) ?? '' })) };
    });
    app.get(`${v1}/dashboards/:dashboard`, (req) => {
      const d = findDashboard(source.config(), (req.params as Params).dashboard ?? '');
      return { notifications: [], default_tab: d.default_tab ?? '', suppress_failing_tabs: d.downplay_failing_tabs, highlight_today: d.highlight_today };
    });
    app.get(`${v1}/dashboards/:dashboard/tabs`, (req) => {
      const d = findDashboard(source.config(), (req.params as Params).dashboard ?? '');
      return { dashboard_tabs: d.dashboard_tab.map((t) => ({ name: t.name, link: `${v1}/dashboards/${seg(d.name)}/tabs/${seg(t.name)}` })) };
    });
    app.get(`${v1}/dashboards/:dashboard/tabs/:tab/headers`, async (req) => {
      const p = req.params as Params;
      const view = await readTabByName(source, p.dashboard ?? '', p.tab ?? '');
      return { headers: view.grid.columns.map((c) => ({ build: c.build, name: '', started: timestamp(c.started), extra: c.extra ?? [], hotlist_ids: '' })) };
    });
    app.get(`${v1}/dashboards/:dashboard/tabs/:tab/rows`, async (req) => {
      const p = req.params as Params;
      const view = await readTabByName(source, p.dashboard ?? '', p.tab ?? '');
      const now = nowOf(source);
      const alerts = new Map(summaryOf(view, now).failing_tests.map((f) => [f.test_name, f]));
      return {
        rows: view.grid.rows.map((row) => {
          const alert = alerts.get(row.name);
          return {
            name: row.name,
            cells: rowCells(view.grid, row).map((c) => ({ result: c.status, cell_id: '', message: c.message ?? '', icon: c.icon ?? '' })),
            issues: [],
            ...(alert === undefined ? {} : { alert: alertV1(alert) }),
          };
        }),
      };
    });
    app.get(`${v1}/dashboards/:dashboard/tab-summaries`, async (req) => {
      const d = findDashboard(source.config(), (req.params as Params).dashboard ?? '');
      const now = nowOf(source);
      return { tab_summaries: (await readDashboardTabs(source, d)).map((v) => tabSummaryOfView(v, now)) };
    });
    app.get(`${v1}/dashboards/:dashboard/tab-summaries/:tab`, async (req) => {
      const p = req.params as Params;
      const config = source.config();
      const d = findDashboard(config, p.dashboard ?? '');
      const { tab } = findTab(config, d, p.tab ?? '');
      return { tab_summary: tabSummaryOfView(await readTabView(source, d, tab), nowOf(source)) };
    });
    app.get(`${v1}/dashboards/:dashboard/summary`, async (req) => ({ dashboard_summary: await dashboardSummaryV1(source, (req.params as Params).dashboard ?? '') }));
    done();
  };
}
