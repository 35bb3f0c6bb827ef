import { encodeResults, type Grid, type Note } from '../grid/grid.ts';

/**
 * A grid for summary tests: rows of statuses newest first; column i is build `b<i>`, started
 * `newest - i * stepMs`, complete unless listed in `running`. `messages` put a note on cells by row and column.
 */
export function gridOf(
  rows: Record<string, number[]>,
  opts: { newest?: number; stepMs?: number; running?: number[]; messages?: Record<string, Record<number, string>> } = {},
): Grid {
  const width = Math.max(...Object.values(rows).map((s) => s.length));
  const newest = opts.newest ?? 1_767_323_045_000;
  const step = opts.stepMs ?? 3_600_000;
  return {
    version: 1,
    columns: Array.from({ length: width }, (_, i) => ({
      build: `b${i}`,
      started: newest - i * step,
      state: opts.running?.includes(i) === true ? ('running' as const) : ('complete' as const),
      commit: `c${i}`,
      dir: `logs/job/b${i}`,
      extra: [`c${i}`],
    })),
    rows: Object.entries(rows).map(([name, statuses]) => ({
      name,
      results: encodeResults(statuses),
      durations: statuses.filter((s) => s !== 0).map(() => -1),
      notes: Object.entries(opts.messages?.[name] ?? {}).map(([c, m]): Note => [Number(c), 'F', m, -1]),
    })),
    files: [],
  };
}
