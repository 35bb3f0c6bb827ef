import { parseGoDuration } from '../../lib/config/go/go-duration.ts';
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

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const v = optional(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return n;
}

function duration(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const v = optional(env, name);
  if (v === undefined) return fallbackMs;
  const ms = parseGoDuration(v);
  if (ms === undefined || ms <= 0) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a positive Go duration such as 30s or 1h`);
  return ms;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = optional(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not true or false`);
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" must start with http:// or https://`);
  return v.replace(/\/+$/, '');
}

/**
 * Reads ghproxy's settings from `GHPROXY_*`, with Prow's defaults (port 8890 (Prow's is 8888, hook's here), 25 upstream requests at once,
 * a 30 s request timeout, spacing off), and throws PROW_ERR_ENV_INVALID naming the variable that is wrong.
 */
export function readGhproxySettings(env: NodeJS.ProcessEnv = process.env): GhproxySettings {
  const kindText = optional(env, 'GHPROXY_CACHE') ?? 'memory';
  if (kindText !== 'memory' && kindText !== 'redis' && kindText !== 'disk') throw new ProwError('PROW_ERR_ENV_INVALID', 'GHPROXY_CACHE', `"${kindText}" is not one of memory, redis, disk`);
  const dir = optional(env, 'GHPROXY_CACHE_DIR');
  if (kindText === 'disk' && dir === undefined) throw new ProwError('PROW_ERR_ENV_INVALID', 'GHPROXY_CACHE_DIR', 'the disk cache needs a directory; set GHPROXY_CACHE_DIR or choose GHPROXY_CACHE=memory or redis');
  const getMs = whole(env, 'GHPROXY_GET_THROTTLING_TIME_MS', 0);
  const otherMs = whole(env, 'GHPROXY_THROTTLING_TIME_MS', 0);
  const spacing: SpacingSettings | undefined =
    getMs > 0 && otherMs > 0
      ? {
          getMs,
          otherMs,
          v4Ms: whole(env, 'GHPROXY_THROTTLING_TIME_V4_MS', otherMs),
          maxDelayMs: duration(env, 'GHPROXY_THROTTLING_MAX_DELAY', 30_000),
          maxDelayV4Ms: duration(env, 'GHPROXY_THROTTLING_MAX_DELAY_V4', 30_000),
        }
      : undefined;
  return {
    port: whole(env, 'GHPROXY_PORT', 8890),
    upstream: url(env, 'GHPROXY_UPSTREAM'),
    cache: {
      kind: kindText,
      dir,
      maxBytes: whole(env, 'GHPROXY_CACHE_SIZE_MB', kindText === 'disk' ? 10_240 : 256, 1) * mb,
      maxEntryBytes: whole(env, 'GHPROXY_MAX_ENTRY_MB', 8, 1) * mb,
      idleMs: duration(env, 'GHPROXY_CACHE_TTL', 7 * 24 * 3_600_000),
      pruneEveryMs: duration(env, 'GHPROXY_PRUNE_INTERVAL', 3_600_000),
    },
    concurrency: whole(env, 'GHPROXY_CONCURRENCY', 25, 1),
    requestTimeoutMs: duration(env, 'GHPROXY_REQUEST_TIMEOUT', 30_000),
    spacing,
    secondaryRetries: whole(env, 'GHPROXY_SECONDARY_RETRIES', 3),
    shareAppTokens: flag(env, 'GHPROXY_SHARE_APP_TOKENS', true),
  };
}
