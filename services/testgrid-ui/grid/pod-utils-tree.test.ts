import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirStore, readText } from '../../../lib/storage/index.ts';
import { runClonerefs } from '../../../pod-utils/clonerefs.ts';
import { decorationEnv, jobSpecOf } from '../../../pod-utils/decoration-env.ts';
import { runInitupload } from '../../../pod-utils/initupload.ts';
import { writeMarker } from '../../../pod-utils/marker.ts';
import { readCloneRefsOptions, readInitUploadOptions, readSidecarOptions } from '../../../pod-utils/options.ts';
import { runSidecar } from '../../../pod-utils/sidecar.ts';
import { isolatedGitEnv, startGitWorld, type GitWorld } from '../../../pod-utils/testing/git-world.ts';
import { presubmitJob } from '../../../pod-utils/testing/presubmit.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { testGroupDefaults } from '../dashboards/config-types.ts';
import { junitFixture } from '../testing/fixtures.ts';
import { rowCells } from './grid.ts';
import { RedisGridStore } from './redis-grid-store.ts';
import { TestStatus } from './status.ts';
import { createStoreResolver } from './store-resolver.ts';
import { updateTestGroup } from './updater.ts';

const redis = uniqueRedis('testgrid-podutils');
let world: GitWorld;

beforeAll(async () => {
  world = await startGitWorld();
});
afterAll(async () => {
  await world.close();
  await dropPrefix(redis);
});

const startedAt = new Date('2026-01-02T03:04:05Z');

/** One presubmit build as local mode runs it: clonerefs, initupload, the test's JUnit, then (unless running) the sidecar. */
async function runBuild(bucket: string, pr: Awaited<ReturnType<GitWorld['openPull']>>, base: string, buildId: string, outcome: { code: number; junit?: string } | 'running') {
  const root = join(world.tmp, `build-${buildId}`);
  const job = await presubmitJob(root, pr, base, { script: 'true' }, buildId);
  const dirs = { logs: join(root, 'logs'), code: join(root, 'go'), artifacts: join(root, 'logs', 'artifacts') };
  const env = decorationEnv(job, dirs, { bucket });
  await runClonerefs(readCloneRefsOptions(env), { env: isolatedGitEnv(world.tmp), fetchRetries: [] });
  await runInitupload(readInitUploadOptions(env), jobSpecOf(job), { now: () => startedAt });
  if (outcome === 'running') return;
  await mkdir(dirs.artifacts, { recursive: true });
  if (outcome.junit !== undefined) await writeFile(join(dirs.artifacts, 'junit_unit.xml'), outcome.junit);
  await writeFile(join(dirs.logs, 'process-log.txt'), 'go test ./...\n');
  await writeMarker(join(dirs.logs, 'marker-file.txt'), outcome.code);
  await runSidecar(readSidecarOptions(env), jobSpecOf(job), { now: () => new Date(startedAt.getTime() + 120_000) });
}

describe('the updater over what our pod utilities upload', () => {
  it("follows the presubmit's pr-logs/directory symlinks and reads started.json, finished.json and the JUnit they wrote", async () => {
    const bucket = join(world.tmp, 'bucket');
    const pr = await world.openPull('feature-grid', { 'grid.txt': 'grid\n' });
    const base = await world.head('main');
    await runBuild(bucket, pr, base, '201', { code: 0, junit: junitFixture('pytest-xunit1-legacy.xml') });
    await runBuild(bucket, pr, base, '202', { code: 1, junit: junitFixture('gotestsum.xml') });
    await runBuild(bucket, pr, base, '203', 'running');

    const grids = new RedisGridStore(redis);
    try {
      const group = { ...testGroupDefaults, name: 'pull-widgets-test', gcs_prefix: `${bucket}/pr-logs/directory/pull-widgets-test` };
      const result = await updateTestGroup(group, {
        stores: createStoreResolver({ buckets: { [bucket]: new DirStore(bucket) } }),
        grids,
        now: () => startedAt.getTime() + 3_600_000,
      });
      expect(result).toMatchObject({ listed: 3, read: 3, columns: 3 });
      const grid = (await grids.read(group.name))?.grid;
      if (grid === undefined) throw new Error('no grid stored');
      expect(grid.columns.map((c) => [c.build, c.state, c.started])).toEqual([
        ['203', 'running', startedAt.getTime()],
        ['202', 'complete', startedAt.getTime()],
        ['201', 'complete', startedAt.getTime()],
      ]);
      expect(grid.columns[1]?.dir).toBe(`pr-logs/pull/acme_widgets/${pr.number}/pull-widgets-test/202`);
      // The Commit header is the merged commit clonerefs made, which initupload wrote as repo-version.
      const started = JSON.parse(await readText(new DirStore(bucket), `${grid.columns[1]?.dir ?? ''}/started.json`)) as { 'repo-version': string };
      expect(grid.columns[1]?.commit).toBe(started['repo-version'].slice(0, 9));
      expect(grid.columns[1]?.commit).toMatch(/^[0-9a-f]{9}$/);
      const overall = grid.rows[0];
      if (overall === undefined) throw new Error('no rows');
      expect(overall.name).toBe('Overall');
      expect(rowCells(grid, overall).map((c) => [c.status, c.ms])).toEqual([
        [TestStatus.RUNNING, undefined],
        [TestStatus.FAIL, 120_000],
        [TestStatus.PASS, 120_000],
      ]);
      const pop = grid.rows.find((r) => r.name === 'github.com/acme/widgets/pkg/queue.TestConcurrentPop');
      if (pop === undefined) throw new Error('no TestConcurrentPop row');
      expect(rowCells(grid, pop)[1]).toMatchObject({ status: TestStatus.FLAKY, icon: '1/2' });
      expect(grid.rows.some((r) => r.name === 'pytest.test_spin_rate')).toBe(true);
    } finally {
      await grids.close();
    }
  });
});
