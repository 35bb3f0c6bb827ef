import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProwConfig } from '../../lib/config/index.ts';
import type { Logger } from '../../lib/log.ts';
import type { Configuration } from './dashboards/config-types.ts';
import { loadDashboards } from './dashboards/load-dashboards.ts';
import { updateAllTestGroups, type UpdaterDeps } from './grid/updater.ts';

/** What the dashboard's update cycle runs with. */
export interface DashboardUpdaterOptions {
  /** TestGrid's configuration file, when there is one. */
  file: string | undefined;
  /** Prow's configuration as last loaded: its job annotations add test groups and tabs. */
  prow: () => Pick<ProwConfig, 'presubmits' | 'postsubmits' | 'periodics'>;
  /** Everything the updater needs but its log. */
  updater: Omit<UpdaterDeps, 'log'>;
  intervalMs: number;
  log: Logger;
  metrics: Registry;
}

const emptyConfig: Configuration = { test_groups: [], dashboards: [], dashboard_groups: [] };

/**
 * The dashboard's one loop: every interval it reloads the configuration (file and Prow's annotations; a
 * broken file keeps the last good configuration and logs why) and updates every test group from storage.
 * One cycle runs at a time; the next starts `intervalMs` after the last one ended.
 */
export class DashboardUpdater {
  private config: Configuration = emptyConfig;
  private warnings = '';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly duration: Histogram;
  private readonly buildsRead: Counter<'group'>;
  private readonly failures: Counter<'group'>;
  private readonly groups: Gauge;

  private readonly opts: DashboardUpdaterOptions;

  constructor(opts: DashboardUpdaterOptions) {
    this.opts = opts;
    const registers = [opts.metrics];
    this.duration = new Histogram({ name: 'testgrid_update_duration_seconds', help: 'Seconds one update cycle over every test group took.', buckets: [0.1, 0.5, 1, 5, 15, 60, 300], registers });
    this.buildsRead = new Counter({ name: 'testgrid_builds_read_total', help: 'Builds read from storage, by test group.', labelNames: ['group'], registers });
    this.failures = new Counter({ name: 'testgrid_update_errors_total', help: 'Test group updates that failed, by test group.', labelNames: ['group'], registers });
    this.groups = new Gauge({ name: 'testgrid_test_groups', help: 'Test groups configured.', registers });
  }

  /** The configuration the last cycle used (empty before the first). */
  current(): Configuration {
    return this.config;
  }

  /** Runs a cycle now, then one every interval until `close`. */
  start(): void {
    const loop = (): void => {
      if (this.closed) return;
      this.running = this.cycle().finally(() => {
        this.running = undefined;
        if (!this.closed) this.timer = setTimeout(loop, this.opts.intervalMs);
      });
    };
    loop();
  }

  /** One cycle: reload the configuration, update every test group. Never throws; failures are logged and counted. */
  async cycle(): Promise<void> {
    const end = this.duration.startTimer();
    const { log } = this.opts;
    try {
      const loaded = await loadDashboards({ ...(this.opts.file === undefined ? {} : { file: this.opts.file }), prow: this.opts.prow() });
      this.config = loaded.config;
      const warnings = loaded.warnings.join('\n');
      if (warnings !== this.warnings && warnings !== '') log.warn({ warnings: loaded.warnings }, 'Dashboard configuration loaded with warnings');
      this.warnings = warnings;
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err), file: this.opts.file }, 'Dashboard configuration is broken; keeping the last good one');
    }
    this.groups.set(this.config.test_groups.length);
    try {
      const { results, errors } = await updateAllTestGroups(this.config.test_groups, { ...this.opts.updater, log });
      for (const r of results) if (r.read > 0) this.buildsRead.inc({ group: r.group }, r.read);
      for (const group of errors.keys()) this.failures.inc({ group });
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'Dashboard update failed');
    } finally {
      end();
    }
  }

  /** Stops the loop, waiting for a cycle in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
