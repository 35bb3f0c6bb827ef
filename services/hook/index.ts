import { ConfigWatcher } from '../../lib/config/index.ts';
import { closeAll } from '../../lib/http/shutdown.ts';
import { openJobStore } from '../job-store.ts';
import type { RunningService, Service } from '../service.ts';
import { buildHookApp } from './app.ts';
import { JournalDrainer } from './journal-drainer.ts';
import { parseWebhookSecret } from '../../lib/webhooks/webhook-secrets.ts';
import { startEventWorkers } from './worker/index.ts';
import { startStaleSweeper, type StaleSweeper } from '../../plugins/lifecycle/index.ts';

/** Prow's hook port. */
const defaultPort = 8888;

/**
 * hook: takes GitHub's webhooks durably (`POST /hook`), moves them into the `events` queue, and runs the
 * plugins on them in workers. Refuses to start on a bad configuration or a malformed webhook secret.
 */
export const hook: Service = {
  name: 'hook',
  summary: 'webhook intake, durable event queue and plugin dispatch',
  async start(ctx): Promise<RunningService> {
    const logger = ctx.logger;
    const secrets = parseWebhookSecret(ctx.github.webhookSecret);
    const watcher = await ConfigWatcher.start({ ...ctx.configPaths, logger });
    const config = () => ({ prow: watcher.current.config, plugins: watcher.current.plugins });
    const app = buildHookApp({ logger, redis: ctx.redis, secrets, pluginConfig: () => watcher.current.plugins, processMetrics: true });
    const drainer = JournalDrainer.start({ redis: ctx.redis, logger, metrics: app.metrics });
    // One store for every plugin context: trigger creates and aborts ProwJobs there for the controller to run.
    const jobs = openJobStore(ctx, watcher.current.config);
    let workers: Awaited<ReturnType<typeof startEventWorkers>> | undefined;
    let stale: StaleSweeper | undefined;
    try {
      workers = await startEventWorkers({ redis: ctx.redis, github: ctx.github.client, logger, config, metrics: app.metrics, botLogin: ctx.github.botLogin, jobs });
      // Prow leaves stale aging to periodic commenter jobs; here it is a job scheduler per repo, run by hook.
      const aging = ctx.env.stale;
      if (aging.repos.length > 0) {
        stale = await startStaleSweeper({ redis: ctx.redis, github: ctx.github.client, logger, repos: aging.repos, periods: aging.periods, dryRun: aging.dryRun, every: aging.every });
      }
      await app.listen({ port: ctx.env.port ?? defaultPort, host: '0.0.0.0' });
    } catch (err) {
      await app.close();
      await drainer.close();
      await workers?.close();
      await jobs.close();
      await stale?.close();
      watcher.close();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : (ctx.env.port ?? defaultPort);
    const url = `http://127.0.0.1:${port}`;
    logger.info({ url, webhook: `${url}/hook` }, 'hook listening');
    return {
      name: 'hook',
      url,
      webhookUrl: `${url}/hook`,
      async close() {
        // Stop taking webhooks and answer those in flight (their journal writes finish), then stop moving
        // entries, then let the workers finish the deliveries they hold.
        const ok = await closeAll(
          [
            { name: 'hook http', close: () => app.close() },
            { name: 'journal drainer', close: () => drainer.close() },
            { name: 'event workers', close: () => workers.close() },
            { name: 'job store', close: () => jobs.close() },
            { name: 'stale aging', close: () => stale?.close() ?? Promise.resolve() },
            { name: 'config watcher', close: () => { watcher.close(); return Promise.resolve(); } },
          ],
          logger,
        );
        if (!ok) throw new Error('hook did not close cleanly; see the log lines above');
      },
    };
  },
};
