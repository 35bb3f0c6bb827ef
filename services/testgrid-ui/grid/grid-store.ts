import type { Grid } from './grid.ts';

/** What the updater remembers about a test group besides its grid, so a restart reads only what is new. */
export interface ReadState {
  /** A hash of the test group's config the grid was read with; a change means reading again. */
  configHash: string;
  /** When the updater last wrote the grid (epoch ms): the stale check's "data age". */
  updated: number;
  /** Builds read in the last update, for operators and tests. */
  lastRead: string[];
}

/** A grid with its read state. */
export interface StoredGrid {
  grid: Grid;
  state: ReadState;
}

/** Where grids live between updates and where the web app reads them. */
export interface GridStore {
  /** The test group's grid and read state, or undefined before its first update. */
  read(group: string): Promise<StoredGrid | undefined>;
  /** Replaces the test group's grid and read state in one step. */
  write(group: string, stored: StoredGrid): Promise<void>;
  /** Every test group with a stored grid, by name. */
  groups(): Promise<string[]>;
  /** Drops a test group's grid (its config was removed). */
  remove(group: string): Promise<void>;
  close(): Promise<void>;
}
