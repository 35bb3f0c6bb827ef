import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CacheMode } from './cache-mode.ts';
import type { CacheStore } from './cache/cache-store.ts';
import { DiskStore } from './cache/disk-store.ts';
import type { Throttle } from './upstream/throttle.ts';

const gb = 1024 ** 3;

/**
 * ghproxy's metrics under Prow's names (pkg/ghcache, pkg/github/ghmetrics), so Prow's dashboards and alerts
 * read them unchanged; what Prow has no name for carries `prow_ghproxy_`.
 */
export class GhproxyMetrics {
  readonly responses: Counter<'mode' | 'path' | 'user_agent' | 'token_hash'>;
  readonly entryAge: Histogram<'token_hash' | 'path' | 'user_agent'>;
  readonly tokenUsage: Gauge<'token_hash' | 'api_version' | 'ratelimit_resource'>;
  readonly tokenReset: Gauge<'token_hash' | 'api_version' | 'ratelimit_resource'>;
  readonly requestDuration: Histogram<'token_hash' | 'path' | 'status' | 'user_agent'>;
  readonly requestTimeouts: Histogram<'token_hash' | 'path' | 'user_agent'>;
  readonly waitDuration: Histogram<'token_hash' | 'request_type' | 'api'>;
  readonly secondaryLimits: Counter<'token_hash'>;
  readonly sharedAppTokens: Counter;
  readonly storeErrors: Counter<'op'>;
  /** Seconds the proxy itself adds to a response: total time minus the upstream exchange, by mode. */
  readonly overhead: Histogram<'mode'>;

  constructor(registry: Registry, store: CacheStore, throttle: Throttle) {
    const registers = [registry];
    this.responses = new Counter({
      name: 'ghcache_responses',
      help: 'ghproxy responses by X-Cache-Mode, path, user agent and token hash; (REVALIDATED + COALESCED) / all is the share that cost nothing.',
      labelNames: ['mode', 'path', 'user_agent', 'token_hash'] as const,
      registers,
    });
    this.entryAge = new Histogram({
      name: 'ghcache_cache_entry_age_seconds',
      help: 'Age of the cache entries revalidated responses were served from.',
      labelNames: ['token_hash', 'path', 'user_agent'] as const,
      buckets: [5, 15, 30, 60, 300, 600, 1800, 3600, 7200, 14400],
      registers,
    });
    new Gauge({
      name: 'ghcache_cache_partitions',
      help: 'Cache partitions (one per token), 1 for each one held.',
      labelNames: ['token_hash'] as const,
      registers,
      async collect() {
        this.reset();
        for (const p of await store.partitions().catch(() => [])) this.set({ token_hash: p.partition.slice(0, 12) }, 1);
      },
    });
    this.tokenUsage = new Gauge({
      name: 'github_token_usage',
      help: 'X-RateLimit-Remaining of the last upstream response, per token and rate-limit resource.',
      labelNames: ['token_hash', 'api_version', 'ratelimit_resource'] as const,
      registers,
    });
    this.tokenReset = new Gauge({
      name: 'github_token_reset',
      help: 'X-RateLimit-Reset (unix seconds) of the last upstream response, per token and rate-limit resource.',
      labelNames: ['token_hash', 'api_version', 'ratelimit_resource'] as const,
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'github_request_duration',
      help: 'Seconds GitHub took to answer each upstream request.',
      labelNames: ['token_hash', 'path', 'status', 'user_agent'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 6, 8, 10],
      registers,
    });
    this.requestTimeouts = new Histogram({
      name: 'github_request_timeouts',
      help: 'Upstream requests that timed out, by the seconds they had run.',
      labelNames: ['token_hash', 'path', 'user_agent'] as const,
      buckets: [5, 10, 30, 45, 60, 90, 120, 180, 300],
      registers,
    });
    this.waitDuration = new Histogram({
      name: 'github_request_wait_duration_seconds',
      help: 'Seconds requests waited for their token budget (spacing and secondary rate limits) before going upstream.',
      labelNames: ['token_hash', 'request_type', 'api'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180],
      registers,
    });
    new Gauge({
      name: 'concurrent_outbound_requests',
      help: 'Upstream requests in flight.',
      registers,
      collect() {
        this.set(throttle.active);
      },
    });
    new Gauge({
      name: 'pending_outbound_requests',
      help: 'Upstream requests waiting for a concurrency slot.',
      registers,
      collect() {
        this.set(throttle.pending);
      },
    });
    this.secondaryLimits = new Counter({
      name: 'prow_ghproxy_secondary_rate_limits_total',
      help: 'Secondary rate limits GitHub answered, per token hash.',
      labelNames: ['token_hash'] as const,
      registers,
    });
    this.sharedAppTokens = new Counter({
      name: 'prow_ghproxy_app_tokens_shared_total',
      help: 'Installation token requests answered with the token already handed out, so the clients share one cache partition.',
      registers,
    });
    this.storeErrors = new Counter({
      name: 'prow_ghproxy_store_errors_total',
      help: 'Cache store operations that failed (the request was answered from GitHub instead).',
      labelNames: ['op'] as const,
      registers,
    });
    this.overhead = new Histogram({
      name: 'prow_ghproxy_overhead_seconds',
      help: 'Seconds the proxy added to a response beyond the upstream exchange, by X-Cache-Mode.',
      labelNames: ['mode'] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers,
    });
    new Gauge({
      name: 'prow_ghproxy_cache_bytes',
      help: 'Bytes of cached responses held (memory and disk stores).',
      registers,
      collect() {
        const size = store.size();
        if (size !== undefined) this.set(size.bytes);
      },
    });
    new Gauge({
      name: 'prow_ghproxy_cache_entries',
      help: 'Cached responses held (memory and disk stores).',
      registers,
      collect() {
        const size = store.size();
        if (size !== undefined) this.set(size.entries);
      },
    });
    if (store instanceof DiskStore) registerDiskGauges(registry, store);
  }

  /** Publishes how many requests wait on another's upstream request right now. */
  watchCoalescer(registry: Registry, coalescer: { readonly waiting: number }): void {
    new Gauge({
      name: 'prow_ghproxy_coalesced_waiting',
      help: 'Requests waiting for an identical request already in flight upstream.',
      registers: [registry],
      collect() {
        this.set(coalescer.waiting);
      },
    });
  }

  /** Counts one response by its mode. */
  response(mode: CacheMode, labels: { path: string; user_agent: string; token_hash: string }): void {
    this.responses.inc({ mode, ...labels });
  }
}

/** Prow's `ghcache_disk_*` gauges (GB and inodes) for the disk store's file system. */
function registerDiskGauges(registry: Registry, store: DiskStore): void {
  const gauge = (name: string, help: string, read: (u: Awaited<ReturnType<DiskStore['diskUsage']>>) => number): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const usage = await store.diskUsage().catch(() => undefined);
        if (usage !== undefined) this.set(read(usage));
      },
    });
  };
  gauge('ghcache_disk_free', 'Free gigabytes on the cache disk.', (u) => u.freeBytes / gb);
  gauge('ghcache_disk_used', 'Used gigabytes on the cache disk.', (u) => (u.totalBytes - u.freeBytes) / gb);
  gauge('ghcache_disk_total', 'Total gigabytes on the cache disk.', (u) => u.totalBytes / gb);
  gauge('ghcache_disk_inode_free', 'Free inodes on the cache disk.', (u) => u.freeInodes);
  gauge('ghcache_disk_inode_used', 'Used inodes on the cache disk.', (u) => u.totalInodes - u.freeInodes);
  gauge('ghcache_disk_inode_total', 'Total inodes on the cache disk.', (u) => u.totalInodes);
}
