import { Counter, Histogram, type Registry } from 'prom-client';

/** The metrics hook's workers keep, in the registry hook's /metrics serves. */
export interface WorkerMetrics {
  pluginDuration: Histogram<'plugin' | 'event_type'>;
  pluginErrors: Counter<'plugin'>;
  /** Deliveries by event type and what became of the attempt: completed, retrying, rate_limited, failed. */
  eventsHandled: Counter<'event_type' | 'outcome'>;
}

/** Outcomes of one attempt at a delivery, as `prow_hook_events_handled_total{outcome}` counts them. */
export type AttemptOutcome = 'completed' | 'retrying' | 'rate_limited' | 'failed';

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  // A second set of workers in the same process (tests, a restart) shares the first one's series.
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Registers (or finds) the worker metrics in `registry`. */
export function workerMetrics(registry: Registry): WorkerMetrics {
  return {
    pluginDuration: reuse(
      registry,
      'prow_hook_plugin_duration_seconds',
      () =>
        new Histogram({
          name: 'prow_hook_plugin_duration_seconds',
          help: 'Time a plugin took to handle one delivery, by plugin and event type.',
          labelNames: ['plugin', 'event_type'] as const,
          buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
          registers: [registry],
        }),
    ),
    pluginErrors: reuse(
      registry,
      'prow_hook_plugin_errors_total',
      () =>
        new Counter({
          name: 'prow_hook_plugin_errors_total',
          help: 'Plugin handler failures, by plugin.',
          labelNames: ['plugin'] as const,
          registers: [registry],
        }),
    ),
    eventsHandled: reuse(
      registry,
      'prow_hook_events_handled_total',
      () =>
        new Counter({
          name: 'prow_hook_events_handled_total',
          help: 'Delivery attempts handled by the workers, by event type and outcome (completed, retrying, rate_limited, failed).',
          labelNames: ['event_type', 'outcome'] as const,
          registers: [registry],
        }),
    ),
  };
}
