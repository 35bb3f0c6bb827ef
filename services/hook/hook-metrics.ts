import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../lib/log.ts';

/** Where the scrape-time gauges read from; each may fail while Redis is away. */
export interface DepthSources {
  /** Entries in the intake journal not yet moved into the queue. */
  journalDepth: () => Promise<number>;
  /** Jobs in the events queue by state (waiting, active, delayed, failed). */
  queueCounts: () => Promise<Record<string, number>>;
}

/** hook's own counters, in its service registry. */
export interface HookMetrics {
  webhooks: Counter<'event_type'>;
  responses: Counter<'response_code'>;
}

const scrapeTimeoutMs = 1_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Registers Prow's webhook metrics under hook's prefix (`prow_hook_webhook_counter{event_type}`,
 * `prow_hook_webhook_response_codes{response_code}`) and the depth gauges read on each scrape. A gauge whose
 * source fails (Redis away) is left out of that scrape rather than failing /metrics.
 */
export function createHookMetrics(registry: Registry, sources: DepthSources, log: Logger): HookMetrics {
  const webhooks = new Counter({
    name: 'prow_hook_webhook_counter',
    help: 'Webhooks accepted, by X-GitHub-Event.',
    labelNames: ['event_type'] as const,
    registers: [registry],
  });
  const responses = new Counter({
    name: 'prow_hook_webhook_response_codes',
    help: 'Answers to webhook deliveries, by HTTP status code.',
    labelNames: ['response_code'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'prow_hook_intake_journal_depth',
    help: 'Accepted deliveries in the intake journal not yet moved into the events queue.',
    registers: [registry],
    async collect() {
      try {
        this.set(await within(sources.journalDepth(), scrapeTimeoutMs));
      } catch (err) {
        this.reset();
        log.debug({ err: err instanceof Error ? err.message : String(err) }, 'metrics: journal depth unavailable');
      }
    },
  });
  new Gauge({
    name: 'prow_hook_events_queue_jobs',
    help: 'Jobs in the events queue, by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = await within(sources.queueCounts(), scrapeTimeoutMs);
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch (err) {
        this.reset();
        log.debug({ err: err instanceof Error ? err.message : String(err) }, 'metrics: queue depth unavailable');
      }
    },
  });
  return { webhooks, responses };
}
