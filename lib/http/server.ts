import { fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../log.ts';
import { RequestLogging } from './request-logging.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This service's own Prometheus registry, served at /metrics. */
    metrics: Registry;
  }
}

/** What `/healthz` reports: ok, plus any named checks that failed. */
export type HealthCheck = () => Promise<void> | void;

export interface ServerOptions {
  /** Service name: the metric prefix is `prow_<name>_` with dashes made underscores. */
  name: string;
  logger: Logger;
  /** Checks run by /healthz; a throw makes it answer 503 naming the check. */
  health?: Record<string, HealthCheck> | undefined;
  /** Collect process metrics (CPU, memory, event loop). Off in tests that build many servers. */
  processMetrics?: boolean | undefined;
  bodyLimit?: number | undefined;
}

/** Metric name prefix for a service: `prow_<service>_`. */
export function metricPrefix(name: string): string {
  return `prow_${name.replace(/[^a-zA-Z0-9]/g, '_')}_`;
}

/**
 * Builds the fastify instance every service starts from: request logging through the service's pino logger,
 * `/healthz`, and `/metrics` from a registry of the service's own.
 */
export function createServer(opts: ServerOptions): FastifyInstance {
  const logger: FastifyBaseLogger = opts.logger;
  const app = fastify({
    loggerInstance: logger,
    logController: new RequestLogging(),
    bodyLimit: opts.bodyLimit ?? 1 << 20,
    forceCloseConnections: 'idle',
  });
  const registry = new Registry();
  const prefix = metricPrefix(opts.name);
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix });
  app.decorate('metrics', registry);

  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests answered, by method, route and status code.',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request duration in seconds, by route.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });

  // A keep-alive connection busy when close() began would stay open until keepAliveTimeout (72 s in
  // fastify) after its response, holding up shutdown: answer it with `connection: close` instead.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, code: String(reply.statusCode) });
    duration.observe({ route }, reply.elapsedTime / 1000);
    done();
  });

  app.get('/healthz', async (_req, reply) => {
    const failed: Record<string, string> = {};
    for (const [name, check] of Object.entries(opts.health ?? {})) {
      try {
        await check();
      } catch (err) {
        failed[name] = err instanceof Error ? err.message : String(err);
      }
    }
    if (Object.keys(failed).length > 0) return reply.code(503).send({ status: 'unhealthy', failed });
    return { status: 'ok' };
  });

  app.get('/metrics', async (_req, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  return app;
}
