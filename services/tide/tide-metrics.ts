import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PoolDoc } from './pool-doc.ts';

const poolLabels = ['org', 'repo', 'branch'] as const;
type PoolLabels = Record<(typeof poolLabels)[number], string>;

/** Splits `org/repo:branch` into metric labels. */
export function poolLabelsOf(key: string): PoolLabels {
  const colon = key.indexOf(':');
  const [org = '', repo = ''] = key.slice(0, colon).split('/');
  return { org, repo, branch: key.slice(colon + 1) };
}

/**
 * Tide's metrics (`pooledprs`, `merges`, `syncdur`, `tidesyncheartbeat`) under their Prow names, and the merge
 * queue's own: time in queue, trains started and landed, job runs and merged PRs (their ratio is CI runs per
 * merged PR), flake and failure estimates, and the window.
 */
export class TideMetrics {
  readonly pooledPrs: Gauge<(typeof poolLabels)[number]>;
  readonly merges: Histogram<(typeof poolLabels)[number]>;
  readonly syncDuration: Histogram;
  readonly heartbeat: Counter<'controller'>;
  readonly timeInQueue: Histogram<(typeof poolLabels)[number]>;
  readonly trainsStarted: Counter<(typeof poolLabels)[number]>;
  readonly trainsLanded: Counter<(typeof poolLabels)[number]>;
  readonly trainsFailed: Counter<(typeof poolLabels)[number]>;
  readonly jobRuns: Counter<(typeof poolLabels)[number] | 'reused'>;
  readonly mergedPrs: Counter<(typeof poolLabels)[number]>;
  readonly ejected: Counter<(typeof poolLabels)[number]>;
  readonly flakeRate: Gauge<(typeof poolLabels)[number]>;
  readonly failureRate: Gauge<(typeof poolLabels)[number]>;
  readonly window: Gauge<(typeof poolLabels)[number]>;
  readonly queueLength: Gauge<(typeof poolLabels)[number]>;
  readonly liveTrains: Gauge<(typeof poolLabels)[number]>;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = poolLabels;
    this.pooledPrs = new Gauge({ name: 'pooledprs', help: 'PRs in each Tide pool that its queries admit.', labelNames, registers });
    this.merges = new Histogram({ name: 'merges', help: 'PRs landed per landing.', labelNames, buckets: [1, 2, 3, 4, 5, 7, 10, 15, 25], registers });
    this.syncDuration = new Histogram({ name: 'syncdur', help: 'Seconds one sync of every pool took.', buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120], registers });
    this.heartbeat = new Counter({ name: 'tidesyncheartbeat', help: 'Syncs completed.', labelNames: ['controller'] as const, registers });
    this.timeInQueue = new Histogram({
      name: 'tide_time_in_queue_seconds',
      help: 'Seconds from joining the queue to landing, per landed PR.',
      labelNames,
      buckets: [60, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 86_400],
      registers,
    });
    this.trainsStarted = new Counter({ name: 'tide_trains_started_total', help: 'Trains built and sent to CI.', labelNames, registers });
    this.trainsLanded = new Counter({ name: 'tide_trains_landed_total', help: 'Trains landed on their base branch.', labelNames, registers });
    this.trainsFailed = new Counter({ name: 'tide_trains_failed_total', help: 'Trains whose batch was found bad (ejected or split).', labelNames, registers });
    this.jobRuns = new Counter({
      name: 'tide_job_runs_total',
      help: 'Train job runs: started ProwJobs (reused="false") and results taken from a PR that already passed on the base (reused="true").',
      labelNames: [...labelNames, 'reused'],
      registers,
    });
    this.mergedPrs = new Counter({ name: 'tide_merged_prs_total', help: 'PRs landed; tide_job_runs_total{reused="false"} over this is CI runs per merged PR.', labelNames, registers });
    this.ejected = new Counter({ name: 'tide_ejected_prs_total', help: 'PRs taken out of the queue for failing a job on their own.', labelNames, registers });
    this.flakeRate = new Gauge({ name: 'tide_flake_rate', help: 'Estimated chance a job run fails and then passes on retry.', labelNames, registers });
    this.failureRate = new Gauge({ name: 'tide_failure_rate', help: 'Estimated chance a PR in the queue is bad.', labelNames, registers });
    this.window = new Gauge({ name: 'tide_window', help: 'Trains the pool may test at once (the adaptive window).', labelNames, registers });
    this.queueLength = new Gauge({ name: 'tide_queue_length', help: 'PRs in the merge queue.', labelNames, registers });
    this.liveTrains = new Gauge({ name: 'tide_live_trains', help: 'Trains under test or landing.', labelNames, registers });
  }

  /** Sets the per-pool gauges from a pool's record after a step. */
  observePool(doc: PoolDoc, pooled: number): void {
    const labels = poolLabelsOf(doc.key);
    this.pooledPrs.set(labels, pooled);
    this.flakeRate.set(labels, doc.state.estimates.flake);
    this.failureRate.set(labels, doc.state.estimates.failure);
    this.window.set(labels, doc.state.window);
    this.queueLength.set(labels, doc.state.queue.length);
    this.liveTrains.set(labels, doc.state.trains.length);
  }
}
