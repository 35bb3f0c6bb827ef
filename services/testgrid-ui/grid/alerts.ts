import { rowCells, type Grid, type GridRow } from './grid.ts';
import { coalesce, TestStatus } from './status.ts';

/** TestGrid's AlertInfo for a row in an outage. */
export interface AlertInfo {
  /** Consecutive failures in the outage. */
  fail_count: number;
  /** The first failure of the streak (the oldest). */
  fail_build_id: string;
  latest_fail_build_id: string;
  /** When the first failure of the streak started, epoch ms. */
  fail_time: number;
  /** The last pass before the outage, when the grid still has it. */
  pass_build_id?: string;
  pass_time?: number;
  failure_message: string;
}

/** When a row alerts. */
export interface AlertThresholds {
  /** Consecutive failures that open an alert; 0 disables alerts. */
  num_failures_to_alert: number;
  /** Passes that close one. */
  num_passes_to_disable_alert: number;
}

/**
 * TestGrid's alertRow: scanning newest to oldest over coalesced results (no result and running ignored),
 * the row alerts when `num_failures_to_alert` consecutive failures come before `num_passes_to_disable_alert`
 * passes. A FLAKY cell breaks a streak; once an outage is established it ends the scan, since it cannot say
 * which build is at fault.
 */
export function alertRow(grid: Grid, row: GridRow, t: AlertThresholds): AlertInfo | undefined {
  if (t.num_failures_to_alert <= 0) return undefined;
  const cells = rowCells(grid, row);
  const passesToClose = Math.max(1, t.num_passes_to_disable_alert);
  let streak = 0;
  let passes = 0;
  let info: AlertInfo | undefined;
  for (let i = 0; i < cells.length; i++) {
    const status = coalesce(cells[i]?.status ?? TestStatus.NO_RESULT, true);
    const column = grid.columns[i];
    if (status === TestStatus.NO_RESULT || column === undefined) continue;
    const outage = streak >= t.num_failures_to_alert;
    if (status === TestStatus.PASS) {
      passes++;
      if (outage && info !== undefined) {
        info.pass_build_id = column.build;
        info.pass_time = column.started;
        break;
      }
      if (passes >= passesToClose) return undefined;
      streak = 0;
      info = undefined;
      continue;
    }
    if (status === TestStatus.FLAKY) {
      if (outage) break;
      streak = 0;
      info = undefined;
      continue;
    }
    if (status !== TestStatus.FAIL) continue;
    passes = 0;
    streak++;
    info ??= { fail_count: 0, fail_build_id: column.build, latest_fail_build_id: column.build, fail_time: column.started, failure_message: cells[i]?.message ?? '' };
    info.fail_count = streak;
    info.fail_build_id = column.build;
    info.fail_time = column.started;
  }
  return info !== undefined && streak >= t.num_failures_to_alert ? info : undefined;
}
