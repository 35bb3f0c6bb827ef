import { randomUUID } from 'node:crypto';
import type { ProwConfig } from '../../lib/config/index.ts';
import type { GitHubClient } from '../../lib/github/github-client.ts';
import type { JobStore, JobWatch } from '../../lib/jobs/index.ts';
import type { Logger } from '../../lib/log.ts';
import type { ApiLandOptions, TrainBuilder } from './landing/index.ts';
import type { PoolInput } from './pool-input.ts';
import type { PoolStore } from './pool-store.ts';
import { stepPool } from './pool-step.ts';
import { poolJson, type PoolJson } from './pools-json.ts';
import type { TidePull } from './pull.ts';
import type { StatusWriter } from './status-writer.ts';
import type { TideStatus } from './sync/status-text.ts';
import type { TideMetrics } from './tide-metrics.ts';
import { syncPeriodMs } from './tide-settings.ts';
import { tideLabels } from './train-jobs.ts';

/** What one sync found: the pools, and the PRs in scope that no query admits (with their status). */
export interface TideView {
  pools: PoolInput[];
  outside: { pull: TidePull; status: TideStatus }[];
}

export interface TideControllerOptions {
  github: GitHubClient;
  jobs: JobStore;
  builder: TrainBuilder;
  store: PoolStore;
  statuses: StatusWriter;
  metrics: TideMetrics;
  config: () => ProwConfig;
  /** Reads GitHub: Tide's searches, pools and judgements (services/tide/sync). */
  sync: (config: ProwConfig) => Promise<TideView>;
  log: Logger;
  apiLanding?: ApiLandOptions | undefined;
  /** Overrides `tide.sync_period` (tests). */
  periodMs?: number | undefined;
  /** How long after a nudge (a webhook, a train job finishing) the next sync starts, gathering nudges. */
  nudgeDelayMs?: number | undefined;
  now?: () => number;
}

/** How long the leader's lease lasts without renewal; a replica takes over after this. */
const leaseMs = 30_000;

/**
 * Runs Tide's sync loop: every `sync_period`, and soon after a nudge, one sync of every pool, one step of each
 * pool's queue, and the `tide` statuses. Only the replica holding the lease in Redis acts; the others serve
 * reads. Syncs never overlap; nudges during a sync make one more sync after it.
 */
export class TideController {
  readonly #o: TideControllerOptions;
  readonly #holder = randomUUID();
  #timer: NodeJS.Timeout | undefined;
  #nudgeTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #watch: JobWatch | undefined;
  #lastSync: { at: number; error: string | undefined } | undefined;

  constructor(options: TideControllerOptions) {
    this.#o = options;
  }

  /** Starts the loop and a watch that nudges it when a train job finishes. */
  async start(): Promise<void> {
    this.#watch = await this.#o.jobs.watch((change) => {
      const job = change.job;
      if (job.metadata.labels[tideLabels.train] !== undefined && change.type === 'MODIFIED' && job.status.completionTime !== undefined) this.nudge('train job finished');
    }, { labels: { [tideLabels.createdByTide]: 'true' } });
    this.#schedule(0);
  }

  /** Asks for a sync soon (webhook events, finished jobs); nudges close together make one sync. */
  nudge(reason: string): void {
    if (this.#closed || this.#nudgeTimer !== undefined) return;
    this.#o.log.debug({ reason }, 'tide nudged');
    this.#nudgeTimer = setTimeout(() => {
      this.#nudgeTimer = undefined;
      void this.syncNow();
    }, this.#o.nudgeDelayMs ?? 2_000);
  }

  /** Runs one sync now (or one more right after the running one); resolves when it is done. */
  syncNow(): Promise<void> {
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    const run = this.#syncOnce()
      .catch((err: unknown) => {
        this.#o.log.error({ err }, 'tide sync failed; the next one tries again');
        this.#lastSync = { at: Date.now(), error: err instanceof Error ? err.message : String(err) };
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          void this.syncNow();
        }
      });
    this.#running = run;
    return run;
  }

  /** When the last sync ended and how; undefined before the first. */
  get lastSync(): { at: number; error: string | undefined } | undefined {
    return this.#lastSync;
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.syncNow().finally(() => {
        this.#schedule(this.#o.periodMs ?? syncPeriodMs(this.#o.config().tide));
      });
    }, ms);
  }

  async #syncOnce(): Promise<void> {
    const o = this.#o;
    const started = Date.now();
    if (!(await o.store.lease(this.#holder, leaseMs))) {
      o.log.debug('another tide replica holds the lease; only serving reads');
      return;
    }
    const config = o.config();
    const view = await o.sync(config);
    const now = o.now?.() ?? Date.now();
    const pools: PoolJson[] = [];
    for (const input of view.pools) {
      if (this.#closed) return;
      const doc = await stepPool({ github: o.github, jobs: o.jobs, builder: o.builder, store: o.store, config, log: o.log, metrics: o.metrics, now, apiLanding: o.apiLanding }, input);
      pools.push(poolJson(doc, input));
      await o.statuses.writePool(doc, input, now);
    }
    for (const { pull, status } of view.outside) await o.statuses.write(pull, status);
    await o.store.saveView(pools);
    o.metrics.syncDuration.observe((Date.now() - started) / 1000);
    o.metrics.heartbeat.inc({ controller: 'sync' });
    this.#lastSync = { at: Date.now(), error: undefined };
    o.log.info({ pools: pools.length, ms: Date.now() - started }, 'tide synced');
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#nudgeTimer);
    await this.#watch?.close();
    await this.#running;
    await this.#o.store.release(this.#holder);
  }
}
