import { createHash } from 'node:crypto';
import type { Logger } from '../../../lib/log.ts';
import type { JUnitParser } from '../junit/junit-parser.ts';
import type { Column } from '../build/column.ts';
import { overallRowName, readBuild } from '../build/read-build.ts';
import type { TestGroup } from '../dashboards/config-types.ts';
import { emptyGrid, mergeColumns, type Grid } from './grid.ts';
import type { GridStore, StoredGrid } from './grid-store.ts';
import { buildDir, compareBuildIds, listBuilds, type ListedBuild } from './list-builds.ts';
import { TestStatus } from './status.ts';
import type { StoreResolver } from './store-resolver.ts';

/** What the updater runs with. */
export interface UpdaterDeps {
  stores: StoreResolver;
  grids: GridStore;
  log?: Logger;
  /** Epoch milliseconds. */
  now?: () => number;
  /** Builds read at once; 16 unless set. */
  concurrency?: number;
  /**
   * Builds that started less than this long ago are read again next time, as TestGrid allows Prow 20
   * minutes to finish uploading. Milliseconds; 20 minutes unless set.
   */
  settleMs?: number;
  /** Which files are JUnit; TestGrid's names and TEST-*.xml unless set. */
  junitPattern?: RegExp;
  /** Where JUnit is parsed; this thread unless set (createJUnitParserPool spreads it over the cores). */
  parser?: JUnitParser;
  /**
   * Told of the complete builds an update read, newest first, once each: a build read again because it
   * was running is passed when it completes, one read again within `settleMs` is not passed again. Called
   * before the grid is written, so when it throws the update fails and the builds are read (and passed)
   * again next time: consumers must be idempotent per build (triage's feed is).
   */
  onColumns?: (group: TestGroup, columns: readonly Column[]) => void | Promise<void>;
}

/** What one update did. */
export interface UpdateResult {
  group: string;
  /** Builds the listing found. */
  listed: number;
  /** Builds read this time (new ones and ones read again). */
  read: number;
  /** Columns dropped to be read again: still running, or too recent to trust. */
  reread: number;
  columns: number;
  rows: number;
}

const dayMs = 86_400_000;

/** A stable hash of what, in a test group's config, changes how its grid is read. */
export function configHash(group: TestGroup): string {
  const { name, gcs_prefix, days_of_results, column_header, max_test_runtime_hours, disable_prowjob_analysis, ignore_skip } = group;
  return createHash('sha256')
    .update(JSON.stringify({ name, gcs_prefix, days_of_results, column_header, max_test_runtime_hours, disable_prowjob_analysis, ignore_skip }))
    .digest('hex')
    .slice(0, 16);
}

/** Values of the group's column_header entries: Commit, a finished.json metadata key, else `missing`. */
function extraHeaders(group: TestGroup): (c: Column) => string[] {
  return (c) =>
    group.column_header.map((h) => {
      const key = h.configuration_value ?? h.label ?? h.property ?? '';
      if (key === 'Commit') return c.commit;
      const value = c.metadata[key];
      return typeof value === 'string' ? value : 'missing';
    });
}

/** Columns to read again from the newest end: up to and including the oldest that is running or too recent. */
function columnsToReread(grid: Grid, now: number, settleMs: number): number {
  let drop = 0;
  grid.columns.forEach((c, i) => {
    if (c.state !== 'complete' || c.started > now - settleMs) drop = i + 1;
  });
  return drop;
}

/** The column TestGrid makes of a build whose files could not be fetched: Overall TOOL_FAIL. */
function toolFailColumn(build: ListedBuild, err: unknown): Column {
  const message = `Failed to read the build: ${err instanceof Error ? err.message : String(err)}`;
  return {
    build: build.id,
    dir: build.dir ?? build.link ?? '',
    started: 0,
    commit: 'missing',
    metadata: {},
    state: 'running',
    cells: new Map([[overallRowName, { status: TestStatus.TOOL_FAIL, icon: 'E', message }]]),
    junitFiles: [],
    malformed: [message],
  };
}

/**
 * Updates one test group's grid, incrementally as TestGrid's updater: it keeps the stored grid, drops the
 * newest columns that were still running (or started within `settleMs`) so those builds are read again,
 * lists the group's builds and reads only those newer than the newest column it kept, newest first,
 * stopping at the first one older than days_of_results; then writes the grid and its read state.
 */
export async function updateTestGroup(group: TestGroup, deps: UpdaterDeps): Promise<UpdateResult> {
  const now = deps.now?.() ?? Date.now();
  const settleMs = deps.settleMs ?? 20 * 60_000;
  const concurrency = deps.concurrency ?? 16;
  const keepSince = now - group.days_of_results * dayMs;
  const hash = configHash(group);

  const stored = await deps.grids.read(group.name);
  const grid = stored?.state.configHash === hash ? stored.grid : emptyGrid();
  const dropNewest = columnsToReread(grid, now, settleMs);
  const newestKept = grid.columns[dropNewest]?.build;
  // Complete builds read again only because they were recent: onColumns has had them.
  const passedBefore = new Set(grid.columns.slice(0, dropNewest).flatMap((c) => (c.state === 'complete' ? [c.build] : [])));

  const { store, prefix } = await deps.stores.locate(group.gcs_prefix);
  const listed = await listBuilds(store, prefix);
  const candidates = newestKept === undefined ? listed : listed.filter((b) => compareBuildIds(b.id, newestKept) > 0);

  const readOptions = {
    now,
    maxRunHours: group.max_test_runtime_hours,
    ...(deps.junitPattern === undefined ? {} : { junitPattern: deps.junitPattern }),
    ...(deps.parser === undefined ? {} : { parser: deps.parser }),
  };
  const added: Column[] = [];
  let reachedOld = false;
  for (let i = 0; i < candidates.length && !reachedOld; i += concurrency) {
    const batch = candidates.slice(i, i + concurrency);
    const columns = await Promise.all(
      batch.map(async (b) => {
        try {
          const column = await readBuild(store, await buildDir(store, b), readOptions);
          return { ...column, build: b.id };
        } catch (err) {
          deps.log?.warn({ group: group.name, build: b.id, err: (err as Error).message }, 'Could not read build');
          return toolFailColumn(b, err);
        }
      }),
    );
    for (const column of columns) {
      // A build without a start time cannot be placed by age; keep it (it is pending or broken) but go on.
      if (column.started !== 0 && column.started < keepSince) {
        reachedOld = true;
        break;
      }
      if (group.disable_prowjob_analysis) column.cells.delete('Pod');
      if (group.ignore_skip) for (const [name, cell] of column.cells) if (cell.status === TestStatus.PASS_WITH_SKIPS) column.cells.delete(name);
      if (group.ignore_pending && column.state === 'pending') continue;
      added.push(column);
    }
  }

  const complete = added.filter((c) => c.state === 'complete' && !passedBefore.has(c.build));
  if (deps.onColumns !== undefined && complete.length > 0) await deps.onColumns(group, complete);

  const next = mergeColumns(grid, { dropNewest, add: added, keepSince, extra: extraHeaders(group) }, overallRowName);
  const out: StoredGrid = { grid: next, state: { configHash: hash, updated: now, lastRead: added.map((c) => c.build) } };
  await deps.grids.write(group.name, out);
  deps.log?.info({ group: group.name, listed: listed.length, read: added.length, reread: dropNewest, columns: next.columns.length }, 'Updated test group');
  return { group: group.name, listed: listed.length, read: added.length, reread: dropNewest, columns: next.columns.length, rows: next.rows.length };
}

/**
 * Updates every test group in turn, one failure not stopping the rest; the errors come back by group, and
 * grids of groups no longer configured are removed.
 */
export async function updateAllTestGroups(groups: readonly TestGroup[], deps: UpdaterDeps): Promise<{ results: UpdateResult[]; errors: Map<string, Error> }> {
  const results: UpdateResult[] = [];
  const errors = new Map<string, Error>();
  for (const group of groups) {
    try {
      results.push(await updateTestGroup(group, deps));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      deps.log?.error({ group: group.name, err: error.message }, 'Test group update failed');
      errors.set(group.name, error);
    }
  }
  const configured = new Set(groups.map((g) => g.name));
  for (const name of await deps.grids.groups()) if (!configured.has(name)) await deps.grids.remove(name);
  return { results, errors };
}
