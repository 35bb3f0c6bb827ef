import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProwJob, PullRequestLike } from '../lib/jobs/index.ts';
import { collectPages, openObjectStore, readText, type ObjectStore } from '../lib/storage/index.ts';
import { decorationEnv, jobSpecOf } from './decoration-env.ts';
import { writeMarker } from './marker.ts';
import type { Finished } from './metadata.ts';
import { readSidecarOptions, type SidecarOptions } from './options.ts';
import { runSidecar } from './sidecar.ts';
import { presubmitJob } from './testing/presubmit.ts';

const pr: PullRequestLike = {
  number: 7,
  title: 'Make widgets faster',
  html_url: 'https://github.com/acme/widgets/pull/7',
  user: { login: 'alice', html_url: 'https://github.com/alice' },
  head: { sha: 'b'.repeat(40), ref: 'faster' },
  base: { ref: 'main', repo: { name: 'widgets', html_url: 'https://github.com/acme/widgets', owner: { login: 'acme' } } },
};
const buildDir = 'pr-logs/pull/acme_widgets/7/pull-widgets-test/1700000000000000001';

let root: string;
let store: ObjectStore | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'prow-sidecar-'));
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(root, { recursive: true, force: true });
});

const dirs = () => ({ logs: join(root, 'logs'), code: join(root, 'go'), artifacts: join(root, 'logs', 'artifacts') });

/** The sidecar's options and job spec for a decorated presubmit, as decorationEnv gives them in local mode. */
async function setup(job?: ProwJob, extra: Partial<SidecarOptions> = {}, secretDirectories?: string[]) {
  const pj = job ?? (await presubmitJob(root, pr, 'a'.repeat(40), { script: 'true' }));
  const env = decorationEnv(pj, dirs(), { bucket: join(root, 'bucket'), ...(secretDirectories === undefined ? {} : { secretDirectories }) });
  await mkdir(dirs().artifacts, { recursive: true });
  return { options: { ...readSidecarOptions(env), ...extra }, spec: jobSpecOf(pj) };
}

async function open(): Promise<ObjectStore> {
  store ??= await openObjectStore(join(root, 'bucket'));
  return store;
}

async function finished(): Promise<Finished> {
  return JSON.parse(await readText(await open(), `${buildDir}/finished.json`)) as Finished;
}

describe('runSidecar', () => {
  it('uploads the build log, finished.json and every artifact once the test passed', async () => {
    const { options, spec } = await setup();
    const { logs, artifacts } = dirs();
    await writeFile(join(logs, 'process-log.txt'), 'ok 1 - widgets spin\n');
    await writeFile(join(artifacts, 'junit_1.xml'), '<testsuite tests="1"/>');
    await mkdir(join(artifacts, 'nested'), { recursive: true });
    await writeFile(join(artifacts, 'nested', 'notes #1.txt'), 'deep\n');
    await writeFile(join(artifacts, 'metadata.json'), JSON.stringify({ 'job-version': 'v1.2.3', flavour: 'vanilla' }));
    await writeMarker(join(logs, 'marker-file.txt'), 0);

    const result = await runSidecar(options, spec, { now: () => new Date('2026-01-02T03:04:05Z'), ownLog: () => '{"msg":"sidecar"}\n' });

    expect(result).toMatchObject({ passed: true, aborted: false, failures: 0, exitCode: 0 });
    const s = await open();
    const keys = (await collectPages(s.listPages(`${buildDir}/`))).objects.map((o) => o.key.slice(buildDir.length + 1)).sort();
    expect(keys).toEqual(['artifacts/junit_1.xml', 'artifacts/metadata.json', 'artifacts/nested/notes %231.txt', 'build-log.txt', 'finished.json', 'sidecar-logs.json']);
    // finished.json goes up last (before only the latest-build pointers), so whoever sees it finds the artifacts.
    expect(result.uploaded.filter((k) => k.startsWith(`${buildDir}/`)).at(-1)).toBe(`${buildDir}/finished.json`);
    expect(await readText(s, `${buildDir}/build-log.txt`)).toBe('ok 1 - widgets spin\n');
    expect(await finished()).toEqual({
      timestamp: Date.parse('2026-01-02T03:04:05Z') / 1000,
      passed: true,
      result: 'SUCCESS',
      metadata: { 'job-version': 'v1.2.3', flavour: 'vanilla' },
      revision: 'b'.repeat(40),
    });
    expect((await s.stat(`${buildDir}/artifacts/junit_1.xml`))?.contentType).toBe('application/xml');
    expect((await s.stat(`${buildDir}/build-log.txt`))?.contentType).toMatch(/^text\/plain/);
    expect(await readText(s, 'pr-logs/directory/pull-widgets-test/latest-build.txt')).toBe('1700000000000000001');
  });

  it('reports a failing test as FAILURE and an aborted one as ABORTED, and exits 1', async () => {
    const { options, spec } = await setup();
    await writeMarker(join(dirs().logs, 'marker-file.txt'), 2);
    expect(await runSidecar(options, spec)).toMatchObject({ passed: false, failures: 1, exitCode: 1 });
    expect(await finished()).toMatchObject({ passed: false, result: 'FAILURE' });

    await writeMarker(join(dirs().logs, 'marker-file.txt'), 130);
    expect(await runSidecar(options, spec)).toMatchObject({ passed: false, aborted: true, exitCode: 1 });
    expect(await finished()).toMatchObject({ passed: false, result: 'ABORTED' });
  });

  it('names build logs after their containers when there are several', async () => {
    const job = await presubmitJob(root, pr, 'a'.repeat(40), {
      script: '',
      spec: { containers: [{ name: 'unit', image: 'alpine', command: ['true'] }, { name: 'lint', image: 'alpine', command: ['true'] }] },
    });
    const { options, spec } = await setup(job);
    for (const name of ['unit', 'lint']) {
      await writeFile(join(dirs().logs, `${name}-log.txt`), `${name} output\n`);
      await writeMarker(join(dirs().logs, `${name}-marker.txt`), 0);
    }

    await runSidecar(options, spec);

    expect(await readText(await open(), `${buildDir}/unit-build-log.txt`)).toBe('unit output\n');
    expect(await readText(await open(), `${buildDir}/lint-build-log.txt`)).toBe('lint output\n');
  });

  it('censors secret values and their base64 from the uploaded logs and artifacts', async () => {
    const secrets = join(root, 'secrets');
    await mkdir(secrets);
    const secret = 'sup3r-s3cret-t0ken';
    await writeFile(join(secrets, 'token'), `${secret}\n`);
    const { options, spec } = await setup(undefined, {}, [secrets]);
    const b64 = Buffer.from(secret).toString('base64');
    await writeFile(join(dirs().logs, 'process-log.txt'), `using ${secret}\nencoded ${b64}\n`);
    await writeFile(join(dirs().artifacts, 'debug.txt'), `dumped ${secret}\n`);
    await writeMarker(join(dirs().logs, 'marker-file.txt'), 0);

    await runSidecar(options, spec);

    const log = await readText(await open(), `${buildDir}/build-log.txt`);
    expect(log).toBe(`using ${'*'.repeat(secret.length)}\nencoded ${'*'.repeat(b64.length)}\n`);
    expect(await readText(await open(), `${buildDir}/artifacts/debug.txt`)).not.toContain(secret);
  });

  it('stops waiting at wait_timeout when no marker comes, and reports the job failed', async () => {
    const { options, spec } = await setup(undefined, { wait_timeout: '200ms' });

    const result = await runSidecar(options, spec);

    expect(result).toMatchObject({ passed: false, exitCode: 1 });
    expect(await finished()).toMatchObject({ passed: false, result: 'FAILURE' });
    expect(await readText(await open(), `${buildDir}/build-log.txt`)).toContain('Failed to open');
  });

  it('uploads what there is when interrupted, then the real result once the test ends', async () => {
    const { options, spec } = await setup();
    const interrupt = new AbortController();
    const running = runSidecar(options, spec, { interrupt: interrupt.signal, pollMs: 20 });
    interrupt.abort('SIGTERM');
    const s = await open();
    while (!(await s.exists(`${buildDir}/finished.json`))) await sleep(20);
    expect(await finished()).toMatchObject({ passed: false, result: 'ABORTED' });

    await writeMarker(join(dirs().logs, 'marker-file.txt'), 0);

    expect(await running).toMatchObject({ passed: true, exitCode: 0 });
    expect(await finished()).toMatchObject({ passed: true, result: 'SUCCESS' });
  });
});
