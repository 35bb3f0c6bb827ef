import type { FastifyInstance } from 'fastify';
import type { ConfigWatcher } from '../../lib/config/index.ts';
import type { Closeable } from '../../lib/http/shutdown.ts';
import { parseWebhookSecret } from '../../lib/webhooks/webhook-secrets.ts';
import type { ServiceContext } from '../service.ts';
import { buildHookApp } from './app.ts';
import { JournalDrainer } from './journal-drainer.ts';

/**
 * hook's intake (`HOOK_ROLE` intake or all): the HTTP app (`POST /hook`, /plugin-help, /healthz, /metrics)
 * and the journal drainer that moves accepted deliveries into the events queue. It needs Redis and the
 * webhook secret, nothing of Kubernetes. Its parts go on `started` in close order: HTTP first, so requests
 * in flight finish their journal writes, then the drainer.
 */
export function startIntake(ctx: ServiceContext, watcher: ConfigWatcher, started: Closeable[]): FastifyInstance {
  const secrets = parseWebhookSecret(ctx.github.webhookSecret);
  const app = buildHookApp({ logger: ctx.logger, redis: ctx.redis, secrets, pluginConfig: () => watcher.current.plugins, processMetrics: true });
  started.push({ name: 'hook http', close: () => app.close() });
  const drainer = JournalDrainer.start({ redis: ctx.redis, logger: ctx.logger, metrics: app.metrics });
  started.push({ name: 'journal drainer', close: () => drainer.close() });
  return app;
}
