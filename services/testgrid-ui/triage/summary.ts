/**
 * What the dashboard shows of a clustering: per cluster its key, counts per day for a sparkline, the jobs
 * and tests it hits, the newest builds and when it was first and last seen, ranked by how much it failed
 * lately. Plain JSON, so the web app can serve it as it is.
 */
import type { TriageCluster } from './cluster.ts';
import type { FailureRecord } from './failure.ts';
import { truncateText } from './normalize.ts';

const DAY = 86_400_000;

export interface NameCount {
  name: string;
  count: number;
}

/** A build the cluster hit, to link to. */
export interface ExampleBuild {
  job: string;
  build: string;
  test: string;
  started: number;
  url?: string;
}

export interface ClusterSummary {
  /** Stable across runs: link and search by it (triage's "file issue" button keys on it). */
  id: string;
  /** The normalised text the cluster matches on (UNIQn and TIME stand for what varies). */
  key: string;
  /** The newest failure's own text, as a reader would see it in the build's log. */
  text: string;
  /** The SIG most of its failing tests name, `[sig-foo]` → `foo`, when they name one. */
  owner?: string;
  /** Failures in the window. */
  total: number;
  /** Distinct builds in the window. */
  builds: number;
  /** Failures in the last 24 hours and the last 7 days before `now`: what the ranking uses. */
  recent: { day: number; week: number };
  /** Failures per UTC day over the window, oldest first: the sparkline. */
  daily: number[];
  /** Most failures first. */
  jobs: NameCount[];
  tests: NameCount[];
  /** The newest builds, newest first. */
  examples: ExampleBuild[];
  firstSeen: number;
  lastSeen: number;
}

export interface TriageSummary {
  /** Epoch ms the summary was made for. */
  now: number;
  /** The days `daily` covers: UTC midnight of the first day, and how many. */
  window: { start: number; days: number };
  failures: number;
  /** Most failures in the last day first, then the last week, then in all. */
  clusters: ClusterSummary[];
}

export interface SummaryOptions {
  now: number;
  /** triage reads 14 days. */
  days?: number;
  /** Newest builds listed per cluster. */
  examples?: number;
}

function counted(counts: Map<string, number>): NameCount[] {
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}

function bump(counts: Map<string, number>, name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

const SIG_RE = /\[sig-([\w-]+)\]/;

function summarizeCluster(cluster: TriageCluster, inWindow: readonly FailureRecord[], options: Required<SummaryOptions>, start: number): ClusterSummary {
  const { now, days } = options;
  const daily = new Array<number>(days).fill(0);
  const jobs = new Map<string, number>();
  const tests = new Map<string, number>();
  const owners = new Map<string, number>();
  const builds = new Set<string>();
  let day = 0;
  let week = 0;
  for (const f of inWindow) {
    const d = Math.floor((f.started - start) / DAY);
    daily[d] = (daily[d] ?? 0) + 1;
    if (f.started > now - DAY) day++;
    if (f.started > now - 7 * DAY) week++;
    bump(jobs, f.job);
    bump(tests, f.test);
    const sig = SIG_RE.exec(f.test)?.[1];
    if (sig !== undefined) bump(owners, sig);
    builds.add(`${f.job}\u0000${f.build}`);
  }
  const newest = [...inWindow].sort((a, b) => b.started - a.started);
  const examples: ExampleBuild[] = [];
  const listed = new Set<string>();
  for (const f of newest) {
    if (examples.length >= options.examples) break;
    const bk = `${f.job}\u0000${f.build}`;
    if (listed.has(bk)) continue;
    listed.add(bk);
    examples.push({ job: f.job, build: f.build, test: f.test, started: f.started, ...(f.url === undefined ? {} : { url: f.url }) });
  }
  const owner = counted(owners)[0]?.name;
  return {
    id: cluster.id,
    key: cluster.key,
    text: truncateText(newest[0]?.text ?? ''),
    ...(owner === undefined ? {} : { owner }),
    total: inWindow.length,
    builds: builds.size,
    recent: { day, week },
    daily,
    jobs: counted(jobs),
    tests: counted(tests),
    examples,
    firstSeen: newest[newest.length - 1]?.started ?? 0,
    lastSeen: newest[0]?.started ?? 0,
  };
}

/** The clusters' failures in the `days` UTC days up to `now`, summarised and ranked. */
export function summarizeClusters(clusters: readonly TriageCluster[], options: SummaryOptions): TriageSummary {
  const resolved: Required<SummaryOptions> = { days: 14, examples: 5, ...options };
  const { now, days } = resolved;
  const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
  const out: ClusterSummary[] = [];
  let failures = 0;
  for (const cluster of clusters) {
    const inWindow = cluster.failures.filter((f) => f.started >= start && f.started <= now);
    if (inWindow.length === 0) continue;
    failures += inWindow.length;
    out.push(summarizeCluster(cluster, inWindow, resolved, start));
  }
  out.sort((a, b) => b.recent.day - a.recent.day || b.recent.week - a.recent.week || b.total - a.total || (a.id < b.id ? -1 : 1));
  return { now, window: { start, days }, failures, clusters: out };
}
