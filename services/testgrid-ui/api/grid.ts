import type { FastifyPluginCallback } from 'fastify';
import { dashboardsOverview, dashboardView } from './grid-dashboards.ts';
import { gridFiltersOf } from './grid-filters.ts';
import { testHistory } from './grid-history.ts';
import { findDashboard, nowOf, readTabByName, type GridSource } from './grid-tab.ts';
import { testgridV1Api } from './grid-v1.ts';
import { tabGrid } from './grid-view.ts';

export type { GridSource } from './grid-tab.ts';

type Params = Record<string, string>;

/**
 * The grid pages' JSON: TestGrid's API v1 under `/api/v1/`, and what the pages are made from under
 * `/api/testgrid/`: every dashboard with its tabs' statuses, one dashboard's summary, one tab's filtered
 * grid (the page's query string), and one test's history (`/api/testgrid/<d>/<t>/test?name=`).
 */
export function gridApi(source: GridSource): FastifyPluginCallback {
  return (app, _opts, done) => {
    void app.register(testgridV1Api(source));
    app.get('/api/testgrid', () => dashboardsOverview(source));
    app.get('/api/testgrid/:dashboard', (req) => dashboardView(source, findDashboard(source.config(), (req.params as Params).dashboard ?? '')));
    app.get('/api/testgrid/:dashboard/:tab', async (req) => {
      const p = req.params as Params;
      const filters = gridFiltersOf(req.query);
      return tabGrid(await readTabByName(source, p.dashboard ?? '', p.tab ?? ''), filters, nowOf(source));
    });
    app.get('/api/testgrid/:dashboard/:tab/test', async (req) => {
      const p = req.params as Params;
      const name = (req.query as Record<string, unknown>).name;
      return testHistory(await readTabByName(source, p.dashboard ?? '', p.tab ?? ''), typeof name === 'string' ? name : '', nowOf(source));
    });
    done();
  };
}
