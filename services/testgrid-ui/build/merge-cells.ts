import type { JUnitCase } from '../junit/parse-junit.ts';
import { isFailing, isPassing, TestStatus, worse } from '../grid/status.ts';
import type { Cell } from './column.ts';

/** A name's runs when it ran more than once. */
interface Runs {
  worst: Cell;
  passes: number;
  fails: number;
  total: number;
  seconds: number;
  timed: number;
  failMessage?: string;
}

function cellOf(c: JUnitCase, file: string): Cell {
  const cell: Cell = { status: c.status, file };
  if (c.seconds !== undefined) cell.seconds = c.seconds;
  if (c.message !== undefined) cell.message = c.message;
  if (c.status === TestStatus.FAIL && c.message !== undefined) cell.icon = 'F';
  else if (c.status === TestStatus.PASS_WITH_SKIPS) cell.icon = 'S';
  return cell;
}

/** The runs so far of a name whose first run made `first` (its message is the case's message). */
function runsFrom(first: Cell): Runs {
  const failed = isFailing(first.status);
  const runs: Runs = { worst: first, passes: isPassing(first.status) ? 1 : 0, fails: failed ? 1 : 0, total: 1, seconds: first.seconds ?? 0, timed: first.seconds === undefined ? 0 : 1 };
  if (failed && first.message !== undefined) runs.failMessage = first.message;
  return runs;
}

/**
 * Gathers a build's testcases into one cell per row name, as TestGrid's MergeCells(flaky=true): one run is
 * its own cell; repeated runs (retries, `go test -count`, Ginkgo flake attempts, several JUnit files) take
 * the most severe status, except that passes and failures together are FLAKY with `n/N runs passed`.
 * Names that ran once, nearly all of them, cost one cell and nothing more.
 */
export class CellMerger {
  /** The first run's cell by name, in the order names first appear. */
  private readonly first = new Map<string, Cell>();
  private readonly repeated = new Map<string, Runs>();

  add(c: JUnitCase, file: string): void {
    const cell = cellOf(c, file);
    const first = this.first.get(c.name);
    if (first === undefined) {
      this.first.set(c.name, cell);
      return;
    }
    let prev = this.repeated.get(c.name);
    if (prev === undefined) {
      prev = runsFrom(first);
      this.repeated.set(c.name, prev);
    }
    const failed = isFailing(c.status);
    if (isPassing(c.status)) prev.passes++;
    if (failed) prev.fails++;
    prev.total++;
    if (c.seconds !== undefined) {
      prev.seconds += c.seconds;
      prev.timed++;
    }
    if (failed && prev.failMessage === undefined && c.message !== undefined) prev.failMessage = c.message;
    if (worse(prev.worst.status, cell.status) !== prev.worst.status) prev.worst = cell;
  }

  /** The merged cells by row name, in the order names first appeared; the merger is done with afterwards. */
  cells(): Map<string, Cell> {
    const out = this.first;
    for (const [name, r] of this.repeated) {
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
