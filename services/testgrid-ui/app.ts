import type { FastifyInstance } from 'fastify';
import { isProwError } from '../../lib/errors.ts';
import type { JobStore } from '../../lib/jobs/index.ts';
import { createServer, type HealthCheck } from '../../lib/http/server.ts';
import type { Logger } from '../../lib/log.ts';
import { buildApi, type BuildStores, type JunitLens } from './api/build.ts';
import { commandHelpApi, type HelpSource } from './api/command-help.ts';
import { gridApi, type GridSource } from './api/grid.ts';
import { jobsApi } from './api/jobs.ts';
import { mergeQueueApi, type TideSource } from './api/merge-queue.ts';
import { prDashboardApi, type PrDashboardSource } from './api/pr-dashboard.ts';
import { HttpProblem } from './api/problem.ts';
import { triageApi, type TriageSource } from './api/triage.ts';
import { buildPage } from './pages/build-page.ts';
import { commandHelpPage } from './pages/command-help-page.ts';
import { html } from './pages/html.ts';
import { jobsPages } from './pages/jobs-page.ts';
import { gridNav, gridPages } from './pages/grid-pages.ts';
import { defaultNav, pageLayout, type NavEntry } from './pages/layout.ts';
import { mergeQueuePage } from './pages/merge-queue-page.ts';
import { prDashboardPage } from './pages/pr-dashboard-page.ts';
import { triageNav, triagePage } from './pages/triage-page.ts';
import { staticFiles } from './pages/static-files.ts';

/** Everything the dashboard reads, each behind a seam so tests and `prow start` hand in real ones. */
export interface TestgridAppDeps {
  logger: Logger;
  jobs: JobStore;
  /** The store behind each `/view/<provider>/<bucket>/` URL. */
  stores: BuildStores;
  tide: TideSource;
  help: HelpSource;
  prs: PrDashboardSource;
  /** The JUnit lens of the build page: the grid data layer's reader; without one the page has no JUnit section. */
  junitLens?: JunitLens | undefined;
  /** TestGrid's dashboards and the grids the updater keeps; without it there are no grid pages. */
  grids?: GridSource | undefined;
  /** Triage's failure clusters; without it there is no triage page. */
  triage?: TriageSource | undefined;
  /** The nav bar; by default deck's pages, then those of the grid and triage pages the deps enable. */
  nav?: readonly NavEntry[] | undefined;
  /** Bytes of build log per piece (256 KiB by default). */
  logPieceBytes?: number | undefined;
  health?: Record<string, HealthCheck> | undefined;
  processMetrics?: boolean | undefined;
}

/** Why a request failed: its status and a message that says what to do. */
function problemOf(err: unknown): { status: number; message: string } {
  if (err instanceof HttpProblem) return { status: err.status, message: err.message };
  if (isProwError(err)) return { status: err.code === 'PROW_ERR_STORAGE_NOT_FOUND' ? 404 : err.code === 'PROW_ERR_STORAGE_URL_INVALID' ? 400 : err.status, message: err.message };
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, message: err instanceof Error ? err.message : String(err) };
  return { status: 500, message: 'the dashboard failed to answer; its log says why' };
}

/**
 * The dashboard's web app: deck's pages (jobs, a pull's jobs, the build page, Tide's merge queue, the PR
 * dashboard, command help), TestGrid's dashboards and grids, and triage, each served as HTML with the JSON
 * it is made from under `/api/`, plus `/healthz` and `/metrics`.
 */
export function buildTestgridApp(deps: TestgridAppDeps): FastifyInstance {
  const app = createServer({ name: 'testgrid-ui', logger: deps.logger, health: deps.health, processMetrics: deps.processMetrics });
  const layout = pageLayout(deps.nav ?? [...defaultNav, ...(deps.grids === undefined ? [] : [gridNav]), ...(deps.triage === undefined ? [] : [triageNav])]);
  app.setErrorHandler((err, req, reply) => {
    const { status, message } = problemOf(err);
    if (status >= 500) req.log.error({ err }, 'testgrid-ui request failed');
    if (req.url.startsWith('/api/') || req.url.startsWith('/artifact/')) return reply.code(status).send({ error: message });
    const title = status === 404 ? 'Not found' : 'Something went wrong';
    return reply.code(status).type('text/html; charset=utf-8').send(layout({ title, path: req.url, body: html`<p class="problem">${message}</p>` }));
  });
  app.setNotFoundHandler((req, reply) => {
    const message = `nothing is served at ${req.url.split('?')[0] ?? ''}`;
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: message });
    return reply.code(404).type('text/html; charset=utf-8').send(layout({ title: 'Not found', path: req.url, body: html`<p class="problem">${message}; the pages are in the bar above.</p>` }));
  });
  void app.register(staticFiles);
  void app.register(jobsApi(deps.jobs));
  void app.register(buildApi(deps.stores, deps.junitLens, deps.logPieceBytes));
  void app.register(mergeQueueApi(deps.tide));
  void app.register(prDashboardApi(deps.prs));
  void app.register(commandHelpApi(deps.help));
  void app.register(jobsPages(deps.jobs, layout));
  void app.register(buildPage(deps.stores, deps.junitLens, layout, deps.logPieceBytes));
  void app.register(mergeQueuePage(deps.tide, layout));
  void app.register(prDashboardPage(deps.prs, layout));
  void app.register(commandHelpPage(deps.help, layout));
  if (deps.grids !== undefined) {
    void app.register(gridApi(deps.grids));
    void app.register(gridPages(deps.grids, layout));
  }
  if (deps.triage !== undefined) {
    void app.register(triageApi(deps.triage));
    void app.register(triagePage(deps.triage, layout));
  }
  return app;
}
