import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPages, openObjectStore, readText, type ObjectStore } from '../lib/storage/index.ts';
import { runClonerefs } from './clonerefs.ts';
import { decorationEnv, jobSpecOf } from './decoration-env.ts';
import { runInitupload } from './initupload.ts';
import type { Finished, Started } from './metadata.ts';
import { readCloneRefsOptions, readInitUploadOptions } from './options.ts';
import { isolatedGitEnv, startGitWorld, type GitWorld } from './testing/git-world.ts';
import { presubmitJob } from './testing/presubmit.ts';

let world: GitWorld;

beforeAll(async () => {
  world = await startGitWorld();
});

afterAll(async () => {
  await world.close();
});

/** Clones and runs initupload for a presubmit of `pr` the way local mode will, into a directory bucket. */
async function cloneAndUpload(name: string, pr: Awaited<ReturnType<GitWorld['openPull']>>, baseSha: string, buildId: string) {
  const root = join(world.tmp, name);
  const job = await presubmitJob(root, pr, baseSha, { script: 'true' }, buildId);
  const env = decorationEnv(job, { logs: join(root, 'logs'), code: join(root, 'go'), artifacts: join(root, 'logs', 'artifacts') }, { bucket: join(root, 'bucket') });
  await runClonerefs(readCloneRefsOptions(env), { env: isolatedGitEnv(world.tmp), fetchRetries: [] });
  const result = await runInitupload(readInitUploadOptions(env), jobSpecOf(job), { now: () => new Date('2026-01-02T03:04:05Z') });
  const store = await openObjectStore(join(root, 'bucket'));
  return { job, result, store, root };
}

async function keys(store: ObjectStore): Promise<string[]> {
  return (await collectPages(store.listPages(''))).objects.map((o) => o.key).filter((k) => !k.startsWith('.prow-store/')).sort();
}

describe('runInitupload', () => {
  it('uploads started.json, the clone log and records, and the pointers to this build', async () => {
    const pr = await world.openPull('feature-a', { 'a.txt': 'a\n' });
    const base = await world.head('main');
    const { result, store, root } = await cloneAndUpload('ok', pr, base, '101');

    const dir = `pr-logs/pull/acme_widgets/${pr.number}/pull-widgets-test/101`;
    expect(result.exitCode).toBe(0);
    expect(await keys(store)).toEqual([
      'pr-logs/directory/pull-widgets-test/101.txt',
      'pr-logs/directory/pull-widgets-test/latest-build.txt',
      `${dir}/clone-log.txt`,
      `${dir}/clone-records.json`,
      `${dir}/started.json`,
      `pr-logs/pull/acme_widgets/${pr.number}/pull-widgets-test/latest-build.txt`,
    ]);
    const started = JSON.parse(await readText(store, `${dir}/started.json`)) as Started;
    const records = JSON.parse(await readText(store, `${dir}/clone-records.json`)) as { final_sha?: string }[];
    expect(started).toEqual({
      timestamp: Date.parse('2026-01-02T03:04:05Z') / 1000,
      pull: String(pr.number),
      repos: { 'acme/widgets': `main:${base},${pr.number}:${pr.head.sha}:refs/pull/${pr.number}/head` },
      'repo-version': records[1]?.final_sha,
      'repo-commit': records[1]?.final_sha,
    });
    expect(await readText(store, `${dir}/clone-log.txt`)).toContain('# Cloning acme/widgets at main');
    expect(await readText(store, 'pr-logs/directory/pull-widgets-test/latest-build.txt')).toBe('101');
    // The alias holds the build directory's full location, as a file:// URL for a directory bucket.
    expect(await readText(store, 'pr-logs/directory/pull-widgets-test/101.txt')).toBe(`${pathToFileURL(join(root, 'bucket')).href}/${dir}`);
    expect((await store.stat(`${dir}/clone-log.txt`))?.contentType).toMatch(/^text\/plain/);
    await store.close();
  });

  it('fails the job early when cloning failed: build-log.txt and a failed finished.json, and exit 1', async () => {
    const pr = await world.openPull('feature-b', { 'app.txt': 'from the PR\n' });
    const base = await world.push('main', { 'app.txt': 'from main\n' });
    const { result, store } = await cloneAndUpload('conflict', pr, base, '102');

    const dir = `pr-logs/pull/acme_widgets/${pr.number}/pull-widgets-test/102`;
    expect(result).toMatchObject({ cloneFailed: true, exitCode: 1 });
    const finished = JSON.parse(await readText(store, `${dir}/finished.json`)) as Finished;
    expect(finished).toEqual({ timestamp: Date.parse('2026-01-02T03:04:05Z') / 1000, passed: false, result: 'FAILURE' });
    expect(await readText(store, `${dir}/build-log.txt`)).toContain('CONFLICT');
    await store.close();
  });
});
