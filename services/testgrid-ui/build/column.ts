import type { TestStatus } from '../grid/status.ts';

/** One test's result in one build, after repeated runs of the same name were merged. */
export interface Cell {
  status: TestStatus;
  /** Seconds, averaged over merged runs. */
  seconds?: number;
  /** Why it failed or was skipped (or its output), up to 10,000 characters. */
  message?: string;
  /** TestGrid's 1–5 character cell text: F, S, T, R, E, `n/N` for merged runs. */
  icon?: string;
  /** The JUnit file the result came from, relative to the build directory. */
  file?: string;
}

/** How far a build had got when it was read. */
export type BuildState = 'pending' | 'running' | 'complete';

/** One build read from storage: TestGrid's column, with every test's cell and the synthetic rows. */
export interface Column {
  /** The build id: the build directory's last segment. */
  build: string;
  /** The build directory, a key in the store. */
  dir: string;
  /** started.json's timestamp in epoch milliseconds; 0 when there is none. */
  started: number;
  /** finished.json's timestamp in epoch milliseconds. */
  finished?: number;
  passed?: boolean;
  result?: string;
  revision?: string;
  /** The version TestGrid shows in the Commit header (after `+`, 9 characters), or `missing`. */
  commit: string;
  /** finished.json's metadata over started.json's. */
  metadata: Record<string, unknown>;
  state: BuildState;
  /** Cells by row name, the Overall row (and Pod row when podinfo.json is there) included. */
  cells: Map<string, Cell>;
  /** JUnit files read, relative to the build directory. */
  junitFiles: string[];
  /** One line per artifact that could not be read: `<file>: <why>`. */
  malformed: string[];
}
