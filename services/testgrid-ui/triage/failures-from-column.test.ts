import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirStore } from '../../../lib/storage/index.ts';
import { readBuild } from '../build/read-build.ts';
import { writeBuild } from '../testing/write-builds.ts';
import { FailureClustering } from './cluster.ts';
import { failuresFromColumn } from './failures-from-column.ts';

const group = { name: 'ci-widgets-e2e', gcs_prefix: 'gs://prow-artifacts/logs/ci-widgets-e2e' };
const t0 = 1_767_323_045;
let root: string;
let store: DirStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'triage-column-'));
  store = new DirStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const longText = `timed out waiting for the condition${'\n  at k8s.io/kubernetes/test/e2e/framework.(*Framework).Wait(...)'.repeat(150)}`;

describe('failuresFromColumn', () => {
  it('makes one failure per failing test with its whole message, the build page as its url, and leaves out passes and the synthetic rows', async () => {
    const dir = await writeBuild(store, group.name, {
      id: '1201',
      started: t0,
      ranFor: 600,
      tests: ['TestSpin', 'TestStop', 'TestGears'],
      failures: { TestStop: longText, TestGears: 'gears_test.go:3: no teeth' },
    });
    const column = await readBuild(store, dir);
    const failures = failuresFromColumn(group, column);
    expect(failures.map((f) => f.test).sort()).toEqual(['github.com/acme/widgets/pkg.TestGears', 'github.com/acme/widgets/pkg.TestStop']);
    const stop = failures.find((f) => f.test.endsWith('TestStop'));
    expect(stop).toEqual({
      job: 'ci-widgets-e2e',
      build: '1201',
      test: 'github.com/acme/widgets/pkg.TestStop',
      text: `Failed\n${longText}`,
      started: t0 * 1000,
      url: '/view/gs/prow-artifacts/logs/ci-widgets-e2e/1201',
    });
    expect(stop?.text.length).toBeGreaterThan(140);
  });

  it('counts a flaky test’s failed attempt with the failure’s own text, not the tally', async () => {
    const dir = 'logs/ci-widgets-e2e/1202';
    await store.put(`${dir}/started.json`, JSON.stringify({ timestamp: t0 }));
    await store.put(`${dir}/finished.json`, JSON.stringify({ timestamp: t0 + 60, passed: true, result: 'SUCCESS' }));
    await store.put(
      `${dir}/artifacts/junit_01.xml`,
      `<testsuite name="e2e"><testcase name="[sig-network] DNS resolves" classname="e2e"><failure message="lookup failed">dns.go:88: no such host</failure></testcase>` +
        `<testcase name="[sig-network] DNS resolves" classname="e2e"/><testcase name="Passes" classname="e2e"/></testsuite>`,
    );
    const column = await readBuild(store, dir);
    expect(column.cells.get('e2e.[sig-network] DNS resolves')?.message).toMatch(/^1\/2 runs passed: /);
    expect(failuresFromColumn(group, column).map((f) => [f.test, f.text])).toEqual([['e2e.[sig-network] DNS resolves', 'lookup failed\ndns.go:88: no such host']]);
  });

  it('makes one Overall failure for a build that failed outside its tests, with the Pod row’s reason', async () => {
    const dir = 'logs/ci-widgets-e2e/1203';
    await store.put(`${dir}/started.json`, JSON.stringify({ timestamp: t0 }));
    await store.put(`${dir}/finished.json`, JSON.stringify({ timestamp: t0 + 60, passed: false, result: 'FAILURE' }));
    await store.put(`${dir}/podinfo.json`, JSON.stringify({ pod: { spec: { containers: [{ name: 'test' }] }, status: { conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes are available' }] } } }));
    const column = await readBuild(store, dir);
    expect(failuresFromColumn(group, column)).toEqual([
      { job: 'ci-widgets-e2e', build: '1203', test: 'Overall', text: 'Build failed outside of test results\npod did not schedule: 0/3 nodes are available', started: t0 * 1000, url: '/view/gs/prow-artifacts/logs/ci-widgets-e2e/1203' },
    ]);
  });

  it('makes nothing of a build that passed', async () => {
    const dir = await writeBuild(store, group.name, { id: '1204', started: t0, ranFor: 60, tests: ['TestSpin'] });
    expect(failuresFromColumn(group, await readBuild(store, dir))).toEqual([]);
  });

  it('is clustered once however often its build is added', async () => {
    const dir = await writeBuild(store, group.name, { id: '1205', started: t0, ranFor: 60, tests: ['TestSpin', 'TestStop'], failures: { TestSpin: 'a', TestStop: 'b' } });
    const failures = failuresFromColumn(group, await readBuild(store, dir));
    const clustering = FailureClustering.build([]);
    expect(clustering.add(failures)).toMatchObject({ added: 2, duplicates: 0 });
    expect(clustering.add(failures)).toMatchObject({ added: 0, duplicates: 2 });
    expect(clustering.size).toBe(2);
  });
});
