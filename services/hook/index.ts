import type { FastifyInstance } from 'fastify';
import { ConfigWatcher } from '../../lib/config/index.ts';
import { closeAll, type Closeable } from '../../lib/http/shutdown.ts';
import type { RunningService, Service } from '../service.ts';
import { startIntake } from './intake-role.ts';
import { startWorkers, startWorkersHttp } from './workers-role.ts';

/** Prow's hook port. */
const defaultPort = 8888;

/**
 * hook: takes GitHub's webhooks durably (`POST /hook`), moves them into the `events` queue, and runs the
 * plugins on them in workers. `HOOK_ROLE` picks the intake, the workers, or both (the default); the two meet
 * only in Redis. Refuses to start on a bad configuration or (with the intake) a malformed webhook secret.
 */
export const hook: Service = {
  name: 'hook',
  summary: 'webhook intake, durable event queue and plugin dispatch',
  async start(ctx): Promise<RunningService> {
    const logger = ctx.logger;
    const role = ctx.env.hookRole;
    const watcher = await ConfigWatcher.start({ ...ctx.configPaths, logger });
    // In close order: stop taking requests (the intake's in flight finish their journal writes), then stop
    // moving entries, then let the workers finish the deliveries they hold.
    const parts: Closeable[] = [];
    const closeParts = () => closeAll([...parts, { name: 'config watcher', close: () => { watcher.close(); return Promise.resolve(); } }], logger);
    let app: FastifyInstance;
    try {
      app = role === 'workers' ? startWorkersHttp(ctx, parts) : startIntake(ctx, watcher, parts);
      if (role !== 'intake') await startWorkers(ctx, watcher, app.metrics, parts);
      await app.listen({ port: ctx.env.port ?? defaultPort, host: '0.0.0.0' });
    } catch (err) {
      await closeParts();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : (ctx.env.port ?? defaultPort);
    const url = `http://127.0.0.1:${String(port)}`;
    const webhookUrl = role === 'workers' ? undefined : `${url}/hook`;
    logger.info({ url, role, webhook: webhookUrl }, 'hook listening');
    return {
      name: 'hook',
      url,
      webhookUrl,
      async close() {
        if (!(await closeParts())) throw new Error('hook did not close cleanly; see the log lines above');
      },
    };
  },
};
