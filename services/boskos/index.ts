import { Counter } from 'prom-client';
import { closeAll } from '../../lib/http/shutdown.ts';
import type { Logger } from '../../lib/log.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import type { RunningService, Service } from '../service.ts';
import { buildBoskosApp } from './app.ts';
import { readBoskosEnv, type BoskosEnv } from './boskos-env.ts';
import { Janitor } from './upkeep/janitor.ts';
import type { Periodic } from './upkeep/periodic.ts';
import { openRanchRedis } from './ranch/ranch-redis.ts';
import { startReaper } from './upkeep/reaper.ts';
import { RedisRanch } from './ranch/redis-ranch.ts';
import { ResourceSyncer } from './resources/resource-syncer.ts';

/** Boskos' port. */
export const defaultBoskosPort = 8080;

export interface StartBoskosOptions {
  env: BoskosEnv;
  redis: RedisSettings;
  logger: Logger;
  /** Where to listen; all interfaces by default, as in a Pod. */
  host?: string | undefined;
  /** For tests: milliseconds now (the ranch reads Redis' clock otherwise). */
  clock?: (() => number) | undefined;
  processMetrics?: boolean | undefined;
}

/** A running Boskos and its parts, for tests that drive the reaper or the syncer directly. */
export interface RunningBoskos extends RunningService {
  url: string;
  ranch: RedisRanch;
  syncer: ResourceSyncer;
}

/** Starts Boskos: the ranch in Redis, the resources file synced and watched, the HTTP API, reaper and janitor. */
export async function startBoskos(opts: StartBoskosOptions): Promise<RunningBoskos> {
  const { env, logger } = opts;
  const redis = await openRanchRedis(opts.redis, `${opts.redis.prefix}:boskos`, logger);
  const ranch = new RedisRanch({ redis, prefix: opts.redis.prefix, requestTtlMs: env.requestTtlMs, clock: opts.clock });
  const parts: { name: string; close: () => Promise<unknown> }[] = [];
  const app = buildBoskosApp({ logger, ranch, processMetrics: opts.processMetrics });
  try {
    const syncer = await ResourceSyncer.start({ ranch, file: env.configPath, log: logger, periodMs: env.syncPeriodMs });
    parts.push({ name: 'resource sync', close: () => syncer.close() });
    if (env.configPath === undefined) logger.warn('boskos: BOSKOS_CONFIG is not set; serving the resources Redis already holds');
    let reaper: Periodic | undefined;
    if (env.reaper !== undefined) {
      const reaped = new Counter({ name: 'prow_boskos_reaped_total', help: 'Leases the reaper took back from owners that stopped heartbeating, by type.', labelNames: ['type'] as const, registers: [app.metrics] });
      reaper = startReaper({ ...env.reaper, ranch, log: logger, onReaped: (type) => { reaped.inc({ type }); } });
      parts.push({ name: 'reaper', close: () => reaper?.close() ?? Promise.resolve() });
    }
    let janitor: Janitor | undefined;
    if (env.janitor !== undefined) {
      const cleaned = new Counter({ name: 'prow_boskos_janitor_cleanups_total', help: 'Cleanups the janitor ran, by type and result (free or dirty).', labelNames: ['type', 'result'] as const, registers: [app.metrics] });
      janitor = Janitor.start({ ...env.janitor, ranch, types: () => syncer.types(), log: logger, onCleaned: (type, _name, ok) => { cleaned.inc({ type, result: ok ? 'free' : 'dirty' }); } });
      parts.push({ name: 'janitor', close: () => janitor?.close() ?? Promise.resolve() });
    } else {
      logger.info('boskos: no BOSKOS_JANITOR_COMMAND; dirty resources stay dirty until something cleans them');
    }
    await app.listen({ port: env.port ?? defaultBoskosPort, host: opts.host ?? '0.0.0.0' });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : (env.port ?? defaultBoskosPort);
    const url = `http://127.0.0.1:${port}`;
    logger.info({ url, config: env.configPath, types: syncer.types(), reaper: env.reaper !== undefined, janitor: env.janitor !== undefined }, 'boskos listening');
    return {
      name: 'boskos',
      url,
      ranch,
      syncer,
      async close() {
        // Stop taking requests (answering those in flight), then stop cleanups (their resources go back
        // dirty), the reaper and the sync, and last the Redis connection they all use.
        const ok = await closeAll(
          [{ name: 'boskos http', close: () => app.close() }, ...parts.reverse(), { name: 'boskos redis', close: () => redis.quit() }],
          logger,
        );
        if (!ok) throw new Error('boskos did not close cleanly; see the log lines above');
      },
    };
  } catch (err) {
    await closeAll([{ name: 'boskos http', close: () => app.close() }, ...parts.reverse()], logger);
    redis.disconnect();
    throw err;
  }
}

/**
 * boskos: Boskos' resource leasing for jobs (`POST /acquire`, `/update` as the heartbeat, `/release`), with its
 * resources file, reaper, janitor and dynamic resources, state in Redis so replicas serve together.
 */
export const boskos: Service = {
  name: 'boskos',
  summary: "leases test resources (projects, clusters) to jobs over Boskos' API; reaper, janitor, dynamic resources",
  start(ctx) {
    return startBoskos({ env: readBoskosEnv(), redis: ctx.redis, logger: ctx.logger, processMetrics: true });
  },
};
