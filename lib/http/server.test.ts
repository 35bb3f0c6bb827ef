import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { createServer, metricPrefix } from './server.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('createServer', () => {
  it('answers /healthz while every check passes and names the failing one otherwise', async () => {
    let redisUp = true;
    app = createServer({
      name: 'hook',
      logger: memoryLogger().logger,
      health: {
        redis: () => {
          if (!redisUp) throw new Error('connection refused');
        },
      },
    });
    const ok = await app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok' });
    redisUp = false;
    const bad = await app.inject({ method: 'GET', url: '/healthz' });
    expect(bad.statusCode).toBe(503);
    expect(bad.json()).toEqual({ status: 'unhealthy', failed: { redis: 'connection refused' } });
  });

  it('closes a keep-alive connection that was busy when close() began, instead of holding shutdown', async () => {
    const server = createServer({ name: 'test-svc', logger: memoryLogger().logger });
    let release = (): void => undefined;
    const entered = new Promise<void>((resolve) => {
      server.get('/slow', () => {
        resolve();
        return new Promise((r) => (release = () => { r({ ok: true }); }));
      });
    });
    // The slow request finishes once closing has begun, as a webhook in flight at SIGTERM does.
    server.addHook('preClose', (done) => {
      release();
      done();
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const response = fetch(`http://127.0.0.1:${port}/slow`);
    await entered;
    const closed = server.close();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    await closed;
  });

  it('counts requests by route and code in its own registry', async () => {
    app = createServer({ name: 'test-svc', logger: memoryLogger().logger });
    app.get('/things/:id', () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/things/1' });
    await app.inject({ method: 'GET', url: '/things/2' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('prow_test_svc_http_requests_total{method="GET",route="/things/:id",code="200"} 2');
    expect(res.body).toContain('route="unmatched",code="404"} 1');
  });

  it('keeps registries apart so two services in one process do not clash', async () => {
    const a = createServer({ name: 'same', logger: memoryLogger().logger });
    const b = createServer({ name: 'same', logger: memoryLogger().logger });
    expect(a.metrics).not.toBe(b.metrics);
    await a.close();
    await b.close();
  });

  it('logs server errors through the service logger', async () => {
    const mem = memoryLogger();
    app = createServer({ name: 'x', logger: mem.logger });
    app.get('/boom', () => {
      throw new Error('kaput');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    const errors = mem.lines.filter((l) => l.level === 50);
    expect(errors.map((l) => l.msg)).toContain('request failed');
    expect(JSON.stringify(errors)).toContain('kaput');
  });

  it('makes metric prefixes Prometheus-safe', () => {
    expect(metricPrefix('testgrid-ui')).toBe('prow_testgrid_ui_');
  });
});
