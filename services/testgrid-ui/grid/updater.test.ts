import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirStore } from '../../../lib/storage/index.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { testGroupDefaults, type TestGroup } from '../dashboards/config-types.ts';
import { writeBuild } from '../testing/write-builds.ts';
import { rowCells } from './grid.ts';
import { RedisGridStore } from './redis-grid-store.ts';
import { TestStatus } from './status.ts';
import { createStoreResolver } from './store-resolver.ts';
import type { Column } from '../build/column.ts';
import { updateAllTestGroups, updateTestGroup } from './updater.ts';

const redis = uniqueRedis('testgrid-updater');
let root: string;
let store: DirStore;
const t0 = 1_767_323_045;
const now = () => (t0 + 10 * 3600) * 1000;
const tests = ['TestSpin', 'TestStop', 'TestGears'];
const group: TestGroup = { ...testGroupDefaults, name: 'ci-widgets-unit', gcs_prefix: 'prow-artifacts/logs/ci-widgets-unit' };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'testgrid-updater-'));
  store = new DirStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await dropPrefix(redis);
});

async function update(grids: RedisGridStore) {
  return updateTestGroup(group, { stores: createStoreResolver({ buckets: { 'prow-artifacts': store } }), grids, now });
}

describe('updateTestGroup', () => {
  it('builds a grid newest first with Overall first, and after a restart reads only builds it has not read', async () => {
    for (let i = 1; i <= 3; i++) {
      await writeBuild(store, 'ci-widgets-unit', { id: String(i), started: t0 + i * 600, ranFor: 300, tests, ...(i === 2 ? { failures: { TestStop: 'stop_test.go:9: still spinning' } } : {}) });
    }
    await writeBuild(store, 'ci-widgets-unit', { id: '4', started: t0 + 4 * 600, tests });

    const first = new RedisGridStore(redis);
    expect(await update(first)).toMatchObject({ listed: 4, read: 4, reread: 0, columns: 4 });
    await first.close();

    // A build already read is changed in storage: a grid that re-read it would show the change.
    await writeBuild(store, 'ci-widgets-unit', { id: '1', started: t0 + 600, ranFor: 300, tests, failures: { TestSpin: 'rewritten' } });
    // The running build finishes, and a new one arrives.
    await writeBuild(store, 'ci-widgets-unit', { id: '4', started: t0 + 4 * 600, ranFor: 300, tests });
    await writeBuild(store, 'ci-widgets-unit', { id: '10', started: t0 + 10 * 600, ranFor: 300, tests, failures: { TestGears: 'gears_test.go:3: no teeth' } });

    const restarted = new RedisGridStore(redis);
    const second = await update(restarted);
    expect(second).toMatchObject({ listed: 5, read: 2, reread: 1, columns: 5 });
    const stored = await restarted.read(group.name);
    await restarted.close();
    expect(stored?.state.lastRead).toEqual(['10', '4']);
    const grid = stored?.grid;
    if (grid === undefined) throw new Error('no grid stored');
    expect(grid.columns.map((c) => [c.build, c.state])).toEqual([
      ['10', 'complete'],
      ['4', 'complete'],
      ['3', 'complete'],
      ['2', 'complete'],
      ['1', 'complete'],
    ]);
    expect(grid.columns[0]?.extra).toEqual(['abcdef012']);
    expect(grid.rows.map((r) => r.name)).toEqual(['Overall', 'github.com/acme/widgets/pkg.TestGears', 'github.com/acme/widgets/pkg.TestSpin', 'github.com/acme/widgets/pkg.TestStop']);
    const row = (name: string) => grid.rows.find((r) => r.name.endsWith(name));
    const spin = row('TestSpin');
    if (spin === undefined) throw new Error('no TestSpin row');
    expect(rowCells(grid, spin).map((c) => c.status)).toEqual([TestStatus.PASS, TestStatus.PASS, TestStatus.PASS, TestStatus.PASS, TestStatus.PASS]);
    expect(row('Overall')?.results).toEqual([TestStatus.FAIL, 1, TestStatus.PASS, 2, TestStatus.FAIL, 1, TestStatus.PASS, 1]);
    const stop = row('TestStop');
    if (stop === undefined) throw new Error('no TestStop row');
    expect(rowCells(grid, stop)[3]).toEqual({ status: TestStatus.FAIL, ms: 2, icon: 'F', message: 'Failed\nstop_test.go:9: still spinning', file: 'artifacts/junit_unit.xml' });
  });

  it('drops builds older than days_of_results and stops reading at the first one', async () => {
    await writeBuild(store, 'ci-widgets-unit', { id: '1', started: t0 - 20 * 86_400, ranFor: 60, tests });
    await writeBuild(store, 'ci-widgets-unit', { id: '2', started: t0 - 16 * 86_400, ranFor: 60, tests });
    await writeBuild(store, 'ci-widgets-unit', { id: '3', started: t0, ranFor: 60, tests });
    const grids = new RedisGridStore(redis);
    try {
      expect(await update(grids)).toMatchObject({ listed: 3, read: 1, columns: 1 });
    } finally {
      await grids.close();
    }
  });

  it('passes each complete build to onColumns once: a running one when it completes, a recent one not again', async () => {
    const passed: string[][] = [];
    const onColumns = (g: TestGroup, columns: readonly Column[]): void => {
      expect(g.name).toBe(group.name);
      passed.push(columns.map((c) => `${c.build}:${String(c.cells.size)}`));
    };
    let at = now();
    const grids = new RedisGridStore(redis);
    const run = () => updateTestGroup(group, { stores: createStoreResolver({ buckets: { 'prow-artifacts': store } }), grids, now: () => at, onColumns });
    const atSeconds = () => Math.floor(at / 1000);
    try {
      await writeBuild(store, 'ci-widgets-unit', { id: '1', started: atSeconds() - 3600, ranFor: 300, tests });
      await writeBuild(store, 'ci-widgets-unit', { id: '2', started: atSeconds() - 1800, tests });
      await writeBuild(store, 'ci-widgets-unit', { id: '3', started: atSeconds() - 300, ranFor: 60, tests, failures: { TestSpin: 'spin_test.go:4: dizzy' } });
      expect(await run()).toMatchObject({ read: 3 });
      // Build 2 is running, so it waits; builds 3 and 1 are complete (3 is within the settle window, read again next time).
      expect(passed).toEqual([['3:4', '1:4']]);

      await writeBuild(store, 'ci-widgets-unit', { id: '2', started: atSeconds() - 1800, ranFor: 600, tests });
      await writeBuild(store, 'ci-widgets-unit', { id: '4', started: atSeconds() - 60, ranFor: 30, tests });
      at += 60_000;
      expect(await run()).toMatchObject({ read: 3, reread: 2 });
      expect(passed[1]).toEqual(['4:4', '2:4']);

      // Still within the settle window, builds 4 and 3 are read once more and passed to nobody.
      at += 5 * 60_000;
      expect(await run()).toMatchObject({ read: 2, reread: 2 });
      at += 3_600_000;
      expect(await run()).toMatchObject({ read: 0, reread: 0 });
      expect(passed).toHaveLength(2);
    } finally {
      await grids.close();
    }
  });

  it('updates every configured group, reports a failing one by name, and drops grids of groups no longer configured', async () => {
    await writeBuild(store, 'ci-widgets-unit', { id: '1', started: t0, ranFor: 60, tests });
    const grids = new RedisGridStore(redis);
    try {
      const stores = createStoreResolver({ buckets: { 'prow-artifacts': store } });
      await updateAllTestGroups([group, { ...group, name: 'old-job' }], { stores, grids, now });
      expect(await grids.groups()).toEqual(['ci-widgets-unit', 'old-job']);
      const { results, errors } = await updateAllTestGroups([group, { ...group, name: 'local', gcs_prefix: '/nowhere/logs/local' }], { stores, grids, now });
      expect(results.map((r) => r.group)).toEqual(['ci-widgets-unit']);
      expect(errors.get('local')?.message).toMatch(/registered/);
      expect(await grids.groups()).toEqual(['ci-widgets-unit']);
    } finally {
      await grids.close();
    }
  });
});
