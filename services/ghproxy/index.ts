import { ProwError } from '../../lib/errors.ts';
import { defaultGitHubApiUrl } from '../../lib/github/base-url.ts';
import { closeAll } from '../../lib/http/shutdown.ts';
import type { RunningService, Service, ServiceContext } from '../service.ts';
import { buildGhproxyApp } from './app.ts';
import { openStore } from './cache/open-store.ts';
import { readGhproxySettings, type GhproxySettings } from './ghproxy-settings.ts';

export { buildGhproxyApp, type GhproxyAppDeps } from './app.ts';
export { readGhproxySettings, type GhproxySettings } from './ghproxy-settings.ts';
export { cacheModeHeader, cacheModeIsFree, cacheModes, type CacheMode } from './cache-mode.ts';

function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}

/**
 * Where ghproxy sends requests: GHPROXY_UPSTREAM, else GITHUB_API_URL, else the emulator `prow start` runs,
 * else api.github.com. Refuses an upstream that is ghproxy itself (GHPROXY_URL), which would loop.
 */
export function upstreamFor(settings: Pick<GhproxySettings, 'upstream'>, ctx: Pick<ServiceContext, 'env' | 'github'>): string {
  const chosen = settings.upstream ?? ctx.env.githubApiUrl ?? (ctx.github.emulated ? ctx.github.client.baseUrl : defaultGitHubApiUrl);
  const self = ctx.env.ghproxyUrl?.replace(/\/+$/, '');
  if (self !== undefined && chosen.replace(/\/+$/, '') === self) {
    throw new ProwError('PROW_ERR_ENV_INVALID', 'GHPROXY_UPSTREAM', `ghproxy would send requests to itself (${self}); set GHPROXY_UPSTREAM to GitHub's API URL`);
  }
  return chosen;
}

/**
 * ghproxy: Prow's caching GitHub API proxy. Components that set GHPROXY_URL send every REST and GraphQL call
 * through it; GETs are cached per token and always revalidated, so an unchanged resource costs nothing.
 */
export const ghproxy: Service = {
  name: 'ghproxy',
  summary: 'caching GitHub API proxy: per-token ETag cache revalidated on every hit, coalescing, throttling',
  async start(ctx): Promise<RunningService> {
    const settings = readGhproxySettings();
    const upstream = upstreamFor(settings, ctx);
    const logger = ctx.logger;
    const store = await openStore(settings.cache, ctx.redis);
    const app = buildGhproxyApp({ logger, upstream, store, settings, processMetrics: true });
    let pruning: Promise<unknown> = Promise.resolve();
    const prune = (): void => {
      pruning = store.prune(Date.now()).then(
        (r) => {
          if (r.partitions > 0 || r.entries > 0) logger.info(r, 'ghproxy pruned stale cache partitions and entries');
        },
        (err: unknown) => {
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'ghproxy could not prune its cache');
        },
      );
    };
    const timer = setInterval(prune, settings.cache.pruneEveryMs);
    timer.unref();
    try {
      await app.listen({ port: settings.port, host: '0.0.0.0' });
    } catch (err) {
      clearInterval(timer);
      await app.close();
      await store.close();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : settings.port;
    const url = `http://127.0.0.1:${String(port)}`;
    logger.info({ url, upstream: withoutCredentials(upstream), cache: settings.cache.kind, concurrency: settings.concurrency, spacing: settings.spacing !== undefined }, 'ghproxy running');
    return {
      name: 'ghproxy',
      url,
      async close() {
        clearInterval(timer);
        await closeAll(
          [
            { name: 'server', close: () => app.close() },
            { name: 'prune', close: () => pruning },
            { name: 'cache', close: () => store.close() },
          ],
          logger,
        );
      },
    };
  },
};
