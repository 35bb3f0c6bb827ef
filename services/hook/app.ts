import type { FastifyInstance } from 'fastify';
import type { PluginConfig } from '../../lib/config/index.ts';
import { createServer } from '../../lib/http/server.ts';
import type { Logger } from '../../lib/log.ts';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { plugins as pluginTable } from '../../plugins/index.ts';
import type { Plugin } from '../../plugins/plugin.ts';
import { createHookMetrics } from './hook-metrics.ts';
import { IntakeJournal, type Intake } from './intake-journal.ts';
import { buildPluginHelp } from './plugin-help.ts';
import { webhookRoute } from './webhook-route.ts';
import type { WebhookSecrets } from '../../lib/webhooks/webhook-secrets.ts';

export interface HookAppDeps {
  logger: Logger;
  redis: RedisSettings;
  /** The parsed webhook secret (`parseWebhookSecret`). */
  secrets: WebhookSecrets;
  /** The live plugins.yaml, read per request so reloads show in /plugin-help. */
  pluginConfig: () => PluginConfig;
  /** The plugin table; all of prow-ts's plugins by default. */
  plugins?: readonly Plugin[] | undefined;
  /** Where accepted deliveries go; the Redis intake journal by default. */
  intake?: Intake | undefined;
  /** Largest body accepted, 25 MB (GitHub's cap) by default. */
  maxBodyBytes?: number | undefined;
  processMetrics?: boolean | undefined;
}

/**
 * hook's HTTP side: `POST /hook` (durable intake), `/plugin-help` (Prow's JSON), `/healthz` and `/metrics`.
 * It owns its intake and closes it after the requests in flight have been answered.
 */
export function buildHookApp(deps: HookAppDeps): FastifyInstance {
  const intake = deps.intake ?? new IntakeJournal({ redis: deps.redis, logger: deps.logger });
  const queue = createQueue(deps.redis, queueNames.events);
  queue.on('error', (err: Error) => {
    deps.logger.debug({ err: err.message }, 'hook: queue connection error');
  });
  const app = createServer({
    name: 'hook',
    logger: deps.logger,
    processMetrics: deps.processMetrics,
    health: {
      redis: async () => {
        await intake.depth();
      },
    },
  });
  const metrics = createHookMetrics(
    app.metrics,
    { journalDepth: () => intake.depth(), queueCounts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed') },
    deps.logger,
  );
  void app.register(webhookRoute, { path: '/hook', secrets: deps.secrets, intake, metrics, maxBodyBytes: deps.maxBodyBytes });
  const plugins = deps.plugins ?? pluginTable;
  app.get('/plugin-help', () => buildPluginHelp(plugins, deps.pluginConfig(), deps.logger));
  app.addHook('onClose', async () => {
    await intake.close();
    await queue.close();
  });
  return app;
}
