import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestEmulator } from '../../emulator/github/testing/test-emulator.ts';
import { readEnv } from '../../lib/env.ts';
import { isProwError } from '../../lib/errors.ts';
import type { ProwJob } from '../../lib/jobs/index.ts';
import { prowJobSchemaErrors } from '../../test/helpers/prowjob-crd.ts';
import { runMkpj } from './mkpj.ts';

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let dir: string;
let token: string;
let pullNumber: number;
let headSha: string;
let mainSha: string;

const jobs = `presubmits:
  acme/widgets:
  - name: pull-widgets-unit
    decorate: true
    spec:
      containers:
      - image: golang:1.22
        command: [make, test]
postsubmits:
  acme/widgets:
  - name: post-widgets-publish
    spec:
      containers:
      - image: alpine
        command: [sh, -c, publish]
periodics:
- name: ci-widgets-nightly
  cron: "0 3 * * *"
  extra_refs:
  - org: acme
    repo: widgets
    base_ref: main
  spec:
    containers:
    - image: alpine
      command: [sh, -c, nightly]
`;

beforeAll(async () => {
  emu = await startTestEmulator();
  token = (await emu.control.createUser({ login: 'maintainer' })).token;
  await emu.control.createUser({ login: 'contributor' });
  await emu.control.createOrg({ login: 'acme', admins: ['maintainer'], members: ['contributor'] });
  const repo = await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
  mainSha = repo.sha;
  const pr = await emu.control.createPullRequest({ owner: 'acme', repo: 'widgets', author: 'contributor', head: 'faster', title: 'Make it faster', files: { 'fast.txt': 'yes\n' } });
  pullNumber = pr.number;
  headSha = pr.headSha;
  dir = await mkdtemp(join(tmpdir(), 'prow-mkpj-'));
  await writeFile(join(dir, 'config.yaml'), 'prowjob_namespace: prow-jobs\npod_namespace: test-pods\nplank:\n  default_decoration_config_entries:\n  - config:\n      utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}\n      gcs_configuration: {bucket: b, path_strategy: explicit}\n');
  await writeFile(join(dir, 'jobs.yaml'), jobs);
});

afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

async function mkpj(args: string[], env: Record<string, string> = {}): Promise<ProwJob> {
  let out = '';
  const code = await runMkpj([...args, '--config-path', join(dir, 'config.yaml'), '--job-config-path', dir], {
    print: (text) => (out += text),
    env: readEnv(env),
  });
  expect(code).toBe(0);
  return parse(out) as ProwJob;
}

describe('prow mkpj', () => {
  it('prints a presubmit for a pull request, reading its head, author and base from GitHub', async () => {
    const pj = await mkpj(['--job', 'pull-widgets-unit', '--pr', String(pullNumber)], { GITHUB_TOKEN: token, GITHUB_API_URL: emu.url });
    expect(prowJobSchemaErrors(pj)).toEqual([]);
    expect(pj.metadata.namespace).toBe('prow-jobs');
    expect(pj.spec).toMatchObject({ type: 'presubmit', job: 'pull-widgets-unit', namespace: 'test-pods', context: 'pull-widgets-unit', rerun_command: '/test pull-widgets-unit' });
    expect(pj.spec.refs).toMatchObject({ org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: mainSha, pulls: [{ number: pullNumber, author: 'contributor', sha: headSha, title: 'Make it faster' }] });
    expect(pj.spec.decoration_config?.gcs_configuration?.bucket).toBe('b');
    expect(pj.status.state).toBe('triggered');
  });

  it('prints a presubmit offline when the flags give everything', async () => {
    const pj = await mkpj(['--job', 'pull-widgets-unit', '--pr', '7', '--pull-sha', 'a'.repeat(40), '--pull-author', 'someone', '--base-ref', 'main', '--base-sha', 'b'.repeat(40)]);
    expect(pj.spec.refs).toMatchObject({ base_sha: 'b'.repeat(40), pulls: [{ number: 7, author: 'someone', sha: 'a'.repeat(40) }] });
    expect(pj.metadata.labels['prow.k8s.io/refs.pull']).toBe('7');
  });

  it('prints a postsubmit on the default branch as it is on GitHub, and a periodic with no refs', async () => {
    const post = await mkpj(['--job', 'post-widgets-publish'], { GITHUB_TOKEN: token, GITHUB_API_URL: emu.url });
    expect(post.spec).toMatchObject({ type: 'postsubmit', refs: { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: mainSha } });
    const periodic = await mkpj(['--job', 'ci-widgets-nightly']);
    expect(periodic.spec.type).toBe('periodic');
    expect(periodic.spec.refs).toBeUndefined();
    expect(periodic.spec.extra_refs).toEqual([{ org: 'acme', repo: 'widgets', base_ref: 'main' }]);
    for (const pj of [post, periodic]) expect(prowJobSchemaErrors(pj)).toEqual([]);
  });

  it('names what is missing: an unknown job, the pull request, or GitHub credentials', async () => {
    await expect(mkpj(['--job', 'no-such-job'])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_JOB_NOT_FOUND'));
    await expect(mkpj(['--job', 'pull-widgets-unit'])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE') && String(err).includes('--pr N'));
    await expect(mkpj(['--job', 'pull-widgets-unit', '--pr', '1'])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE') && String(err).includes('GITHUB_TOKEN'));
  });
});
