import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenMessage, brokenRuns, brokenTest, flakyTest, startGridWorld, suite, unitBuilds, type GridWorld } from '../browser/grid-world.ts';
import { xssName } from '../browser/ui-world.ts';
import { TestStatus } from '../grid/status.ts';
import type { DashboardsOverview, DashboardView } from './grid-dashboards.ts';
import type { TestHistory } from './grid-history.ts';
import type { TabGrid } from './grid-view.ts';

let world: GridWorld;
beforeAll(async () => {
  world = await startGridWorld();
}, 60_000);
afterAll(async () => {
  await world.close();
});

const get = async (url: string): Promise<{ status: number; body: string }> => {
  const res = await world.ui.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body };
};
const json = async <T>(url: string): Promise<T> => {
  const res = await get(url);
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as T;
};
const unitRow = (t: string): string => `${suite}.${t}`;

describe("TestGrid's API v1", () => {
  it('lists dashboard groups, dashboards with their group, and a dashboard tabs', async () => {
    expect(await json('/api/v1/dashboard-groups')).toEqual({ dashboard_groups: [{ name: 'acme', link: '/api/v1/dashboard-groups/acme' }] });
    expect(await json('/api/v1/dashboard-groups/acme')).toEqual({ dashboards: [{ name: 'widgets', link: '/api/v1/dashboards/widgets' }, { name: 'gadgets', link: '/api/v1/dashboards/gadgets' }] });
    const { dashboards } = await json<{ dashboards: { name: string; dashboard_group_name: string }[] }>('/api/v1/dashboards');
    expect(dashboards.map((d) => [d.name, d.dashboard_group_name])).toEqual([['widgets', 'acme'], ['gadgets', 'acme'], [xssName, '']]);
    const { dashboard_tabs } = await json<{ dashboard_tabs: { name: string }[] }>('/api/v1/dashboards/widgets/tabs');
    expect(dashboard_tabs.map((t) => t.name)).toEqual(['unit', 'spin', 'gears', 'e2e']);
    // TestGrid matches names without case or punctuation.
    expect(await json('/api/v1/dashboards/WIDGETS')).toEqual({ notifications: [], default_tab: '', suppress_failing_tabs: false, highlight_today: false });
  });

  it('answers headers newest first and rows with cells and alerts, base_options applied', async () => {
    const { headers } = await json<{ headers: { build: string; started: string; extra: string[] }[] }>('/api/v1/dashboards/widgets/tabs/unit/headers');
    expect(headers).toHaveLength(unitBuilds);
    expect(headers[0]).toEqual({ build: world.unitBuild(0), name: '', started: '2026-01-15T12:00:00.000Z', extra: ['abcdef012'], hotlist_ids: '' });
    const { rows } = await json<{ rows: { name: string; cells: { result: number; icon: string; message: string }[]; alert?: { fail_count: number; fail_build_id: string; pass_build_id: string } }[] }>('/api/v1/dashboards/widgets/tabs/gears/rows');
    expect(rows.map((r) => r.name)).toEqual([1, 2, 3, 4, 5].map((n) => unitRow(`TestGears${String(n)}`)));
    const broken = rows.find((r) => r.name === unitRow(brokenTest));
    expect(broken?.cells).toHaveLength(unitBuilds);
    expect(broken?.cells[1]).toEqual({ result: TestStatus.FAIL, cell_id: '', icon: 'F', message: `Failed\n${brokenMessage}` });
    expect(broken?.alert).toMatchObject({ fail_count: brokenRuns, fail_build_id: world.unitBuild(brokenRuns - 1), pass_build_id: world.unitBuild(brokenRuns) });
  });

  it("summarises each tab in TestGrid's precedence and counts the dashboard's tabs by status", async () => {
    const { tab_summaries } = await json<{ tab_summaries: { tab_name: string; overall_status: string; failures_summary: { top_failing_tests: { display_name: string; fail_count: number }[] }; healthiness_summary: { top_flaky_tests: { display_name: string; change: string }[] } }[] }>(
      '/api/v1/dashboards/widgets/tab-summaries',
    );
    expect(tab_summaries.map((t) => [t.tab_name, t.overall_status])).toEqual([['unit', 'FAILING'], ['spin', 'FLAKY'], ['gears', 'FAILING'], ['e2e', 'PASSING']]);
    const unit = tab_summaries[0];
    expect(unit?.failures_summary.top_failing_tests[0]).toMatchObject({ display_name: unitRow(brokenTest), fail_count: brokenRuns });
    expect(unit?.healthiness_summary.top_flaky_tests[0]).toEqual({ display_name: unitRow(flakyTest), flakiness: expect.any(Number) as number, change: 'UP' });
    expect(await json('/api/v1/dashboards/widgets/summary')).toEqual({ dashboard_summary: { name: 'widgets', overall_status: 'FAILING', tab_status_count: { FAILING: 2, FLAKY: 1, PASSING: 1 } } });
    expect(await json('/api/v1/dashboards/gadgets/tab-summaries/lint')).toMatchObject({ tab_summary: { overall_status: 'STALE', detailed_status_message: 'no stored results' } });
  });

  it('answers 404 naming what exists for an unknown dashboard, tab or group', async () => {
    const dashboard = await get('/api/v1/dashboards/nope/tabs');
    expect(dashboard.status).toBe(404);
    expect(JSON.parse(dashboard.body)).toEqual({ error: `no dashboard "nope": the configured ones are "widgets", "gadgets", ${JSON.stringify(xssName)}` });
    const tab = await get('/api/testgrid/widgets/nope');
    expect(tab.status).toBe(404);
    expect(tab.body).toContain('its tabs are \\"unit\\", \\"spin\\", \\"gears\\", \\"e2e\\"');
    expect((await get('/api/v1/dashboard-groups/nope')).status).toBe(404);
  });
});

describe('the pages JSON', () => {
  it('groups the dashboards with their tab statuses', async () => {
    const overview = await json<DashboardsOverview>('/api/testgrid');
    expect(overview.groups.map((g) => [g.name, g.dashboards.map((d) => [d.name, d.overall_status])])).toEqual([['acme', [['widgets', 'FAILING'], ['gadgets', 'STALE']]]]);
    expect(overview.ungrouped.map((d) => d.name)).toEqual([xssName]);
  });

  it("gives a dashboard's tabs with failing tests and their flaky tests flakiest first", async () => {
    const view = await json<DashboardView>('/api/testgrid/widgets');
    const unit = view.tabs[0];
    expect(unit?.summary.failing_tests.map((f) => f.test_name).sort()).toEqual(['Overall', unitRow(brokenTest)]);
    const flaky = unit?.health.flaky_tests ?? [];
    expect(flaky[0]?.name).toBe(unitRow(flakyTest));
    expect(flaky.map((f) => f.flakiness)).toEqual([...flaky.map((f) => f.flakiness)].sort((a, b) => b - a));
    expect(unit?.health.flaky_tests.every((f) => f.flakiness > 0)).toBe(true);
  });

  it('filters and sorts the grid as the query string says, without durations', async () => {
    const all = await json<TabGrid>('/api/testgrid/widgets/unit');
    expect(all.grid.rows).toHaveLength(all.total_rows);
    expect(all.grid.rows.every((r) => r.durations.length === 0)).toBe(true);
    expect(all.links[0]).toBe(`/view/gs/prow-artifacts/logs/ci-widgets-unit/${world.unitBuild(0)}`);
    expect(all.history_link).toBe('/testgrid/widgets/unit/test?name=');

    const failing = await json<TabGrid>('/api/testgrid/widgets/unit?exclude-non-failed-tests=');
    expect(failing.grid.rows.length).toBeLessThan(all.grid.rows.length);
    expect(failing.row_stats.every((s) => s.failures > 0)).toBe(true);
    expect(failing.grid.rows.map((r) => r.name)).toEqual(all.grid.rows.filter((_, i) => (all.row_stats[i]?.failures ?? 0) > 0).map((r) => r.name));

    const search = await json<TabGrid>('/api/testgrid/widgets/unit?include-filter-by-regex=Auth&exclude-filter-by-regex=Auth[45]');
    expect(search.grid.rows.map((r) => r.name)).toEqual([1, 2, 3].map((n) => unitRow(`TestAuth${String(n)}`)));

    const flaky = await json<TabGrid>('/api/testgrid/widgets/unit?flaky-tests-only=&sort=flakiness');
    expect(flaky.grid.rows[0]?.name).toBe(unitRow(flakyTest));
    expect(flaky.row_stats.every((s) => s.flaky_cells > 0 || (s.flakiness ?? 0) > 0)).toBe(true);

    const byFailures = await json<TabGrid>('/api/testgrid/widgets/unit?sort-by-failures=');
    expect(byFailures.grid.rows.slice(0, 2).map((r) => r.name)).toEqual(['Overall', unitRow(brokenTest)]);
    const counts = byFailures.row_stats.slice(1).map((s) => s.failures);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('refuses a bad regex or sort with a message that says what to do', async () => {
    const regex = await get('/api/testgrid/widgets/unit?include-filter-by-regex=(');
    expect(regex.status).toBe(400);
    expect(JSON.parse(regex.body)).toEqual({ error: expect.stringContaining('include-filter-by-regex "(" is not a regular expression') as string });
    const sort = await get('/api/testgrid/widgets/unit?sort=age');
    expect(JSON.parse(sort.body)).toEqual({ error: 'sort=age is not a sort: use name, failures, flakiness' });
  });

  it("gives one test's history: every column's cell with its build link, flakiness with trend, and daily counts", async () => {
    const history = await json<TestHistory>(`/api/testgrid/widgets/unit/test?name=${encodeURIComponent(unitRow(flakyTest))}`);
    expect(history.cells).toHaveLength(unitBuilds);
    expect(history.cells[3]).toMatchObject({ build: world.unitBuild(3), status: TestStatus.FLAKY, status_name: 'FLAKY', icon: '1/2', link: `/view/gs/prow-artifacts/logs/ci-widgets-unit/${world.unitBuild(3)}` });
    expect(history.flakiness?.change_from_last_interval).toBe('UP');
    expect(history.flakiness?.flakiness).toBeGreaterThan(history.flakiness?.previous_flakiness ?? Infinity);
    const counted = history.days.reduce((n, d) => n + d.pass + d.fail + d.flaky, 0);
    expect(counted).toBe(history.cells.filter((c) => c.status !== TestStatus.NO_RESULT).length);
    expect(history.days.map((d) => d.day)).toEqual([...history.days.map((d) => d.day)].sort());
    const overall = await json<TestHistory>('/api/testgrid/widgets/unit/test?name=Overall');
    expect(overall.flakiness).toBeUndefined();
    expect(overall.alert?.fail_count).toBe(brokenRuns - 1);
    const missing = await get('/api/testgrid/widgets/unit/test?name=TestNope');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('/testgrid/widgets/unit?include-filter-by-regex=TestNope');
  });
});

describe('the pages', () => {
  it('escape every name from data, in the markup and in the inline JSON', async () => {
    for (const url of ['/testgrid', `/testgrid/${encodeURIComponent(xssName)}`, `/testgrid/widgets/unit`, `/testgrid/widgets/unit/test?name=${encodeURIComponent(unitRow(xssName))}`]) {
      const page = await get(url);
      expect(page.status, url).toBe(200);
      expect(page.body, url).not.toContain('<img');
    }
    const grid = await get('/testgrid/widgets/unit');
    expect(grid.body).toContain(`${suite}.\\u003cimg src=x onerror=alert(1)\\u003e`);
    expect(grid.body).toContain('<link rel="stylesheet" href="/static/grid.css">');
    expect(grid.body).toContain('<script src="/static/grid.js" defer></script>');
  });

  it('serve their script and stylesheet', async () => {
    const res = await world.ui.app.inject({ method: 'GET', url: '/static/grid.js' });
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toContain("root.dataset.ready = '1'");
    expect(res.body).not.toContain('innerHTML');
    expect((await get('/static/grid.css')).body).toContain('.c.s12');
    expect((await get('/static/app.css')).status).toBe(200);
  });

  it('answer 404 inside the layout for an unknown tab', async () => {
    const page = await get('/testgrid/widgets/nope');
    expect(page.status).toBe(404);
    expect(page.body).toContain('dashboard &quot;widgets&quot; has no tab &quot;nope&quot;');
  });
});
