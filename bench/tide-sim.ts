// `npm run bench -- tide-sim [seed]`: the merge-queue simulation of the Tide reference (section 3.3). The
// prow-ts queue runs the policy code of services/tide/policy; Prow's Tide, a serial queue and a
// GitHub-merge-queue-like policy are modelled beside it on the same PRs, flakes and CI.
import { argv } from 'node:process';
import { printResult, printTable, type Row } from './report.ts';
import { githubMergeQueue } from './tide-sim/github-mq.ts';
import { prowTsQueue } from './tide-sim/ours.ts';
import { prowTide } from './tide-sim/prow-tide.ts';
import { scenarios } from './tide-sim/scenarios.ts';
import { serialQueue } from './tide-sim/serial.ts';
import { World, type SimPolicy, type SimResult } from './tide-sim/world.ts';

const seed = Number(argv[3] ?? 42);
const policies: (() => SimPolicy)[] = [() => prowTsQueue(), () => prowTide(), () => serialQueue(), () => githubMergeQueue()];

let resultB: { ours: SimResult; tide: SimResult } | undefined;
for (const scenario of scenarios) {
  const results = policies.map((make) => new World(scenario, seed).run(make()));
  const bound = new World(scenario, seed);
  const boundPerHour = bound.boundMerges / scenario.hours;
  const column = (pick: (r: SimResult) => number | string): Row => Object.fromEntries(results.map((r) => [r.policy, pick(r)]));
  printTable(`tide-sim scenario ${scenario.name} (${scenario.description}; ${String(scenario.hours)} h, seed ${String(seed)})`, [
    { measure: 'PRs merged', ...column((r) => r.merged), bound: bound.boundMerges },
    { measure: 'merges per hour', ...column((r) => r.mergesPerHour), bound: boundPerHour },
    { measure: '  share of the bound', ...column((r) => r.mergesPerHour / boundPerHour), bound: 1 },
    { measure: 'p50 time to merge (min)', ...column((r) => r.p50Minutes), bound: scenario.testMinutes },
    { measure: 'p95 time to merge (min)', ...column((r) => r.p95Minutes), bound: scenario.testMinutes },
    { measure: '  bound over p50', ...column((r) => scenario.testMinutes / r.p50Minutes), bound: 1 },
    { measure: 'CI runs per merged PR', ...column((r) => r.runsPerMerge), bound: '' },
    { measure: 'escapes (untested states landed)', ...column((r) => r.escapes), bound: 0 },
    { measure: 'good PRs evicted by flakes', ...column((r) => r.falseEvictions), bound: 0 },
  ]);
  const ours = results[0];
  const tide = results[1];
  if (scenario.name === 'B' && ours && tide) resultB = { ours, tide };
}
console.log('Time to merge counts PRs still open at the end as waiting until the end. A CI run is one run of every');
console.log('required job; a single retried job counts as its share. The bound is an oracle with unlimited CI that');
console.log('lands each good PR (and each bad one once fixed) one test duration after it is ready.');
if (resultB) {
  const { ours, tide } = resultB;
  printResult('tide-sim', {
    scenario: 'B',
    seed,
    merges_per_hour: ours.mergesPerHour,
    tide_merges_per_hour: tide.mergesPerHour,
    ratio_vs_tide: ours.mergesPerHour / tide.mergesPerHour,
    p95_minutes: ours.p95Minutes,
    tide_p95_minutes: tide.p95Minutes,
    p95_ratio_vs_tide: ours.p95Minutes / tide.p95Minutes,
    runs_per_merge: ours.runsPerMerge,
    tide_runs_per_merge: tide.runsPerMerge,
    escapes: ours.escapes,
  });
}
