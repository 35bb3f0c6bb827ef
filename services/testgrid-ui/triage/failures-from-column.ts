import type { Column } from '../build/column.ts';
import { podRowName } from '../build/pod-row.ts';
import { overallRowName } from '../build/read-build.ts';
import type { TestGroup } from '../dashboards/config-types.ts';
import { buildLinkFor } from '../grid/build-link.ts';
import { isFailing, TestStatus } from '../grid/status.ts';
import type { FailureRecord } from './failure.ts';

/** What CellMerger puts before a FLAKY cell's first failure; triage clusters the failure, not the tally. */
const flakyTally = /^\d+\/\d+ runs passed: /;

/**
 * The failures triage clusters from one build: one per failing test cell (TOOL_FAIL up to FAIL) and one
 * per FLAKY cell (Kettle records every failed testcase, a failed attempt of a test that passed on retry
 * too), with the cell's whole message. The synthetic rows are left out, unless the build failed with no
 * failing test: then one failure named `Overall` carries the Overall row's message (and the Pod row's, when
 * it failed too), so a build that broke outside its tests still shows up in a cluster.
 */
export function failuresFromColumn(group: Pick<TestGroup, 'name' | 'gcs_prefix'>, column: Column): FailureRecord[] {
  const base = { job: group.name, build: column.build, started: column.started, url: buildLinkFor(group.gcs_prefix, column.dir) };
  const out: FailureRecord[] = [];
  for (const [test, cell] of column.cells) {
    if (test === overallRowName || test === podRowName) continue;
    if (cell.status === TestStatus.FLAKY) out.push({ ...base, test, text: (cell.message ?? '').replace(flakyTally, '') });
    else if (isFailing(cell.status)) out.push({ ...base, test, text: cell.message ?? '' });
  }
  if (out.length > 0) return out;
  const overall = column.cells.get(overallRowName);
  if (overall === undefined || !isFailing(overall.status)) return out;
  const pod = column.cells.get(podRowName);
  const texts = [overall.message ?? `Build failed: ${column.result ?? 'no result'}`];
  if (pod !== undefined && isFailing(pod.status) && pod.message !== undefined) texts.push(pod.message);
  return [{ ...base, test: overallRowName, text: texts.join('\n') }];
}
