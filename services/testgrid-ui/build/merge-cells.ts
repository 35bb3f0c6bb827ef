import type { JUnitCase } from '../junit/parse-junit.ts';
import { isFailing, isPassing, TestStatus, worse } from '../grid/status.ts';
import type { Cell } from './column.ts';

interface Runs {
  worst: Cell;
  passes: number;
  fails: number;
  total: number;
  seconds: number;
  timed: number;
  failMessage?: string;
}

/**
 * Gathers a build's testcases into one cell per row name, as TestGrid's MergeCells(flaky=true): one run is
 * its own cell; repeated runs (retries, `go test -count`, Ginkgo flake attempts, several JUnit files) take
 * the most severe status, except that passes and failures together are FLAKY with `n/N runs passed`.
 */
export class CellMerger {
  private readonly runs = new Map<string, Runs>();

  add(c: JUnitCase, file: string): void {
    const cell: Cell = { status: c.status, file };
    if (c.seconds !== undefined) cell.seconds = c.seconds;
    if (c.message !== undefined) cell.message = c.message;
    if (c.status === TestStatus.FAIL && c.message !== undefined) cell.icon = 'F';
    else if (c.status === TestStatus.PASS_WITH_SKIPS) cell.icon = 'S';
    const passed = isPassing(c.status) ? 1 : 0;
    const failed = isFailing(c.status) ? 1 : 0;
    const prev = this.runs.get(c.name);
    if (prev === undefined) {
      const runs: Runs = { worst: cell, passes: passed, fails: failed, total: 1, seconds: c.seconds ?? 0, timed: c.seconds === undefined ? 0 : 1 };
      if (failed === 1 && c.message !== undefined) runs.failMessage = c.message;
      this.runs.set(c.name, runs);
      return;
    }
    prev.passes += passed;
    prev.fails += failed;
    prev.total++;
    if (c.seconds !== undefined) {
      prev.seconds += c.seconds;
      prev.timed++;
    }
    if (failed === 1 && prev.failMessage === undefined && c.message !== undefined) prev.failMessage = c.message;
    if (worse(prev.worst.status, cell.status) !== prev.worst.status) prev.worst = cell;
  }

  /** The merged cells by row name. */
  cells(): Map<string, Cell> {
    const out = new Map<string, Cell>();
    for (const [name, r] of this.runs) {
      if (r.total === 1) {
        out.set(name, r.worst);
        continue;
      }
      const cell: Cell = { ...r.worst };
      if (r.timed > 0) cell.seconds = r.seconds / r.timed;
      if (r.passes > 0 && r.fails > 0) {
        cell.status = TestStatus.FLAKY;
        cell.icon = `${r.passes}/${r.total}`;
        cell.message = `${r.passes}/${r.total} runs passed: ${r.failMessage ?? ''}`;
      }
      out.set(name, cell);
    }
    return out;
  }
}
