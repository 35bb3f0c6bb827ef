/**
 * The dashboard at Kubernetes' scale, in three parts, each beside the way it is done without our shortcuts
 * in the same run:
 *
 * 1. ingest (bench/testgrid/ingest.ts): 2,000 builds of 500 tests in Prow's layout read by the updater into
 *    a Redis grid, then one steady-state cycle, beside a cycle that re-reads every build (TestGrid's updater
 *    without its saved grid state) — goal ≥200 builds/s;
 * 2. render (bench/testgrid/render.ts): a 500-row × 1,000-column grid page in headless Chromium, first
 *    paint and interactive, beside the same grid as one server-rendered table — goal interactive < 1 s;
 * 3. cluster (bench/testgrid/cluster.ts): 50,000 failure messages from 300 root causes through triage's
 *    normalisation and two clustering passes, beside all-pairs Levenshtein extrapolated — goal < 30 s.
 *
 * BENCH_BUILDS, BENCH_TESTS, BENCH_MESSAGES and BENCH_ONLY (ingest,render,cluster) tune a run.
 */
import { availableParallelism, loadavg } from 'node:os';
import { printResult, printTable, type Row } from './report.ts';
import { benchCluster, type ClusterBenchResult } from './testgrid/cluster.ts';
import { benchIngest, type IngestResult } from './testgrid/ingest.ts';
import { benchRender } from './testgrid/render.ts';

type Part = 'ingest' | 'render' | 'cluster';
const only = new Set((process.env.BENCH_ONLY ?? 'ingest,render,cluster').split(',').map((s) => s.trim()) as Part[]);
const whole = (name: string, fallback: number): number => {
  const v = process.env[name];
  const n = v === undefined || v === '' ? fallback : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${String(v)} is not a positive whole number`);
  return n;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (v: number): string => `${v.toFixed(0)} ms`;
const s = (v: number): string => (v < 10 ? `${v.toFixed(2)} s` : `${v.toFixed(1)} s`);

console.log(`testgrid benchmark on ${String(availableParallelism())} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const result: Record<string, number> = {};

if (only.has('ingest')) {
  const ingest: IngestResult = await benchIngest({ builds: whole('BENCH_BUILDS', 2000), tests: whole('BENCH_TESTS', 500) });
  const rows: Row[] = [
    { measure: 'first read: builds', 'prow-ts updater': ingest.builds, 're-read everything (naive)': '' },
    { measure: 'first read: builds/s', 'prow-ts updater': ingest.buildsPerSecond, 're-read everything (naive)': '' },
    { measure: 'first read: peak RSS', 'prow-ts updater': mb(ingest.peakRssBytes), 're-read everything (naive)': '' },
    { measure: 'next cycle: builds read', 'prow-ts updater': ingest.incremental.builds, 're-read everything (naive)': ingest.naive.builds },
    { measure: 'next cycle: time', 'prow-ts updater': s(ingest.incremental.seconds), 're-read everything (naive)': s(ingest.naive.seconds) },
    { measure: 'next cycle: builds/s', 'prow-ts updater': ingest.incremental.buildsPerSecond, 're-read everything (naive)': ingest.naive.buildsPerSecond },
    { measure: 'grid: rows × columns', 'prow-ts updater': `${String(ingest.rows)} × ${String(ingest.columns)}`, 're-read everything (naive)': '' },
    { measure: 'grid: JSON / stored (deflated)', 'prow-ts updater': `${mb(ingest.gridJsonBytes)} / ${String(Math.round(ingest.gridStoredBytes / 1024))} KB`, 're-read everything (naive)': '' },
  ];
  printTable('Ingest: builds of 500 tests from a directory store into a Redis grid (goal ≥200 builds/s)', rows);
  console.log("TestGrid (published): prod updater cycles every 2 h per group (--wait=2h) unless GCS pub/sub notifies it, on 30 CPU / 75 GB; prow-ts reads every TESTGRID_UPDATE_INTERVAL (30 s).\n");
  result.builds_per_s = ingest.buildsPerSecond;
  result.peak_rss_mb = ingest.peakRssBytes / 1024 / 1024;
}

if (only.has('render')) {
  const render = await benchRender();
  printTable(`Render: a ${String(render.rows)}-row × ${String(render.columns)}-column grid in headless Chromium, median of 5 loads (goal interactive < 1 s)`, [
    { measure: 'grid JSON', 'prow-ts grid page': `${String(Math.round(render.jsonBytes / 1024))} KB`, 'one server-rendered table (naive)': '' },
    { measure: 'first paint', 'prow-ts grid page': ms(render.firstPaintMs), 'one server-rendered table (naive)': ms(render.naive.firstPaintMs) },
    { measure: 'interactive', 'prow-ts grid page': ms(render.interactiveMs), 'one server-rendered table (naive)': ms(render.naive.interactiveMs) },
  ]);
  console.log('TestGrid (published): tabs with ~10^5 test rows fail to load at all (test-infra#22744, #24373).\n');
  result.interactive_ms = render.interactiveMs;
  result.first_paint_ms = render.firstPaintMs;
}

if (only.has('cluster')) {
  const cluster: ClusterBenchResult = benchCluster({ messages: whole('BENCH_MESSAGES', 50_000) });
  printTable(`Triage: ${cluster.messages.toLocaleString('en-US')} failure messages from ${String(cluster.rootCauses)} root causes (goal < 30 s)`, [
    { measure: 'normalise + cluster', 'prow-ts triage': s(cluster.seconds), 'all-pairs Levenshtein (naive, extrapolated)': s(cluster.naiveSeconds) },
    { measure: 'of which normalising', 'prow-ts triage': s(cluster.normalizeSeconds), 'all-pairs Levenshtein (naive, extrapolated)': '' },
    { measure: 'summary for the page', 'prow-ts triage': s(cluster.summarySeconds), 'all-pairs Levenshtein (naive, extrapolated)': '' },
    { measure: `add the newest day (${cluster.addDayMessages.toLocaleString('en-US')} messages)`, 'prow-ts triage': s(cluster.addDaySeconds), 'all-pairs Levenshtein (naive, extrapolated)': '' },
    { measure: 'clusters', 'prow-ts triage': cluster.clusters, 'all-pairs Levenshtein (naive, extrapolated)': '' },
    { measure: 'purity / completeness', 'prow-ts triage': `${cluster.purity.toFixed(3)} / ${cluster.completeness.toFixed(3)}`, 'all-pairs Levenshtein (naive, extrapolated)': '' },
  ]);
  console.log("Kubernetes' triage (published): each clustering pass gives up after 60 s per test and 30 s globally; it runs as a periodic over 14 days of BigQuery results.\n");
  result.cluster_s = cluster.seconds;
  result.purity = cluster.purity;
}

printResult('testgrid', result);
