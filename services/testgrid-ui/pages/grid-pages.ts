import { readFileSync } from 'node:fs';
import type { FastifyPluginCallback } from 'fastify';
import { dashboardsOverview, dashboardView } from '../api/grid-dashboards.ts';
import { gridFiltersOf } from '../api/grid-filters.ts';
import { testHistory } from '../api/grid-history.ts';
import { findDashboard, nowOf, readTabByName, type GridSource } from '../api/grid-tab.ts';
import { tabGrid } from '../api/grid-view.ts';
import { gridClientScript } from '../static/grid-client.ts';
import { dashboardBody, overviewBody } from './grid-dashboards-page.ts';
import { tabBody } from './grid-tab-page.ts';
import { testBody } from './grid-test-page.ts';
import type { NavEntry, PageLayout } from './layout.ts';

/** The nav entry of the grid pages. */
export const gridNav: NavEntry = { href: '/testgrid', label: 'Dashboards' };

type Params = Record<string, string>;
const htmlType = 'text/html; charset=utf-8';
const styles = ['grid.css'];

/**
 * TestGrid's pages: `/testgrid` (dashboard groups, dashboards and their tabs' statuses), `/testgrid/<d>`
 * (the dashboard's summary), `/testgrid/<d>/<t>` (the grid, drawn by `/static/grid.js` from JSON in the
 * page) and `/testgrid/<d>/<t>/test?name=` (one test's history); plus `/static/grid.js` and `/static/grid.css`.
 */
export function gridPages(source: GridSource, layout: PageLayout): FastifyPluginCallback {
  const css = readFileSync(new URL('../static/grid.css', import.meta.url));
  return (app, _opts, done) => {
    app.get('/static/grid.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(gridClientScript));
    app.get('/static/grid.css', (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css));
    app.get('/testgrid', async (req, reply) => {
      const body = overviewBody(await dashboardsOverview(source));
      return reply.type(htmlType).send(layout({ title: 'Dashboards', path: req.url, body, styles }));
    });
    app.get('/testgrid/:dashboard', async (req, reply) => {
      const dashboard = findDashboard(source.config(), (req.params as Params).dashboard ?? '');
      const body = dashboardBody(dashboard, await dashboardView(source, dashboard));
      return reply.type(htmlType).send(layout({ title: dashboard.name, path: req.url, body, styles }));
    });
    app.get('/testgrid/:dashboard/:tab', async (req, reply) => {
      const p = req.params as Params;
      const filters = gridFiltersOf(req.query);
      const view = await readTabByName(source, p.dashboard ?? '', p.tab ?? '');
      const body = tabBody(view.dashboard, tabGrid(view, filters, nowOf(source)));
      return reply.type(htmlType).send(layout({ title: `${view.dashboard.name} / ${view.tab.name}`, path: req.url, body, styles, scripts: ['autosubmit.js', 'grid.js'] }));
    });
    app.get('/testgrid/:dashboard/:tab/test', async (req, reply) => {
      const p = req.params as Params;
      const name = (req.query as Record<string, unknown>).name;
      const view = await readTabByName(source, p.dashboard ?? '', p.tab ?? '');
      const history = testHistory(view, typeof name === 'string' ? name : '', nowOf(source));
      return reply.type(htmlType).send(layout({ title: history.name, path: req.url, body: testBody(view.dashboard, history), styles }));
    });
    done();
  };
}
