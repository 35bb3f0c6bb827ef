import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../../lib/log.ts';
import type { Ranch } from './ranch/ranch.ts';
import { knownStates, otherState } from './ranch/states.ts';

/** Boskos' own metric names and labels, so its dashboards (boskos-resource-usage) read ours unchanged. */
export interface BoskosMetrics {
  acquireDuration: Histogram<'type' | 'state' | 'dest' | 'has_request_id'>;
  httpDuration: Histogram<'path' | 'method' | 'status' | 'user_agent'>;
  responseSize: Histogram<'path' | 'method' | 'status' | 'user_agent'>;
}

const powersOfTwo = (start: number, count: number): number[] => Array.from({ length: count }, (_, i) => start * 2 ** i);

/**
 * Registers `boskos_resources{type,state}` (every known state reported, zero-filled; the rest folded into
 * `other`), `boskos_acquire_duration_seconds` (wait since the request first queued, Boskos' buckets),
 * `boskos_http_request_duration_seconds` and `boskos_http_response_size_bytes` (Prow's HTTP buckets).
 */
export function createBoskosMetrics(registry: Registry, ranch: Ranch, log: Logger): BoskosMetrics {
  new Gauge({
    name: 'boskos_resources',
    help: 'Number of resources recorded in Boskos, by type and state.',
    labelNames: ['type', 'state'] as const,
    registers: [registry],
    async collect() {
      let metrics;
      try {
        metrics = await Promise.all((await ranch.types()).map((t) => ranch.metric(t).catch(() => ({ type: t, current: {}, owner: {} }))));
      } catch (err) {
        // A scrape while Redis is away keeps the last figures rather than failing /metrics.
        log.debug({ err: err instanceof Error ? err.message : String(err) }, 'boskos_resources: cannot read the ranch');
        return;
      }
      this.reset();
      for (const m of metrics) {
        const byState = new Map<string, number>(knownStates.map((s) => [s, 0]));
        byState.set(otherState, 0);
        for (const [state, n] of Object.entries(m.current)) {
          const key = byState.has(state) && state !== otherState ? state : otherState;
          byState.set(key, (byState.get(key) ?? 0) + n);
        }
        for (const [state, n] of byState) this.set({ type: m.type, state }, n);
      }
    },
  });
  return {
    acquireDuration: new Histogram({
      name: 'boskos_acquire_duration_seconds',
      help: "Histogram of waiting in seconds for a Boskos' client to acquire a resource.",
      labelNames: ['type', 'state', 'dest', 'has_request_id'] as const,
      buckets: [1, 10, 100, 500, 1000, 1500, 2000],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'boskos_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by path, method, status and user agent.',
      labelNames: ['path', 'method', 'status', 'user_agent'] as const,
      buckets: powersOfTwo(0.005, 19),
      registers: [registry],
    }),
    responseSize: new Histogram({
      name: 'boskos_http_response_size_bytes',
      help: 'HTTP response size in bytes, by path, method, status and user agent.',
      labelNames: ['path', 'method', 'status', 'user_agent'] as const,
      buckets: powersOfTwo(128, 10),
      registers: [registry],
    }),
  };
}

/** The user agent as a bounded label: its first product token (`Go-http-client/1.1`, `curl/8.5.0`). */
export function userAgentLabel(ua: string | undefined): string {
  const first = (ua ?? '').trim().split(/\s+/)[0] ?? '';
  return first.slice(0, 64);
}
