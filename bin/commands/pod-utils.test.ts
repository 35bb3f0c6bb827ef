import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPages, openObjectStore, readText } from '../../lib/storage/index.ts';
import { decoratedWorkdir, decorationEnv } from '../../pod-utils/decoration-env.ts';
import type { Finished, Started } from '../../pod-utils/metadata.ts';
import { isolatedGitEnv, startGitWorld, type GitWorld } from '../../pod-utils/testing/git-world.ts';
import { presubmitJob } from '../../pod-utils/testing/presubmit.ts';
import { cleanEnv } from '../../test/helpers/run-prow.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Runs `prow <args>` as a runner would: its own working directory and the job's environment. */
function prow(args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, join(root, 'bin', 'prow.ts'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

let world: GitWorld;

beforeAll(async () => {
  world = await startGitWorld();
});

afterAll(async () => {
  await world.close();
});

const testScript = [
  'echo "testing PR $PULL_NUMBER of $REPO_OWNER/$REPO_NAME"',
  'cat feature.txt',
  'printf \'<testsuite name="widgets" tests="1"><testcase name="spins"/></testsuite>\' > "$ARTIFACTS/junit_1.xml"',
  'echo \'{"job-version":"v0.0.1"}\' > "$ARTIFACTS/metadata.json"',
].join('\n');

describe('prow clonerefs, initupload, entrypoint and sidecar', () => {
  it('run a presubmit end to end into Prow\'s storage layout', async () => {
    const pr = await world.openPull('e2e', { 'feature.txt': 'the feature under test\n' });
    const base = await world.head('main');
    const jobRoot = join(world.tmp, 'e2e');
    const job = await presubmitJob(jobRoot, pr, base, { script: testScript }, '1800000000000000042');
    const dirs = { logs: join(jobRoot, 'logs'), code: join(jobRoot, 'go'), artifacts: join(jobRoot, 'logs', 'artifacts') };
    const bucket = join(jobRoot, 'bucket');
    const env = { ...cleanEnv(), ...isolatedGitEnv(world.tmp), LOG_LEVEL: 'info' as const, ...decorationEnv(job, dirs, { bucket }) };
    await mkdir(dirs.logs, { recursive: true });

    const cloned = await prow(['clonerefs'], env);
    expect(cloned.code, cloned.stderr).toBe(0);
    const init = await prow(['initupload'], env);
    expect(init.code, init.stderr).toBe(0);
    // As in a Pod, the sidecar starts beside the test and waits for its marker.
    const sidecar = prow(['sidecar'], env);
    const test = await prow(['entrypoint'], env, decoratedWorkdir(job, dirs));
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toContain('the feature under test');
    const reported = await sidecar;
    expect(reported.code, reported.stderr).toBe(0);
    expect(JSON.parse(reported.stderr.split('\n')[0] ?? '{}')).toMatchObject({ name: 'sidecar' });

    const store = await openObjectStore(bucket);
    try {
      const keys = (await collectPages(store.listPages('pr-logs/'))).objects.map((o) => o.key).sort();
      const pull = `pr-logs/pull/acme_widgets/${pr.number}/pull-widgets-test`;
      const build = `${pull}/1800000000000000042`;
      expect(keys).toEqual([
        'pr-logs/directory/pull-widgets-test/1800000000000000042.txt',
        'pr-logs/directory/pull-widgets-test/latest-build.txt',
        `${build}/artifacts/junit_1.xml`,
        `${build}/artifacts/metadata.json`,
        `${build}/build-log.txt`,
        `${build}/clone-log.txt`,
        `${build}/clone-records.json`,
        `${build}/finished.json`,
        `${build}/sidecar-logs.json`,
        `${build}/started.json`,
        `${pull}/latest-build.txt`,
      ]);
      const finished = JSON.parse(await readText(store, `${build}/finished.json`)) as Finished;
      expect(finished).toMatchObject({ passed: true, result: 'SUCCESS', revision: pr.head.sha, metadata: { 'job-version': 'v0.0.1' } });
      const started = JSON.parse(await readText(store, `${build}/started.json`)) as Started;
      expect(started).toMatchObject({ pull: String(pr.number), repos: { 'acme/widgets': `main:${base},${pr.number}:${pr.head.sha}:refs/pull/${pr.number}/head` } });
      expect(await readText(store, `${build}/build-log.txt`)).toContain(`testing PR ${pr.number} of acme/widgets`);
      expect(await readText(store, `${build}/artifacts/junit_1.xml`)).toContain('<testcase name="spins"/>');
      expect((await store.stat(`${build}/artifacts/junit_1.xml`))?.contentType).toBe('application/xml');
      expect(await readText(store, `${pull}/latest-build.txt`)).toBe('1800000000000000042');
    } finally {
      await store.close();
    }
  }, 90_000); // four CLI processes, each starting tsx: slow on a busy machine

  it('say which variable is wrong, as a JSON log line, and exit 1', async () => {
    const result = await prow(['entrypoint'], { ...cleanEnv(), LOG_LEVEL: 'info' as const, ENTRYPOINT_OPTIONS: '{"args":' });

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ name: 'entrypoint', code: 'PROW_ERR_ENV_INVALID' });
  });
});
