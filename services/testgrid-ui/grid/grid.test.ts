import { describe, expect, it } from 'vitest';
import type { Column } from '../build/column.ts';
import { decodeResults, elide, emptyGrid, encodeResults, mergeColumns, rowCells, withoutDurations } from './grid.ts';
import { TestStatus as S } from './status.ts';

function column(build: string, started: number, cells: Record<string, { status: number; seconds?: number; message?: string; icon?: string; file?: string }>, state: Column['state'] = 'complete'): Column {
  return { build, dir: `logs/j/${build}`, started, commit: 'missing', metadata: {}, state, cells: new Map(Object.entries(cells).map(([k, v]) => [k, { ...v, status: v.status as S }])), junitFiles: [], malformed: [] };
}

describe('grid encoding', () => {
  it('run-length encodes statuses and decodes them back', () => {
    const statuses = [S.PASS, S.PASS, S.PASS, S.FAIL, S.NO_RESULT, S.NO_RESULT, S.PASS];
    expect(encodeResults(statuses)).toEqual([S.PASS, 3, S.FAIL, 1, S.NO_RESULT, 2, S.PASS, 1]);
    expect(decodeResults(encodeResults(statuses))).toEqual(statuses);
  });

  it('elides long messages in the middle to 140 characters', () => {
    const m = `${'a'.repeat(100)}${'b'.repeat(100)}`;
    expect(elide(m)).toHaveLength(140);
    expect(elide(m)).toMatch(/^a+\.\.\.b+$/);
    expect(elide('short')).toBe('short');
  });

  it('prepends new columns, drops re-read and expired ones, shifts notes and removes empty rows', () => {
    let grid = mergeColumns(emptyGrid(), {
      dropNewest: 0,
      keepSince: 0,
      add: [
        column('3', 300, { Overall: { status: S.RUNNING, icon: 'R' } }, 'running'),
        column('2', 200, { Overall: { status: S.FAIL, seconds: 9 }, t: { status: S.FAIL, seconds: 1.5, message: 'boom', icon: 'F', file: 'artifacts/junit.xml' } }),
        column('1', 100, { Overall: { status: S.PASS, seconds: 8 }, old: { status: S.PASS } }),
      ],
    });
    expect(grid.rows.map((r) => r.name)).toEqual(['Overall', 'old', 't']);
    // Build 3 is read again (now finished), build 4 is new, and build 1 is past days_of_results.
    grid = mergeColumns(grid, {
      dropNewest: 1,
      keepSince: 150,
      add: [column('4', 400, { Overall: { status: S.PASS } }), column('3', 300, { Overall: { status: S.PASS }, t: { status: S.PASS, seconds: 1 } })],
    });
    expect(grid.columns.map((c) => [c.build, c.state])).toEqual([
      ['4', 'complete'],
      ['3', 'complete'],
      ['2', 'complete'],
    ]);
    expect(grid.rows.map((r) => r.name)).toEqual(['Overall', 't']);
    const t = grid.rows[1];
    if (t === undefined) throw new Error('no row');
    expect(rowCells(grid, t)).toEqual([{ status: S.NO_RESULT }, { status: S.PASS, ms: 1000 }, { status: S.FAIL, ms: 1500, icon: 'F', message: 'boom', file: 'artifacts/junit.xml' }]);
    const slim = withoutDurations(grid).rows[1];
    if (slim === undefined) throw new Error('no row');
    expect(rowCells(grid, slim)[2]).toEqual({ status: S.FAIL, icon: 'F', message: 'boom', file: 'artifacts/junit.xml' });
  });
});
