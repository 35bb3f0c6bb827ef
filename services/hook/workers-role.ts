import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ConfigWatcher } from '../../lib/config/index.ts';
import { createServer } from '../../lib/http/server.ts';
import type { Closeable } from '../../lib/http/shutdown.ts';
import { assertRedisReachable } from '../../lib/queue/redis.ts';
import { startStaleSweeper, type StaleSweeper } from '../../plugins/lifecycle/index.ts';
import { openJobStore } from '../job-store.ts';
import type { ServiceContext } from '../service.ts';
import { startEventWorkers, type EventWorkers } from './worker/index.ts';

/**
 * hook's workers (`HOOK_ROLE` workers or all): the plugins run on the events queue, with the one JobStore
 * trigger creates and aborts ProwJobs in, and the stale sweeper when `STALE_REPOS` names repos. Their
 * metrics go to `metrics`. Their parts go on `started` in close order before any of them starts, so a
 * failed start closes what did start: the workers finish the deliveries they hold, then the store closes.
 */
export async function startWorkers(ctx: ServiceContext, watcher: ConfigWatcher, metrics: Registry, started: Closeable[]): Promise<void> {
  const jobs = openJobStore(ctx, watcher.current.config);
  const running: { workers?: EventWorkers; stale?: StaleSweeper } = {};
  started.push(
    { name: 'event workers', close: async () => running.workers?.close() },
    { name: 'job store', close: () => jobs.close() },
    { name: 'stale aging', close: async () => running.stale?.close() },
  );
  const config = () => ({ prow: watcher.current.config, plugins: watcher.current.plugins });
  running.workers = await startEventWorkers({ redis: ctx.redis, github: ctx.github.client, logger: ctx.logger, config, metrics, botLogin: ctx.github.botLogin, jobs });
  // Prow leaves stale aging to periodic commenter jobs; here it is a job scheduler per repo, run by hook.
  const aging = ctx.env.stale;
  if (aging.repos.length > 0) {
    running.stale = await startStaleSweeper({ redis: ctx.redis, github: ctx.github.client, logger: ctx.logger, repos: aging.repos, periods: aging.periods, dryRun: aging.dryRun, every: aging.every });
  }
}

/**
 * A workers-only process's HTTP server: /healthz (Redis answers) and /metrics, and no `/hook`, so a webhook
 * sent here by mistake gets 404 instead of a 200 from a process that would not journal it.
 */
export function startWorkersHttp(ctx: ServiceContext, started: Closeable[]): FastifyInstance {
  const app = createServer({ name: 'hook', logger: ctx.logger, processMetrics: true, health: { redis: () => assertRedisReachable(ctx.redis.url) } });
  started.push({ name: 'hook http', close: () => app.close() });
  return app;
}
