import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigWatcher, type ProwConfig } from '../../lib/config/index.ts';
import { closeAll } from '../../lib/http/shutdown.ts';
import { createRedis } from '../../lib/queue/redis.ts';
import { storeLocationOf, storePool, type ObjectStore } from '../../lib/storage/index.ts';
import { plugins } from '../../plugins/index.ts';
import { buildPluginHelp } from '../hook/plugin-help.ts';
import { openJobStore } from '../job-store.ts';
import type { RunningService, Service, ServiceContext } from '../service.ts';
import { PoolStore } from '../tide/pool-store.ts';
import { gitBaseUrlFor } from '../tide/index.ts';
import { buildTestgridApp } from './app.ts';
import type { BuildStores, JunitLens } from './api/build.ts';
import { helpOverHttp } from './api/command-help.ts';
import { tideFromStore, tideOverHttp } from './api/merge-queue.ts';
import { prDashboardFrom } from './api/pr-dashboard.ts';
import { HttpProblem } from './api/problem.ts';
import { junitLensFrom } from './api/junit-lens.ts';
import { DashboardUpdater } from './dashboard-updater.ts';
import { RedisGridStore } from './grid/redis-grid-store.ts';
import { createStoreResolver, type StoreResolver } from './grid/store-resolver.ts';
import { createJUnitParserPool, inlineJUnitParser } from './junit/junit-parser.ts';
import type { NavEntry } from './pages/layout.ts';
import { RedisFailureStore } from './triage/failure-store.ts';
import { TriageFeed } from './triage/triage-feed.ts';
import { readTestgridSettings, type TestgridSettings } from './testgrid-settings.ts';

/** The one store every bucket is in (local mode, `STORAGE_LOCATION`), or undefined when each bucket is its own. */
function oneStoreLocation(ctx: Pick<ServiceContext, 'env'>): string | undefined {
  return ctx.env.jobRunner === 'local' ? (ctx.env.storageLocation ?? resolve('.prow', 'storage')) : ctx.env.storageLocation;
}

/**
 * The stores builds are read from, as the controller uploads them: local mode (and any `STORAGE_LOCATION`)
 * keeps every bucket in one place; otherwise `/view/gs/<bucket>` is that GCS bucket and `/view/s3/<bucket>` that S3 one.
 */
export function buildStoresFor(ctx: Pick<ServiceContext, 'env'>, cache: { open(location: string): Promise<ObjectStore> }): BuildStores {
  const one = oneStoreLocation(ctx);
  return (provider, bucket) => {
    if (one !== undefined) return cache.open(storeLocationOf(one));
    if (provider !== 'gs' && provider !== 's3') return Promise.reject(new HttpProblem(400, `/view/${provider}/ names no storage prow-ts reads; use gs or s3`));
    return cache.open(`${provider}://${bucket}`);
  };
}

/** Where the updater finds a test group's builds: the same stores the build pages read. */
async function resolverFor(ctx: Pick<ServiceContext, 'env'>, cache: { open(location: string): Promise<ObjectStore> }): Promise<StoreResolver> {
  const one = oneStoreLocation(ctx);
  return createStoreResolver(one === undefined ? {} : { everyBucket: await cache.open(storeLocationOf(one)) });
}

/** What the lead wires in beside the service's own parts. */
export interface TestgridExtras {
  junitLens?: JunitLens | undefined;
  nav?: readonly NavEntry[] | undefined;
}

/** Starts the dashboard with `settings`: its stores, Tide and hook sources, the PR dashboard over GitHub, and the HTTP side. */
export async function startTestgridUi(ctx: ServiceContext, settings: TestgridSettings, extras: TestgridExtras = {}): Promise<RunningService> {
  const logger = ctx.logger.child({ component: 'testgrid-ui' });
  const watcher = await ConfigWatcher.start({ ...ctx.configPaths, logger });
  const config = (): ProwConfig => watcher.current.config;
  const jobs = openJobStore(ctx, config());
  const stores = storePool();
  // One Redis connection for everything the dashboard keeps there: grids, triage's failures, Tide's pools.
  const redis = createRedis(ctx.redis, `${ctx.redis.prefix}:testgrid-ui`);
  const tide = settings.tideUrl === undefined ? tideFromStore(new PoolStore(redis, ctx.redis)) : tideOverHttp(settings.tideUrl);
  const parser = settings.parserThreads > 0 ? createJUnitParserPool(settings.parserThreads) : inlineJUnitParser;
  const grids = new RedisGridStore(ctx.redis, redis);
  const failures = new RedisFailureStore(ctx.redis, {}, redis);
  // Closed in this order on stop, and on a start that fails part way (each part is closed only once opened).
  let updater: DashboardUpdater | undefined;
  let resolver: StoreResolver | undefined;
  const release = [
    { name: 'updater', close: () => updater?.close() ?? Promise.resolve() },
    { name: 'jobs', close: () => jobs.close() },
    { name: 'grids', close: () => grids.close() },
    { name: 'triage', close: () => failures.close() },
    { name: 'parser', close: () => parser.close() },
    { name: 'resolver', close: () => resolver?.close() ?? Promise.resolve() },
    { name: 'stores', close: () => stores.close() },
    {
      name: 'redis+config',
      close: () => {
        redis.disconnect();
        watcher.close();
        return Promise.resolve();
      },
    },
  ];
  let app: FastifyInstance | undefined;
  try {
    resolver = await resolverFor(ctx, stores);
    // The feed clusters the last 14 days of failures before the pages open.
    const triage = await TriageFeed.open({ store: failures, log: logger.child({ component: 'triage' }) });
    const server = buildTestgridApp({
      logger,
      jobs,
      stores: buildStoresFor(ctx, stores),
      tide,
      help: settings.hookUrl === undefined ? () => buildPluginHelp(plugins, watcher.current.plugins, logger) : helpOverHttp(settings.hookUrl),
      prs: prDashboardFrom({ github: ctx.github.client.octokit, config, webBaseUrl: gitBaseUrlFor(ctx.github.client, ctx.github.emulated), tide, log: logger }),
      junitLens: extras.junitLens ?? junitLensFrom(parser),
      grids: { config: () => dashboards.current(), grids },
      triage,
      nav: extras.nav,
      processMetrics: true,
    });
    app = server;
    const dashboards = new DashboardUpdater({
      file: settings.configFile,
      prow: config,
      updater: { stores: resolver, grids, parser, onColumns: (group, columns) => triage.ingest(group, columns) },
      intervalMs: settings.updateIntervalMs,
      log: logger.child({ component: 'testgrid-updater' }),
      metrics: server.metrics,
    });
    updater = dashboards;
    await server.listen({ port: settings.port, host: '0.0.0.0' });
    dashboards.start();
    const address = server.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : settings.port;
    const url = `http://127.0.0.1:${String(port)}`;
    logger.info({ url, tide: settings.tideUrl ?? 'pool store', hook: settings.hookUrl ?? 'plugin table', dashboards: settings.configFile ?? 'job annotations' }, 'testgrid-ui running');
    return {
      name: 'testgrid-ui',
      url,
      async close() {
        await closeAll([{ name: 'server', close: () => server.close() }, ...release], logger);
      },
    };
  } catch (err) {
    const server = app;
    await closeAll([...(server === undefined ? [] : [{ name: 'server', close: () => server.close() }]), ...release], logger);
    throw err;
  }
}

/**
 * testgrid-ui: the one web UI of prow-ts. TestGrid's dashboards and grids (kept up to date from storage),
 * triage's failure clusters, deck's jobs list and PR pages, Spyglass' build page, Tide's merge queue, the
 * PR dashboard and command help, each with its JSON under `/api/`.
 */
export const testgridUi: Service = {
  name: 'testgrid-ui',
  summary: 'the dashboard: test grids, failure triage, live jobs, build pages, merge queue, PR dashboard and command help',
  start(ctx) {
    return startTestgridUi(ctx, readTestgridSettings());
  },
};
