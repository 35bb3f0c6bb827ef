import type { BuildState, Cell, Column } from '../build/column.ts';
import { TestStatus } from './status.ts';

/** One column's header: a build. */
export interface GridColumn {
  build: string;
  /** Epoch milliseconds; 0 when the build has no started.json timestamp. */
  started: number;
  finished?: number;
  state: BuildState;
  /** The Commit header (TestGrid's version, 9 characters) or `missing`. */
  commit: string;
  /** The build directory in its store, for links to the build's page. */
  dir: string;
  /** Values for the test group's column_header entries, in order; `missing` when a build lacks one. */
  extra?: string[];
}

/** A cell's details beyond its status: `[column, icon, message, file]`, file an index into `Grid.files` or -1. */
export type Note = [column: number, icon: string, message: string, file: number];

/**
 * One test's row. `results` is run-length encoded as TestGrid stores it: `[status, count, status, count, ...]`
 * over the columns, newest first, statuses as TestStatus numbers (0 = no result). `durations` holds one
 * value per cell that has a result, in the same order: milliseconds, or -1 when the cell had no time.
 * `notes` is sparse: only cells with an icon or a message that is not a plain pass.
 */
export interface GridRow {
  name: string;
  results: number[];
  durations: number[];
  notes: Note[];
}

/**
 * A test group's grid as the updater keeps it and the web app renders it: columns newest first, rows by
 * name with Overall first. JSON as it is; 500 rows by 1,000 columns of mostly passing cells is a few
 * hundred kilobytes, most of it durations (see README-section-data.md).
 */
export interface Grid {
  version: 1;
  columns: GridColumn[];
  rows: GridRow[];
  /** JUnit file names (relative to the build directory) the notes point into. */
  files: string[];
}

/** TestGrid shows at most this much of a cell's message, eliding the middle. */
export const maxCellMessage = 140;

/** A message cut to `max` characters with the middle replaced by "...", as TestGrid shows cell messages. */
export function elide(message: string, max = maxCellMessage): string {
  if (message.length <= max) return message;
  const keep = max - 3;
  const head = Math.ceil(keep / 2);
  return `${message.slice(0, head)}...${message.slice(message.length - (keep - head))}`;
}

/** A row decoded: one entry per column. */
interface RowCells {
  statuses: number[];
  durations: number[];
  notes: Map<number, Note>;
}

/** Run-length encodes statuses as `[status, count, ...]`. */
export function encodeResults(statuses: readonly number[]): number[] {
  const out: number[] = [];
  for (const s of statuses) {
    const n = out.length;
    if (n > 0 && out[n - 2] === s) out[n - 1] = (out[n - 1] ?? 0) + 1;
    else out.push(s, 1);
  }
  return out;
}

/** The statuses a `results` array encodes, one per column. */
export function decodeResults(results: readonly number[]): TestStatus[] {
  const out: TestStatus[] = [];
  for (let i = 0; i + 1 < results.length; i += 2) {
    const status = (results[i] ?? 0) as TestStatus;
    for (let n = results[i + 1] ?? 0; n > 0; n--) out.push(status);
  }
  return out;
}

function decodeRow(row: GridRow): RowCells {
  const statuses = decodeResults(row.results);
  const durations: number[] = new Array<number>(statuses.length).fill(-1);
  let d = 0;
  statuses.forEach((s, i) => {
    if (s !== TestStatus.NO_RESULT) durations[i] = row.durations[d++] ?? -1;
  });
  return { statuses, durations, notes: new Map(row.notes.map((n) => [n[0], n])) };
}

function encodeRow(name: string, cells: RowCells): GridRow {
  const durations: number[] = [];
  cells.statuses.forEach((s, i) => {
    if (s !== TestStatus.NO_RESULT) durations.push(cells.durations[i] ?? -1);
  });
  const notes = [...cells.notes.values()].sort((a, b) => a[0] - b[0]);
  return { name, results: encodeResults(cells.statuses), durations, notes };
}

/** An empty grid. */
export function emptyGrid(): Grid {
  return { version: 1, columns: [], rows: [], files: [] };
}

/** How `mergeColumns` changes a grid. */
export interface GridChange {
  /** Columns to drop from the newest end before adding: builds that are read again. */
  dropNewest: number;
  /** Newly read columns, newest first; they go before the kept ones. */
  add: readonly Column[];
  /** Drop kept columns whose build started before this (epoch ms): days_of_results. */
  keepSince: number;
  /** Values of the group's column_header entries for a column. */
  extra?: (column: Column) => string[];
}

function headerOf(c: Column, extra: GridChange['extra']): GridColumn {
  const header: GridColumn = { build: c.build, started: c.started, state: c.state, commit: c.commit, dir: c.dir };
  if (c.finished !== undefined) header.finished = c.finished;
  const values = extra?.(c);
  if (values !== undefined && values.length > 0) header.extra = values;
  return header;
}

function noteOf(cell: Cell, column: number, fileIndex: (f: string) => number): Note | undefined {
  const plainPass = cell.status === TestStatus.PASS && cell.icon === undefined;
  if (plainPass || (cell.icon === undefined && cell.message === undefined)) return undefined;
  return [column, cell.icon ?? '', elide(cell.message ?? ''), cell.file === undefined ? -1 : fileIndex(cell.file)];
}

const compareRows = (overall: string) => (a: GridRow, b: GridRow): number => {
  if (a.name === overall) return -1;
  if (b.name === overall) return 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

/**
 * The grid with `change` applied: the newest `dropNewest` columns removed, `add` put in front, columns older
 * than `keepSince` dropped, and rows left with no result in any column removed (TestGrid's empty rows).
 */
export function mergeColumns(grid: Grid, change: GridChange, overallRow = 'Overall'): Grid {
  const kept = grid.columns.slice(change.dropNewest);
  let keepCount = kept.length;
  while (keepCount > 0 && (kept[keepCount - 1]?.started ?? 0) < change.keepSince) keepCount--;
  const keptColumns = kept.slice(0, keepCount);
  const added = change.add;
  const width = added.length + keptColumns.length;

  const files = [...grid.files];
  const fileIds = new Map(files.map((f, i) => [f, i]));
  const fileIndex = (f: string): number => {
    let id = fileIds.get(f);
    if (id === undefined) {
      id = files.length;
      files.push(f);
      fileIds.set(f, id);
    }
    return id;
  };

  const rows = new Map<string, RowCells>();
  const shift = added.length - change.dropNewest;
  for (const row of grid.rows) {
    const old = decodeRow(row);
    const cells: RowCells = { statuses: new Array<number>(width).fill(TestStatus.NO_RESULT), durations: new Array<number>(width).fill(-1), notes: new Map() };
    for (let i = 0; i < keepCount; i++) {
      const from = i + change.dropNewest;
      cells.statuses[added.length + i] = old.statuses[from] ?? TestStatus.NO_RESULT;
      cells.durations[added.length + i] = old.durations[from] ?? -1;
    }
    for (const [col, note] of old.notes) {
      const to = col + shift;
      if (col >= change.dropNewest && to < width) cells.notes.set(to, [to, note[1], note[2], note[3]]);
    }
    rows.set(row.name, cells);
  }
  added.forEach((column, c) => {
    for (const [name, cell] of column.cells) {
      let cells = rows.get(name);
      if (cells === undefined) {
        cells = { statuses: new Array<number>(width).fill(TestStatus.NO_RESULT), durations: new Array<number>(width).fill(-1), notes: new Map() };
        rows.set(name, cells);
      }
      cells.statuses[c] = cell.status;
      cells.durations[c] = cell.seconds === undefined ? -1 : Math.round(cell.seconds * 1000);
      const note = noteOf(cell, c, fileIndex);
      if (note !== undefined) cells.notes.set(c, note);
    }
  });

  const out: GridRow[] = [];
  for (const [name, cells] of rows) {
    if (cells.statuses.every((s) => s === TestStatus.NO_RESULT)) continue;
    out.push(encodeRow(name, cells));
  }
  out.sort(compareRows(overallRow));
  return { version: 1, columns: [...added.map((c) => headerOf(c, change.extra)), ...keptColumns], rows: out, files };
}

/** One row's cells decoded for readers: status, milliseconds and note per column. */
export interface DecodedCell {
  status: TestStatus;
  ms?: number;
  icon?: string;
  message?: string;
  file?: string;
}

/** A row's cells, one per column, newest first. */
export function rowCells(grid: Grid, row: GridRow): DecodedCell[] {
  const cells = decodeRow(row);
  return cells.statuses.map((status, i) => {
    const cell: DecodedCell = { status: status as TestStatus };
    const ms = cells.durations[i] ?? -1;
    if (ms >= 0) cell.ms = ms;
    const note = cells.notes.get(i);
    if (note !== undefined) {
      if (note[1] !== '') cell.icon = note[1];
      if (note[2] !== '') cell.message = note[2];
      const file = grid.files[note[3]];
      if (file !== undefined) cell.file = file;
    }
    return cell;
  });
}

/** The grid without per-cell durations: what a page that only colours cells needs (a fraction of the size). */
export function withoutDurations(grid: Grid): Grid {
  return { ...grid, rows: grid.rows.map((r) => ({ ...r, durations: [] })) };
}
