/**
 * Failure clustering as Kubernetes' triage does it, in two passes. Per test, each normalised text joins an
 * identical key, else the first near key (edit distance under 10% of the length), else starts a cluster.
 * Then across tests (most failing tests first, biggest clusters first), each test's cluster joins a global
 * cluster by the same rule, so one root cause that breaks many tests in many jobs shows as one cluster.
 */
import type { FailureRecord } from './failure.ts';
import { KeyIndex } from './key-index.ts';
import { ngramCounts, ngramDigest } from './ngram.ts';
import { MAX_CLUSTER_TEXT_LENGTH, normalizeFailureText } from './normalize.ts';

/** One root cause: the failures whose normalised text matched its key. */
export interface TriageCluster {
  /** Stable across runs while the key stays: the sha1 of the key's n-gram counts, 20 hex chars (triage's id). */
  readonly id: string;
  /** The normalised text the cluster started from (or the previous run's key it was seeded with). */
  readonly key: string;
  readonly grams: Int32Array;
  readonly failures: readonly FailureRecord[];
}

interface GlobalCluster extends TriageCluster {
  readonly failures: FailureRecord[];
}

/** One test's cluster, pointing at the global cluster it joined (`pending` holds its failures until then). */
interface TestCluster {
  readonly key: string;
  readonly grams: Int32Array;
  pending: FailureRecord[];
  global?: GlobalCluster;
}

/** Appends without spreading, which would overflow the stack for a cluster of 100,000 failures. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

export interface ClusterOptions {
  /** Last run's cluster keys (`FailureClustering.keys()`): clusters that match one keep its key and so its id. */
  previousKeys?: readonly string[] | undefined;
  /** Texts are cut past this many characters (triage's `--max_cluster_text_length`, 10,000). */
  maxTextLength?: number | undefined;
}

/** What `FailureClustering.add` did with a batch. */
export interface AddResult {
  added: number;
  /** Failures of builds clustered before, dropped so a build read twice does not count twice. */
  duplicates: number;
  /** Ids of the clusters this batch started. */
  newClusters: string[];
}

const buildKey = (f: FailureRecord): string => `${f.job}\u0000${f.build}`;

/**
 * The clustering of a window of failures. `FailureClustering.build` makes it in triage's two passes; `add` puts a
 * later batch into it without redoing the rest (each new text goes through its test's clusters, then the
 * global ones), so a dashboard can keep one in memory and feed it each cycle's new builds.
 */
export class FailureClustering {
  private readonly maxTextLength: number;
  private readonly global = new KeyIndex<GlobalCluster>();
  private readonly all: GlobalCluster[] = [];
  private readonly ids = new Set<string>();
  private readonly perTest = new Map<string, KeyIndex<TestCluster>>();
  private readonly builds = new Set<string>();

  private constructor(options: ClusterOptions) {
    this.maxTextLength = options.maxTextLength ?? MAX_CLUSTER_TEXT_LENGTH;
    for (const key of options.previousKeys ?? []) this.newGlobal(key, ngramCounts(key));
  }

  /** Clusters `failures` in triage's two passes. */
  static build(failures: readonly FailureRecord[], options: ClusterOptions = {}): FailureClustering {
    const clustering = new FailureClustering(options);
    clustering.buildAll(failures);
    return clustering;
  }

  /** The clusters with at least one failure, biggest first (ties by id). */
  clusters(): TriageCluster[] {
    return this.all.filter((c) => c.failures.length > 0).sort((a, b) => b.failures.length - a.failures.length || (a.id < b.id ? -1 : 1));
  }

  /** The keys to seed the next run with, so its clusters keep these ids. */
  keys(): string[] {
    return this.clusters().map((c) => c.key);
  }

  /** The number of failures clustered. */
  get size(): number {
    let n = 0;
    for (const c of this.all) n += c.failures.length;
    return n;
  }

  /** Adds a later batch: each failure of a build not seen before joins its test's cluster, then a global one. */
  add(failures: readonly FailureRecord[]): AddResult {
    const seenBefore = new Set<string>();
    for (const f of failures) if (this.builds.has(buildKey(f))) seenBefore.add(buildKey(f));
    const before = this.all.length;
    let added = 0;
    for (const f of failures) {
      const bk = buildKey(f);
      if (seenBefore.has(bk)) continue;
      this.builds.add(bk);
      const key = normalizeFailureText(f.text, this.maxTextLength);
      const index = this.testIndex(f.test);
      let local = index.get(key);
      if (local === undefined) {
        const grams = ngramCounts(key);
        local = index.find(key, grams) ?? this.newTestCluster(index, key, grams);
      }
      this.joinGlobal(local).failures.push(f);
      added++;
    }
    const newClusters = this.all.slice(before).map((c) => c.id);
    return { added, duplicates: failures.length - added, newClusters };
  }

  private buildAll(failures: readonly FailureRecord[]): void {
    const byTest = new Map<string, Map<string, FailureRecord[]>>();
    for (const f of failures) {
      this.builds.add(buildKey(f));
      const key = normalizeFailureText(f.text, this.maxTextLength);
      let texts = byTest.get(f.test);
      if (texts === undefined) byTest.set(f.test, (texts = new Map<string, FailureRecord[]>()));
      const same = texts.get(key);
      if (same === undefined) texts.set(key, [f]);
      else same.push(f);
    }
    // Pass 1, per test: the commonest texts first, so a cluster's key is its commonest form.
    const tests: { test: string; size: number; clusters: TestCluster[] }[] = [];
    for (const [test, texts] of byTest) {
      const index = this.testIndex(test);
      const ordered = [...texts].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
      const clusters: TestCluster[] = [];
      let size = 0;
      for (const [key, members] of ordered) {
        const grams = ngramCounts(key);
        let local = index.find(key, grams);
        if (local === undefined) {
          local = this.newTestCluster(index, key, grams);
          clusters.push(local);
        }
        append(local.pending, members);
        size += members.length;
      }
      tests.push({ test, size, clusters });
    }
    // Pass 2, across tests: the most failing tests first, each test's biggest clusters first.
    tests.sort((a, b) => b.size - a.size || (a.test < b.test ? -1 : 1));
    for (const { clusters } of tests) {
      clusters.sort((a, b) => b.pending.length - a.pending.length || (a.key < b.key ? -1 : 1));
      for (const local of clusters) {
        append(this.joinGlobal(local).failures, local.pending);
        local.pending = [];
      }
    }
  }

  private testIndex(test: string): KeyIndex<TestCluster> {
    let index = this.perTest.get(test);
    if (index === undefined) this.perTest.set(test, (index = new KeyIndex<TestCluster>()));
    return index;
  }

  private newTestCluster(index: KeyIndex<TestCluster>, key: string, grams: Int32Array): TestCluster {
    const local: TestCluster = { key, grams, pending: [] };
    index.add(local);
    return local;
  }

  /** The global cluster `local` belongs to, found (or started) the first time it is asked. */
  private joinGlobal(local: TestCluster): GlobalCluster {
    local.global ??= this.global.find(local.key, local.grams) ?? this.newGlobal(local.key, local.grams);
    return local.global;
  }

  private newGlobal(key: string, grams: Int32Array): GlobalCluster {
    const existing = this.global.get(key);
    if (existing !== undefined) return existing;
    // Two keys with one n-gram vector (lines reordered) would share triage's id; the second hashes its text.
    let id = ngramDigest(grams);
    if (this.ids.has(id)) id = ngramDigest(ngramCounts(`${id}\u0000${key}`));
    const cluster: GlobalCluster = { id, key, grams, failures: [] };
    this.ids.add(id);
    this.global.add(cluster);
    this.all.push(cluster);
    return cluster;
  }
}
