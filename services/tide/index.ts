import { resolve } from 'node:path';
import { ConfigWatcher, type ProwConfig } from '../../lib/config/index.ts';
import type { GitHubClient } from '../../lib/github/github-client.ts';
import { closeAll } from '../../lib/http/shutdown.ts';
import { createRedis } from '../../lib/queue/redis.ts';
import { parseWebhookSecret } from '../../lib/webhooks/webhook-secrets.ts';
import { openJobStore } from '../job-store.ts';
import type { RunningService, Service } from '../service.ts';
import { createTideApp } from './app.ts';
import { createTrainBuilder } from './landing/index.ts';
import { PoolStore } from './pool-store.ts';
import { StatusWriter } from './status-writer.ts';
import { createChangedFilesAgent, createRepoMergeMethodsReader, poolJobsFromStore, syncTide } from './sync/index.ts';
import { TideController, type TideView } from './tide-controller.ts';
import { TideMetrics } from './tide-metrics.ts';
import { statusUpdatePeriodMs, targetUrlFor } from './tide-settings.ts';

/** Prow's Tide listens on 8888; ours on 8889, so that one `prow start` can run it beside hook (8888). */
const defaultPort = 8889;

/** Where git is for a GitHub API URL: the emulator serves both at one URL; GitHub Enterprise drops `/api/v3`. */
export function gitBaseUrlFor(github: GitHubClient, emulated: boolean): string {
  if (emulated) return github.baseUrl;
  const api = github.baseUrl.replace(/\/+$/, '');
  if (api === 'https://api.github.com') return 'https://github.com';
  return api.replace(/\/api\/v3$/, '');
}

/**
 * tide: Prow's merge automation with a merge queue. Each sync reads the pools with Tide's searches
 * (services/tide/sync), steps each pool's queue (pool-step.ts: speculative trains built with real git and
 * tested as batch ProwJobs, landed by fast-forward or Tide's merge API), and writes the `tide` statuses.
 */
export const tide: Service = {
  name: 'tide',
  summary: 'merges PRs through a speculative, batching merge queue (Prow Tide compatible)',
  async start(ctx): Promise<RunningService> {
    const logger = ctx.logger.child({ component: 'tide' });
    const watcher = await ConfigWatcher.start({ ...ctx.configPaths, logger });
    const config = (): ProwConfig => watcher.current.config;
    const jobs = openJobStore(ctx, config());
    const redis = createRedis(ctx.redis, `${ctx.redis.prefix}:tide`);
    const store = new PoolStore(redis, ctx.redis);
    const github = ctx.github.client;
    const builder = createTrainBuilder({
      workDir: ctx.env.tideWorkDir ?? resolve('.prow', 'tide'),
      gitBaseUrl: gitBaseUrlFor(github, ctx.github.emulated),
      token: (org, repo) => github.getInstallationToken(org, repo),
      log: logger,
    });
    const changedFiles = createChangedFilesAgent(github.octokit);
    const repoMethods = createRepoMergeMethodsReader(github.octokit);
    const poolJobs = poolJobsFromStore(jobs);
    // The PRs outside every query are searched at most every status_update_period, as Tide's status loop.
    let outsideAt = 0;
    const sync = async (current: ProwConfig): Promise<TideView> => {
      const outside = Date.now() - outsideAt >= statusUpdatePeriodMs(current.tide);
      const snapshot = await syncTide(github.octokit, current, { jobs: poolJobs, changedFiles, repoMethods, log: logger, outside });
      if (outside) outsideAt = Date.now();
      if (snapshot.failures.length > 0) {
        // A failed search hides PRs: acting on it would read them as gone. Nothing moves until a sync is whole.
        throw new Error(`a Tide search failed, so no pool is stepped this sync: ${snapshot.failures.map((f) => f.error).join('; ')}`);
      }
      for (const pool of snapshot.pools.filter((p) => p.error !== undefined)) logger.warn({ pool: pool.key, error: pool.error }, 'pool left as it was this sync');
      return { pools: snapshot.pools.filter((p) => p.error === undefined), outside: snapshot.outside };
    };
    let app: ReturnType<typeof createTideApp> | undefined;
    let controller: TideController | undefined;
    const secrets = parseWebhookSecret(ctx.github.webhookSecret);
    try {
      app = createTideApp({
        logger,
        store,
        secrets,
        nudge: (event) => {
          controller?.nudge(`webhook ${event}`);
        },
        health: {
          redis: async () => {
            await redis.ping();
          },
        },
        processMetrics: true,
      });
      const metrics = new TideMetrics(app.metrics);
      const statuses = new StatusWriter(github, logger, (org, repo, pull) => targetUrlFor(config().tide, org, repo, pull));
      controller = new TideController({ github, jobs, builder, store, statuses, metrics, config, sync, log: logger });
      await controller.start();
      await app.listen({ port: ctx.env.tidePort ?? defaultPort, host: '0.0.0.0' });
    } catch (err) {
      await controller?.close();
      await app?.close();
      await jobs.close();
      redis.disconnect();
      watcher.close();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : defaultPort;
    const url = `http://127.0.0.1:${String(port)}`;
    logger.info({ url }, 'tide running');
    const running = { app, controller };
    return {
      name: 'tide',
      url,
      // In local mode the emulator sends webhooks here too; in a cluster hook forwards them (external plugin).
      webhookUrl: `${url}/hook`,
      async close() {
        await closeAll(
          [
            { name: 'server', close: () => running.app.close() },
            { name: 'controller', close: () => running.controller.close() },
            { name: 'jobs', close: () => jobs.close() },
            {
              name: 'redis+config',
              close: () => {
                redis.disconnect();
                watcher.close();
                return Promise.resolve();
              },
            },
          ],
          logger,
        );
      },
    };
  },
};
