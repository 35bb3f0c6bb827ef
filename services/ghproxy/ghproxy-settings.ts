import { envChoice, envDuration, envFlag, envString, envUrl, envWhole } from '../../lib/env-vars.ts';
import { ProwError } from '../../lib/errors.ts';
import type { SpacingSettings } from './upstream/throttle.ts';

/** Where the cache lives and how much it keeps. */
export interface CacheSettings {
  kind: 'memory' | 'redis' | 'disk';
  /** The disk store's directory (Prow's `--cache-dir`). */
  dir?: string | undefined;
  /** Bytes the memory or disk store keeps before evicting the least recently used entries. */
  maxBytes: number;
  /** Largest response body kept; larger ones are streamed through. */
  maxEntryBytes: number;
  /** Milliseconds an entry or a partition lives without a request. */
  idleMs: number;
  /** Milliseconds between prunes of stale partitions (Prow prunes hourly). */
  pruneEveryMs: number;
}

/** Everything ghproxy is configured with; `readGhproxySettings` reads it from `GHPROXY_*`. */
export interface GhproxySettings {
  port: number;
  /** GitHub's REST base URL; when undefined the service uses GITHUB_API_URL, the emulator, or api.github.com. */
  upstream: string | undefined;
  cache: CacheSettings;
  /** Upstream requests in flight at once (Prow's `--concurrency`). */
  concurrency: number;
  requestTimeoutMs: number;
  /** Prow's per-budget spacing; undefined (off) unless both v3 spacings are set, as in Prow. */
  spacing: SpacingSettings | undefined;
  secondaryRetries: number;
  /** Hand every client of an App installation the same token, so they share a partition (Prow's apptokenequalizer). */
  shareAppTokens: boolean;
}

const mb = 1024 * 1024;

/**
 * Reads ghproxy's settings from `GHPROXY_*`, with Prow's defaults (port 8890 (Prow's is 8888, hook's here), 25 upstream requests at once,
 * a 30 s request timeout, spacing off), and throws PROW_ERR_ENV_INVALID naming the variable that is wrong.
 */
export function readGhproxySettings(env: NodeJS.ProcessEnv = process.env): GhproxySettings {
  const kindText = envChoice(env, 'GHPROXY_CACHE', ['memory', 'redis', 'disk'] as const) ?? 'memory';
  const dir = envString(env, 'GHPROXY_CACHE_DIR');
  if (kindText === 'disk' && dir === undefined) throw new ProwError('PROW_ERR_ENV_INVALID', 'GHPROXY_CACHE_DIR', 'the disk cache needs a directory; set GHPROXY_CACHE_DIR or choose GHPROXY_CACHE=memory or redis');
  const getMs = envWhole(env, 'GHPROXY_GET_THROTTLING_TIME_MS') ?? 0;
  const otherMs = envWhole(env, 'GHPROXY_THROTTLING_TIME_MS') ?? 0;
  const spacing: SpacingSettings | undefined =
    getMs > 0 && otherMs > 0
      ? {
          getMs,
          otherMs,
          v4Ms: envWhole(env, 'GHPROXY_THROTTLING_TIME_V4_MS') ?? otherMs,
          maxDelayMs: envDuration(env, 'GHPROXY_THROTTLING_MAX_DELAY') ?? 30_000,
          maxDelayV4Ms: envDuration(env, 'GHPROXY_THROTTLING_MAX_DELAY_V4') ?? 30_000,
        }
      : undefined;
  return {
    port: envWhole(env, 'GHPROXY_PORT') ?? 8890,
    upstream: envUrl(env, 'GHPROXY_UPSTREAM'),
    cache: {
      kind: kindText,
      dir,
      maxBytes: (envWhole(env, 'GHPROXY_CACHE_SIZE_MB', 1) ?? (kindText === 'disk' ? 10_240 : 256)) * mb,
      maxEntryBytes: (envWhole(env, 'GHPROXY_MAX_ENTRY_MB', 1) ?? 8) * mb,
      idleMs: envDuration(env, 'GHPROXY_CACHE_TTL') ?? 7 * 24 * 3_600_000,
      pruneEveryMs: envDuration(env, 'GHPROXY_PRUNE_INTERVAL') ?? 3_600_000,
    },
    concurrency: envWhole(env, 'GHPROXY_CONCURRENCY', 1) ?? 25,
    requestTimeoutMs: envDuration(env, 'GHPROXY_REQUEST_TIMEOUT') ?? 30_000,
    spacing,
    secondaryRetries: envWhole(env, 'GHPROXY_SECONDARY_RETRIES') ?? 3,
    shareAppTokens: envFlag(env, 'GHPROXY_SHARE_APP_TOKENS') ?? true,
  };
}
