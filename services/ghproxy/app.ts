import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createServer } from '../../lib/http/server.ts';
import type { Logger } from '../../lib/log.ts';
import { AppTokenEqualizer } from './app-token-equalizer.ts';
import { cacheModeHeader } from './cache-mode.ts';
import type { CacheStore } from './cache/cache-store.ts';
import { GhproxyMetrics } from './ghproxy-metrics.ts';
import type { GhproxySettings } from './ghproxy-settings.ts';
import { headerValue, type HeaderMap } from './headers.ts';
import { GhProxy, prepend } from './proxy.ts';
import { badRequestAnswer, type ProxyAnswer } from './proxy-answer.ts';
import { Throttle } from './upstream/throttle.ts';
import { Upstream } from './upstream/upstream.ts';

/** What the app is built from; the store belongs to the caller, which closes it. */
export interface GhproxyAppDeps {
  logger: Logger;
  /** GitHub's REST base URL. */
  upstream: string;
  store: CacheStore;
  settings: Pick<GhproxySettings, 'concurrency' | 'requestTimeoutMs' | 'spacing' | 'secondaryRetries' | 'shareAppTokens'> & { cache: { maxEntryBytes: number } };
  /** Milliseconds per second of `retry-after`; 1000 unless a test makes waits short. */
  retryAfterUnitMs?: number | undefined;
  now?: (() => number) | undefined;
  processMetrics?: boolean | undefined;
  /** Largest request body (a write's JSON) taken; 25 MiB by default, above GitHub's own limits for JSON. */
  bodyLimit?: number | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The proxy behind the routes, for the service's metrics and tests. */
    ghproxy: GhProxy;
  }
}

function etagMatches(header: string | string[] | undefined, etag: string | undefined): boolean {
  if (header === undefined || etag === undefined) return false;
  const strip = (t: string): string => t.trim().replace(/^W\//, '');
  return (Array.isArray(header) ? header.join(',') : header).split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

/**
 * `Link` with GitHub's base replaced by the proxy's own, as the client reached it: Octokit's paginate follows
 * the absolute URLs in Link, and would otherwise fetch every page after the first around the proxy.
 */
function proxiedLink(link: string | string[] | undefined, upstreamBase: string, req: FastifyRequest): string | string[] | undefined {
  const host = req.headers.host;
  if (link === undefined || host === undefined) return link;
  const proto = headerValue(req.headers, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
  const rewrite = (value: string): string => value.split(`<${upstreamBase}/`).join(`<${proto}://${host}/`);
  return Array.isArray(link) ? link.map(rewrite) : rewrite(link);
}

function send(reply: FastifyReply, req: FastifyRequest, answer: ProxyAnswer, upstreamBase: string): FastifyReply {
  const headers: HeaderMap = { ...answer.headers, [cacheModeHeader]: answer.mode };
  const link = proxiedLink(answer.headers.link, upstreamBase, req);
  if (link !== undefined) headers.link = link;
  if (answer.kind === 'buffered') {
    // The client's own validators, checked against what it is about to get: a match is a 304 to it.
    if (answer.status === 200 && etagMatches(req.headers['if-none-match'], headerValue(answer.headers, 'etag'))) return reply.code(304).headers(headers).send();
    return reply.code(answer.status).headers(headers).send(answer.body);
  }
  const body = prepend(answer.head, answer.rest);
  if (req.method === 'HEAD' || answer.status === 204 || answer.status === 304) {
    body.resume();
    return reply.code(answer.status).headers(headers).send();
  }
  return reply.code(answer.status).headers(headers).send(body);
}

/**
 * ghproxy's HTTP side: every path and method other than /healthz and /metrics is proxied to GitHub, GETs
 * through the cache. Request bodies are taken as bytes, whatever their type, so a write can be sent again
 * after a secondary rate limit. Builds without listening.
 */
export function buildGhproxyApp(deps: GhproxyAppDeps): FastifyInstance {
  const bodyLimit = deps.bodyLimit ?? 25 * 1024 * 1024;
  const app = createServer({ name: 'ghproxy', logger: deps.logger, processMetrics: deps.processMetrics, bodyLimit, health: { cache: () => deps.store.ping() } });
  const upstream = new Upstream(deps.upstream, { idleMs: deps.settings.requestTimeoutMs });
  const throttle = new Throttle({ concurrency: deps.settings.concurrency, spacing: deps.settings.spacing, now: deps.now });
  const metrics = new GhproxyMetrics(app.metrics, deps.store, throttle);
  const upstreamBase = `${upstream.target.rest.origin}${upstream.target.rest.pathname.replace(/\/$/, '')}`;
  const proxy = new GhProxy({
    upstream,
    store: deps.store,
    throttle,
    metrics,
    logger: deps.logger.child({ component: 'ghproxy' }),
    equalizer: deps.settings.shareAppTokens ? new AppTokenEqualizer(deps.now === undefined ? {} : { now: deps.now }) : undefined,
    settings: {
      requestTimeoutMs: deps.settings.requestTimeoutMs,
      maxEntryBytes: deps.settings.cache.maxEntryBytes,
      secondaryRetries: deps.settings.secondaryRetries,
      retryAfterUnitMs: deps.retryAfterUnitMs ?? 1000,
    },
    now: deps.now,
  });
  app.decorate('ghproxy', proxy);
  metrics.watchCoalescer(app.metrics, proxy.coalescer);
  app.addHook('onClose', (_app, done) => {
    upstream.close();
    done();
  });

  // A request line naming another host (`GET http://elsewhere/ HTTP/1.1`) is refused: ghproxy is no open proxy.
  const notAPath = (url: string): ProxyAnswer => badRequestAnswer(400, `"${url}" is not a path; ghproxy only forwards paths to ${upstream.target.rest.origin}`);
  app.setNotFoundHandler((req, reply) => send(reply, req, notAPath(req.raw.url ?? ''), upstreamBase));

  void app.register((proxied, _opts, done) => {
    proxied.removeAllContentTypeParsers();
    proxied.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, parsed) => {
      parsed(null, body);
    });
    proxied.setErrorHandler((err: FastifyError, req, reply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) req.log.error({ err }, 'ghproxy failed');
      const message = status === 413 ? `the request body is larger than ${bodyLimit} bytes` : status === 500 ? 'internal error' : err.message;
      return send(reply, req, badRequestAnswer(status, message), upstreamBase);
    });
    proxied.all('/*', async (req, reply) => {
      const url = req.raw.url ?? '/';
      if (!url.startsWith('/')) return send(reply, req, notAPath(url), upstreamBase);
      const body = Buffer.isBuffer(req.body) ? req.body : undefined;
      const answer = await proxy.handle({ method: req.method, url, headers: req.headers, body });
      return send(reply, req, answer, upstreamBase);
    });
    done();
  });
  return app;
}
