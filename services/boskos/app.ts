import type { FastifyInstance } from 'fastify';
import { createServer } from '../../lib/http/server.ts';
import type { Logger } from '../../lib/log.ts';
import { boskosRoutes } from './api-routes.ts';
import { createBoskosMetrics } from './boskos-metrics.ts';
import type { Ranch } from './ranch/ranch.ts';

export interface BoskosAppDeps {
  logger: Logger;
  ranch: Ranch;
  processMetrics?: boolean | undefined;
}

/**
 * Boskos' HTTP side: its API (`/acquire`, `/acquirebystate`, `/release`, `/update`, `/reset`, `/metric`, `/`),
 * `/healthz` (which asks Redis) and `/metrics` with Boskos' metric names. Builds without listening.
 */
export function buildBoskosApp(deps: BoskosAppDeps): FastifyInstance {
  const app = createServer({ name: 'boskos', logger: deps.logger, processMetrics: deps.processMetrics, health: { redis: () => deps.ranch.ping() } });
  const metrics = createBoskosMetrics(app.metrics, deps.ranch, deps.logger);
  void app.register(boskosRoutes, { ranch: deps.ranch, metrics });
  return app;
}
