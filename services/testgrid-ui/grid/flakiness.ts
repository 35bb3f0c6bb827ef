import { decodeResults, rowCells, type Grid } from './grid.ts';
import { coalesce, TestStatus } from './status.ts';

/** TestGrid's healthiness TestInfo for one test over one interval, with the change from the one before. */
export interface TestFlakiness {
  name: string;
  total_non_infra_runs: number;
  passed_non_infra_runs: number;
  failed_non_infra_runs: number;
  failed_infra_runs: number;
  total_runs_with_infra: number;
  /** Flip flakiness, percent. */
  flakiness: number;
  /** The previous interval's, percent; undefined when it had no runs. */
  previous_flakiness?: number;
  change_from_last_interval: 'UP' | 'DOWN' | 'NO_CHANGE';
  /** Infra failure messages (a single word, such as `timeout`) by count. */
  infra_failures: Record<string, number>;
}

/** Flakiness of every test in a tab, and their mean. */
export interface HealthSummary {
  tests: TestFlakiness[];
  average_flakiness: number;
  previous_average_flakiness?: number;
}

interface IntervalCounts {
  runs: number;
  passed: number;
  failed: number;
  infra: number;
  flakiness: number | undefined;
  infraFailures: Record<string, number>;
}

const infraMessage = /^\w+$/;
/** Runs of this many failures or more are breakages, not flakes. */
const breakageRun = 3;

function measure(statuses: readonly TestStatus[], messages: readonly (string | undefined)[], columns: readonly number[], allFailed: ReadonlySet<number>): IntervalCounts {
  const out: IntervalCounts = { runs: 0, passed: 0, failed: 0, infra: 0, flakiness: undefined, infraFailures: {} };
  // Oldest first, so PASS→FAIL reads forward in time.
  const sequence: TestStatus[] = [];
  for (const c of [...columns].reverse()) {
    const s = coalesce(statuses[c] ?? TestStatus.NO_RESULT, true);
    if (s === TestStatus.NO_RESULT || s === TestStatus.UNKNOWN) continue;
    const message = messages[c];
    if (s === TestStatus.FAIL && message !== undefined && infraMessage.test(message)) {
      out.infra++;
      out.infraFailures[message] = (out.infraFailures[message] ?? 0) + 1;
      continue;
    }
    out.runs++;
    if (s === TestStatus.PASS) out.passed++;
    else out.failed++;
    if (s === TestStatus.FAIL && allFailed.has(c)) continue;
    sequence.push(s);
  }
  let flips = 0;
  let considered = 0;
  for (let i = 0; i < sequence.length; ) {
    if (sequence[i] === TestStatus.FAIL) {
      let j = i;
      while (sequence[j] === TestStatus.FAIL) j++;
      if (j - i >= breakageRun) {
        i = j;
        continue;
      }
      for (let k = i; k < j; k++) {
        considered++;
        if (k === i && sequence[k - 1] === TestStatus.PASS) flips++;
      }
      i = j;
      continue;
    }
    considered++;
    if (sequence[i] === TestStatus.FLAKY) flips++;
    i++;
  }
  if (considered > 0) out.flakiness = (100 * flips) / considered;
  return out;
}

/**
 * TestGrid's flip flakiness (summarizer healthiness) per test over the last `days` days, beside the
 * `days` before: infra failures (a one-word message) counted apart, failures in columns where every test
 * failed left out, runs of 3+ failures skipped as breakages, and each PASS→FAIL flip or FLAKY cell one
 * flip out of the runs considered. The synthetic rows (Overall, Pod) are not tests and are left out.
 */
export function flakiness(grid: Grid, now: number, days = 7, synthetic: readonly string[] = ['Overall', 'Pod']): HealthSummary {
  const span = days * 86_400_000;
  const current: number[] = [];
  const previous: number[] = [];
  grid.columns.forEach((c, i) => {
    if (c.state !== 'complete') return;
    if (c.started > now - span) current.push(i);
    else if (c.started > now - 2 * span) previous.push(i);
  });
  const rows = grid.rows.filter((r) => !synthetic.includes(r.name));
  const decoded = rows.map((r) => decodeResults(r.results));
  const allFailed = new Set<number>();
  for (const c of [...current, ...previous]) {
    let any = false;
    let all = true;
    for (const statuses of decoded) {
      const s = coalesce(statuses[c] ?? TestStatus.NO_RESULT, true);
      if (s === TestStatus.NO_RESULT) continue;
      any = true;
      if (s !== TestStatus.FAIL) all = false;
    }
    if (any && all) allFailed.add(c);
  }
  const tests: TestFlakiness[] = [];
  rows.forEach((row, r) => {
    const statuses = decoded[r] ?? [];
    const messages = rowCells(grid, row).map((c) => c.message);
    const now7 = measure(statuses, messages, current, allFailed);
    if (now7.runs + now7.infra === 0) return;
    const before = measure(statuses, messages, previous, allFailed);
    const f = now7.flakiness ?? 0;
    const info: TestFlakiness = {
      name: row.name,
      total_non_infra_runs: now7.runs,
      passed_non_infra_runs: now7.passed,
      failed_non_infra_runs: now7.failed,
      failed_infra_runs: now7.infra,
      total_runs_with_infra: now7.runs + now7.infra,
      flakiness: f,
      change_from_last_interval: before.flakiness === undefined || before.flakiness === f ? 'NO_CHANGE' : f > before.flakiness ? 'UP' : 'DOWN',
      infra_failures: now7.infraFailures,
    };
    if (before.flakiness !== undefined) info.previous_flakiness = before.flakiness;
    tests.push(info);
  });
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const summary: HealthSummary = { tests, average_flakiness: mean(tests.map((t) => t.flakiness)) };
  const prev = tests.flatMap((t) => (t.previous_flakiness === undefined ? [] : [t.previous_flakiness]));
  if (prev.length > 0) summary.previous_average_flakiness = mean(prev);
  return summary;
}
