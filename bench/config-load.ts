/**
 * How long loading Kubernetes' real Prow configuration takes: prow-ts's loader (YAML with positions, strict
 * schemas, Prow's key lists, defaults, regex and cron checks) beside a naive baseline that only parses the
 * same YAML. The difference is what validation with file:line errors costs at start-up and on each reload.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../lib/config/index.ts';
import { percentile, printResult, printTable, timeRuns } from './report.ts';

const fixtures = fileURLToPath(new URL('../test/fixtures/prow-config/', import.meta.url));
const opts = { configPath: join(fixtures, 'config.yaml'), jobConfigPath: join(fixtures, 'jobs'), pluginConfigPath: join(fixtures, 'plugins.yaml') };
const runs = Number(process.env.BENCH_RUNS ?? 30);

async function naive(): Promise<number> {
  const jobFiles = (await readdir(opts.jobConfigPath, { recursive: true })).filter((f) => f.endsWith('.yaml')).map((f) => join(opts.jobConfigPath, f));
  let docs = 0;
  for (const f of [opts.configPath, opts.pluginConfigPath, ...jobFiles]) {
    parse(await readFile(f, 'utf8'));
    docs++;
  }
  return docs;
}

const result = await loadConfig(opts);
const jobs = Object.values(result.config.presubmits).flat().length + Object.values(result.config.postsubmits).flat().length + result.config.periodics.length;
const naiveTimes = await timeRuns(naive, runs);
const oursTimes = await timeRuns(() => loadConfig(opts), runs);
const n50 = percentile(naiveTimes, 50);
const o50 = percentile(oursTimes, 50);

printTable(`config-load: Kubernetes' config.yaml + plugins.yaml + ${result.files.length - 2} job files (${jobs} jobs), ${runs} runs each`, [
  { loader: 'naive: yaml.parse only', 'p50 ms': n50, 'p95 ms': percentile(naiveTimes, 95), errors: 'n/a', warnings: 'n/a' },
  { loader: 'prow-ts loadConfig', 'p50 ms': o50, 'p95 ms': percentile(oursTimes, 95), errors: result.errors.length, warnings: result.warnings.length },
]);
console.log('Prow publishes no figure for checkconfig; the naive parse is the floor any loader pays.');
printResult('config-load', { files: result.files.length, jobs, naive_p50_ms: n50, ours_p50_ms: o50, overhead_x: o50 / n50, errors: result.errors.length });
