import type { Logger } from '../../../lib/log.ts';
import type { Column } from '../build/column.ts';
import type { TestGroup } from '../dashboards/config-types.ts';
import { FailureClustering, type TriageCluster } from './cluster.ts';
import type { FailureRecord } from './failure.ts';
import type { FailureStore } from './failure-store.ts';
import { failuresFromColumn } from './failures-from-column.ts';
import { summarizeClusters, type TriageSummary } from './summary.ts';

const DAY = 86_400_000;

/** triage's page filters: parts of a job name, a test name and a failure text, and the owning SIG. */
export interface TriageFilter {
  job?: string | undefined;
  test?: string | undefined;
  text?: string | undefined;
  sig?: string | undefined;
}

/** What a feed runs with. */
export interface TriageFeedOptions {
  store: FailureStore;
  /** Days clustered and summarised: 14, as triage. */
  days?: number;
  /** Newest builds listed per cluster: 5 unless set. */
  examples?: number;
  /** Epoch milliseconds. */
  now?: () => number;
  log?: Logger;
}

const buildKey = (f: Pick<FailureRecord, 'job' | 'build'>): string => `${f.job}\u0000${f.build}`;

const contains = (value: string, part: string | undefined): boolean => part === undefined || part === '' || value.toLowerCase().includes(part.toLowerCase());

/**
 * Triage over what the updater reads: `ingest` (the updater's onColumns) turns each complete build into
 * failures, keeps them in the store and adds them to the clustering in memory; `summary` answers the page.
 * Opened from the store's last `days` with the last cluster keys, so ids and counts survive a restart. A
 * build is taken once however often it is passed. When the UTC day turns, the next ingest clusters the
 * window afresh (seeded with the current keys), dropping the day that left it.
 */
export class TriageFeed {
  private clustering: FailureClustering;
  private builtFor: number;
  private readonly seen = new Set<string>();
  private readonly store: FailureStore;
  private readonly days: number;
  private readonly examples: number;
  private readonly now: () => number;
  private readonly log: Logger | undefined;

  private constructor(options: TriageFeedOptions, failures: readonly FailureRecord[], keys: readonly string[]) {
    this.store = options.store;
    this.days = options.days ?? 14;
    this.examples = options.examples ?? 5;
    this.now = options.now ?? Date.now;
    this.log = options.log;
    this.builtFor = this.windowStart();
    this.clustering = this.cluster(failures, keys);
  }

  /** A feed over the store's failures of the last `days` days, its clusters seeded with the stored keys. */
  static async open(options: TriageFeedOptions): Promise<TriageFeed> {
    const days = options.days ?? 14;
    const now = (options.now ?? Date.now)();
    const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
    const [failures, keys] = await Promise.all([options.store.since(start), options.store.keys()]);
    const feed = new TriageFeed(options, failures, keys);
    await feed.store.saveKeys(feed.clustering.keys());
    options.log?.info({ failures: failures.length, clusters: feed.clustering.clusters().length }, 'Triage loaded');
    return feed;
  }

  /** UTC midnight of the window's first day. */
  private windowStart(): number {
    return Math.floor(this.now() / DAY) * DAY - (this.days - 1) * DAY;
  }

  private cluster(failures: readonly FailureRecord[], keys: readonly string[]): FailureClustering {
    this.seen.clear();
    for (const f of failures) this.seen.add(buildKey(f));
    return FailureClustering.build(failures, { previousKeys: keys });
  }

  /** Failures clustered now. */
  get size(): number {
    return this.clustering.size;
  }

  /** The updater's onColumns: each complete build's failures, stored and clustered, once per build. */
  async ingest(group: Pick<TestGroup, 'name' | 'gcs_prefix'>, columns: readonly Column[]): Promise<void> {
    if (this.windowStart() !== this.builtFor) await this.rebuild();
    const start = this.windowStart();
    const fresh: FailureRecord[] = [];
    const taken: string[] = [];
    for (const column of columns) {
      const key = buildKey({ job: group.name, build: column.build });
      if (column.started < start || this.seen.has(key)) continue;
      this.seen.add(key);
      taken.push(key);
      for (const f of failuresFromColumn(group, column)) fresh.push(f);
    }
    if (fresh.length === 0) return;
    try {
      await this.store.append(fresh);
    } catch (err) {
      // Not kept, so not taken: the updater passes these builds again.
      for (const key of taken) this.seen.delete(key);
      throw err;
    }
    const added = this.clustering.add(fresh);
    if (added.newClusters.length > 0) await this.store.saveKeys(this.clustering.keys());
    this.log?.debug({ group: group.name, builds: taken.length, failures: added.added, newClusters: added.newClusters.length }, 'Triage ingested');
  }

  /** Clusters the window afresh, seeded with the current keys: failures older than the window are dropped. */
  async rebuild(): Promise<void> {
    const start = this.windowStart();
    const kept: FailureRecord[] = [];
    for (const c of this.clustering.clusters()) for (const f of c.failures) if (f.started >= start) kept.push(f);
    this.clustering = this.cluster(kept, this.clustering.keys());
    this.builtFor = start;
    await this.store.saveKeys(this.clustering.keys());
  }

  /** The clusters of the window, ranked, with only the failures the filter matches. */
  summary(filter: TriageFilter = {}): TriageSummary {
    const { job, test, text, sig } = filter;
    const narrowed = [job, test, text].some((v) => v !== undefined && v !== '');
    let clusters: readonly TriageCluster[] = this.clustering.clusters();
    if (narrowed) {
      clusters = clusters.flatMap((c) => {
        const keyMatches = text !== undefined && text !== '' && contains(c.key, text);
        const failures = c.failures.filter((f) => contains(f.job, job) && contains(f.test, test) && (keyMatches || contains(f.text, text)));
        return failures.length === 0 ? [] : [{ ...c, failures }];
      });
    }
    const summary = summarizeClusters(clusters, { now: this.now(), days: this.days, examples: this.examples });
    if (sig === undefined || sig === '') return summary;
    const owned = summary.clusters.filter((c) => c.owner?.toLowerCase() === sig.toLowerCase());
    return { ...summary, clusters: owned, failures: owned.reduce((n, c) => n + c.total, 0) };
  }
}
