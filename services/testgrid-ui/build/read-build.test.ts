import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirStore } from '../../../lib/storage/index.ts';
import { TestStatus } from '../grid/status.ts';
import { junitFixture } from '../testing/fixtures.ts';
import { readBuild } from './read-build.ts';

let root: string;
let store: DirStore;
const dir = 'logs/ci-widgets-unit/1790000000000000042';
const t0 = 1_767_323_045; // 2026-01-02T03:04:05Z

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'testgrid-build-'));
  store = new DirStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const put = (name: string, body: string | object) => store.put(`${dir}/${name}`, typeof body === 'string' ? body : JSON.stringify(body));

describe('readBuild', () => {
  it("reads Prow's started.json, finished.json and every JUnit variant under artifacts/ into one column", async () => {
    await put('started.json', { timestamp: t0, node: 'gke-node-1', pull: '', repos: { 'acme/widgets': 'main:abc1234' }, 'repo-version': 'v1.4.0+abc1234def56', metadata: { uploader: 'crier' } });
    await put('finished.json', { timestamp: t0 + 754, passed: false, result: 'FAILURE', revision: 'abc1234def5678', metadata: { 'infra-commit': '1b7fbb373', repo: 'acme/widgets' } });
    await put('build-log.txt', 'go test ./...\n');
    await put('artifacts/junit_unit.xml', junitFixture('go-junit-report.xml'));
    await put('artifacts/junit_queue_20260102-0304_02.xml', junitFixture('gotestsum.xml'));
    await put('artifacts/java/TEST-com.acme.widgets.SpinnerTest.xml', junitFixture('TEST-com.acme.widgets.SpinnerTest.xml'));
    await put('artifacts/bazel/widgets/spin/test.xml', junitFixture('test.xml'));
    await put('artifacts/report.xml', '<testsuite><testcase name="not junit by name"/></testsuite>');

    const col = await readBuild(store, dir, { now: (t0 + 900) * 1000 });

    expect(col).toMatchObject({ build: '1790000000000000042', started: t0 * 1000, finished: (t0 + 754) * 1000, passed: false, result: 'FAILURE', state: 'complete', commit: 'abc1234de' });
    expect(col.metadata).toEqual({ uploader: 'crier', 'infra-commit': '1b7fbb373', repo: 'acme/widgets' });
    expect(col.junitFiles).toEqual([
      'artifacts/bazel/widgets/spin/test.xml',
      'artifacts/java/TEST-com.acme.widgets.SpinnerTest.xml',
      'artifacts/junit_queue_20260102-0304_02.xml',
      'artifacts/junit_unit.xml',
    ]);
    expect(col.cells.has('integration.boots')).toBe(false);
    expect(col.cells.get('Overall')).toEqual({ status: TestStatus.FAIL, seconds: 754 });
    expect(col.cells.get('github.com/acme/widgets/pkg/spin.TestSpinFast')).toMatchObject({ status: TestStatus.FAIL, icon: 'F', file: 'artifacts/junit_unit.xml' });
    expect(col.cells.get('github.com/acme/widgets/pkg/queue.TestConcurrentPop')).toMatchObject({
      status: TestStatus.FLAKY,
      icon: '1/2',
      seconds: 0.54,
      message: expect.stringMatching(/^1\/2 runs passed: Failed\n=== RUN {3}TestConcurrentPop/) as unknown,
    });
    expect(col.cells.get('github.com/acme/widgets/pkg/queue.TestDrain')).toMatchObject({ status: TestStatus.PASS });
    expect(col.cells.get('github.com/acme/widgets/pkg/queue.TestDrain')?.seconds).toBeCloseTo(0.0105);
    expect(col.cells.get('com.acme.widgets.SpinnerTest.survivesRestart')?.status).toBe(TestStatus.FLAKY);
    expect(col.cells.get('//widgets/spin:spin_test.//widgets/spin:spin_test')?.status).toBe(TestStatus.PASS);
  });

  it('says a failed build with only passing tests failed outside of test results', async () => {
    await put('started.json', { timestamp: t0 });
    await put('finished.json', { timestamp: t0 + 60, passed: false, result: 'FAILURE' });
    await put('artifacts/junit_nested.xml', junitFixture('junit_nested.xml'));
    const col = await readBuild(store, dir, { now: (t0 + 100) * 1000 });
    expect(col.cells.get('Overall')).toEqual({ status: TestStatus.FAIL, seconds: 60, icon: 'F', message: 'Build failed outside of test results' });
    expect(col.commit).toBe('missing');
  });

  it('reads the rest of a build when one JUnit file is malformed, and fails Overall naming the file', async () => {
    await put('started.json', { timestamp: t0 });
    await put('finished.json', { timestamp: t0 + 60, passed: true, result: 'SUCCESS' });
    await put('artifacts/junit_broken.xml', junitFixture('junit_broken.xml'));
    await put('artifacts/junit_jest.xml', junitFixture('jest-junit.xml'));
    const col = await readBuild(store, dir, { now: (t0 + 100) * 1000 });
    expect(col.malformed).toHaveLength(1);
    expect(col.malformed[0]).toMatch(/^artifacts\/junit_broken\.xml: line \d+/);
    expect(col.cells.get('Overall')).toMatchObject({ status: TestStatus.FAIL, icon: 'E', message: expect.stringMatching(/^Malformed artifacts: artifacts\/junit_broken\.xml/) as unknown });
    expect(col.cells.get('Widget rendering.Widget rendering renders an icon')?.status).toBe(TestStatus.FAIL);
    expect(col.junitFiles).toEqual(['artifacts/junit_jest.xml']);
  });

  it('is RUNNING without finished.json, a timeout after 24 hours, and pending without started.json', async () => {
    await put('started.json', { timestamp: t0 });
    let col = await readBuild(store, dir, { now: (t0 + 3600) * 1000 });
    expect(col.state).toBe('running');
    expect(col.cells.get('Overall')).toMatchObject({ status: TestStatus.RUNNING, icon: 'R' });
    col = await readBuild(store, dir, { now: (t0 + 25 * 3600) * 1000 });
    expect(col.state).toBe('complete');
    expect(col.cells.get('Overall')).toEqual({ status: TestStatus.FAIL, icon: 'T', message: 'Build did not complete within 24 hours' });
    await store.delete(`${dir}/started.json`);
    await put('clone-log.txt', 'cloning\n');
    col = await readBuild(store, dir);
    expect(col.state).toBe('pending');
  });

  it("takes a legacy finished.json's result when passed is missing, and flags it", async () => {
    await put('started.json', { timestamp: t0, 'job-version': 'v1.30.0-alpha.1+0f1e2d3c4b5a' });
    await put('finished.json', { timestamp: t0 + 5, result: 'SUCCESS', 'job-version': 'v1.30.0-alpha.1+0f1e2d3c4b5a' });
    const col = await readBuild(store, dir, { now: (t0 + 10) * 1000 });
    expect(col.cells.get('Overall')).toEqual({ status: TestStatus.PASS, seconds: 5, icon: 'E', message: 'finished.json missing "passed"' });
    expect(col.commit).toBe('0f1e2d3c4');
  });

  it('adds the Pod row from podinfo.json', async () => {
    await put('started.json', { timestamp: t0 });
    await put('finished.json', { timestamp: t0 + 5, passed: true });
    await put('podinfo.json', {
      pod: {
        spec: { containers: [{ name: 'test' }, { name: 'sidecar' }] },
        status: { conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: [{ name: 'sidecar', state: { terminated: { exitCode: 0 } } }] },
      },
      events: [],
    });
    expect((await readBuild(store, dir)).cells.get('Pod')).toEqual({ status: TestStatus.PASS });
    await put('podinfo.json', { pod: { spec: { containers: [{ name: 'test' }] }, status: { conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes are available' }] } } });
    expect((await readBuild(store, dir)).cells.get('Pod')).toMatchObject({ status: TestStatus.FAIL, message: 'pod did not schedule: 0/3 nodes are available' });
    await put('podinfo.json', { pod: { spec: { containers: [{ name: 'test' }] }, status: {} } });
    expect((await readBuild(store, dir)).cells.get('Pod')).toMatchObject({ status: TestStatus.PASS_WITH_ERRORS, icon: 'E' });
  });
});
