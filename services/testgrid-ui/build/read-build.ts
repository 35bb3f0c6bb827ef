import { posix } from 'node:path';
import { readBuffer, type ObjectInfo, type ObjectStore } from '../../../lib/storage/index.ts';
import { isFailing, TestStatus } from '../grid/status.ts';
import { defaultJUnitPattern } from '../junit/junit-files.ts';
import { inlineJUnitParser, type JUnitParser } from '../junit/junit-parser.ts';
import { commitOf, parseFinished, parseStarted, type FinishedFile, type StartedFile } from './build-metadata.ts';
import type { Cell, Column } from './column.ts';
import { CellMerger } from './merge-cells.ts';
import { podCell, podRowName } from './pod-row.ts';

/** The synthetic row every column has, from started.json and finished.json. */
export const overallRowName = 'Overall';

/** TestGrid refuses JUnit files above this size. */
export const maxJUnitBytes = 100 * 1024 * 1024;

/** How `readBuild` reads. */
export interface ReadBuildOptions {
  /** Epoch milliseconds; a build without finished.json older than maxRunHours is a timeout. */
  now?: number;
  /** Which files under the build are JUnit (TestGrid's junit*.xml and test.xml, and TEST-*.xml, by default). */
  junitPattern?: RegExp;
  /** Hours a build may run before its Overall row fails with "did not complete"; 24 as TestGrid. */
  maxRunHours?: number;
  /** The objects under the build directory when the caller has listed them already. */
  listing?: ObjectInfo[];
  /** Where JUnit is parsed: this thread unless a worker pool is given. */
  parser?: JUnitParser;
}

const skipSeconds = (ms: number): number => Math.round(ms / 1000);

function overallCell(started: StartedFile | undefined, finished: FinishedFile | undefined, failedTest: boolean, now: number, maxRunHours: number): Cell {
  if (started === undefined) return { status: TestStatus.RUNNING, icon: 'R', message: 'Build has not started: no started.json yet' };
  if (started.timestamp === 0) return { status: TestStatus.RUNNING, icon: 'R', message: 'started.json has no timestamp' };
  const startMs = started.timestamp * 1000;
  if (finished?.timestamp === undefined) {
    if (now - startMs > maxRunHours * 3_600_000) {
      return { status: TestStatus.FAIL, icon: 'T', message: `Build did not complete within ${maxRunHours} hours` };
    }
    return { status: TestStatus.RUNNING, icon: 'R', message: 'Build still running...' };
  }
  const seconds = skipSeconds(finished.timestamp * 1000 - startMs);
  let passed = finished.passed;
  let legacy = false;
  if (passed === undefined) {
    passed = finished.result === 'SUCCESS';
    legacy = true;
  }
  const cell: Cell = { status: passed ? TestStatus.PASS : TestStatus.FAIL, seconds };
  if (legacy) {
    cell.icon = 'E';
    cell.message = 'finished.json missing "passed"';
  } else if (!passed && !failedTest) {
    cell.icon = 'F';
    cell.message = 'Build failed outside of test results';
  }
  return cell;
}

async function readText(store: ObjectStore, key: string): Promise<string> {
  return (await readBuffer(store, key)).toString('utf8');
}

/**
 * Reads one build directory as TestGrid's updater does: started.json, finished.json, podinfo.json when
 * there, and every JUnit file under it, into one column. A file that cannot be parsed fails the Overall
 * row ("Malformed artifacts", icon E) and is named in `malformed`; the other files are still read.
 */
export async function readBuild(store: ObjectStore, dir: string, options: ReadBuildOptions = {}): Promise<Column> {
  const base = dir.replace(/\/+$/, '');
  const now = options.now ?? Date.now();
  const pattern = options.junitPattern ?? defaultJUnitPattern;
  const parser = options.parser ?? inlineJUnitParser;
  const listing = options.listing ?? (await store.list(`${base}/`)).objects;
  const names = new Map<string, ObjectInfo>(listing.map((o) => [o.key.slice(base.length + 1), o]));
  const malformed: string[] = [];
  const junitKeys = [...names.keys()].filter((k) => pattern.test(k)).sort();

  const readJson = async <T>(name: string, parse: (text: string) => T): Promise<T | undefined> => {
    if (!names.has(name)) return undefined;
    try {
      return parse(await readText(store, `${base}/${name}`));
    } catch (err) {
      malformed.push(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  };
  const [started, finished, pod, junits] = await Promise.all([
    readJson('started.json', parseStarted),
    readJson('finished.json', parseFinished),
    readJson('podinfo.json', podCell),
    Promise.all(
      junitKeys.map(async (name) => {
        if ((names.get(name)?.size ?? 0) > maxJUnitBytes) {
          malformed.push(`${name}: over ${maxJUnitBytes / 1024 / 1024} MB, not read`);
          return undefined;
        }
        const bytes = await readBuffer(store, `${base}/${name}`);
        try {
          return { name, parsed: await parser.parse(name, bytes) };
        } catch (err) {
          malformed.push((err as Error).message);
          return undefined;
        }
      }),
    ),
  ]);

  const merger = new CellMerger();
  const junitFiles: string[] = [];
  for (const junit of junits) {
    if (junit === undefined) continue;
    for (const c of junit.parsed.cases) merger.add(c, junit.name);
    junitFiles.push(junit.name);
  }
  malformed.sort();
  const cells = merger.cells();
  let failedTest = false;
  for (const cell of cells.values()) failedTest ||= isFailing(cell.status);
  let overall = overallCell(started, finished, failedTest, now, options.maxRunHours ?? 24);
  if (malformed.length > 0) overall = { ...overall, status: TestStatus.FAIL, icon: 'E', message: `Malformed artifacts: ${malformed.join('; ')}` };
  cells.set(overallRowName, overall);
  if (pod !== undefined) cells.set(podRowName, pod);

  const column: Column = {
    build: posix.basename(base),
    dir: base,
    started: (started?.timestamp ?? 0) * 1000,
    commit: commitOf(started, finished),
    metadata: { ...(started?.metadata ?? {}), ...(finished?.metadata ?? {}) },
    // A build past its deadline is final (FAIL, icon T), as TestGrid stops re-reading it.
    state: started === undefined ? 'pending' : overall.status === TestStatus.RUNNING ? 'running' : 'complete',
    cells,
    junitFiles,
    malformed,
  };
  if (finished?.timestamp !== undefined) column.finished = finished.timestamp * 1000;
  if (finished?.passed !== undefined) column.passed = finished.passed;
  if (finished?.result !== undefined) column.result = finished.result;
  if (finished?.revision !== undefined) column.revision = finished.revision;
  return column;
}
