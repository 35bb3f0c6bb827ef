import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProwError } from '../lib/errors.ts';
import { newProwJob, type ProwJob, type PullRequestLike } from '../lib/jobs/index.ts';
import { decorationEnv, decoratedWorkdir, podDirs } from './decoration-env.ts';
import { readCloneRefsOptions, readEntrypointOptions, readInitUploadOptions, readJobSpec, readSidecarOptions } from './options.ts';
import { presubmitJob } from './testing/presubmit.ts';

const pr: PullRequestLike = {
  number: 7,
  title: 'Make widgets faster',
  html_url: 'https://github.com/acme/widgets/pull/7',
  user: { login: 'alice', html_url: 'https://github.com/alice' },
  head: { sha: 'b'.repeat(40), ref: 'faster' },
  base: { ref: 'main', repo: { name: 'widgets', html_url: 'https://github.com/acme/widgets', owner: { login: 'acme' } } },
};
const baseSha = 'a'.repeat(40);

let dir: string;
let job: ProwJob;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prow-decoration-env-'));
  job = await presubmitJob(dir, pr, baseSha, { script: 'make test' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decorationEnv', () => {
  it('gives a Pod Prow\'s downward API variables for a presubmit', () => {
    const env = decorationEnv(job, podDirs);

    expect(env).toMatchObject({
      CI: 'true',
      JOB_NAME: 'pull-widgets-test',
      JOB_TYPE: 'presubmit',
      BUILD_ID: '1700000000000000001',
      BUILD_NUMBER: '1700000000000000001',
      PROW_JOB_ID: job.metadata.name,
      REPO_OWNER: 'acme',
      REPO_NAME: 'widgets',
      SRC_HOST: 'github.com',
      SRC_BASE: 'acme/widgets',
      PULL_BASE_REF: 'main',
      PULL_BASE_SHA: baseSha,
      PULL_REFS: `main:${baseSha},7:${'b'.repeat(40)}:refs/pull/7/head`,
      PULL_NUMBER: '7',
      PULL_PULL_SHA: 'b'.repeat(40),
      PULL_HEAD_REF: 'faster',
      PULL_TITLE: 'Make widgets faster',
      ARTIFACTS: '/logs/artifacts',
      GOPATH: '/home/prow/go',
    });
    const spec = readJobSpec(env);
    expect(spec).toMatchObject({ type: 'presubmit', job: 'pull-widgets-test', buildid: '1700000000000000001', prowjobid: job.metadata.name });
    expect(spec.refs).toEqual(job.spec.refs);
    expect(Object.keys(JSON.parse(env.JOB_SPEC ?? '{}') as object)).toEqual(['type', 'job', 'buildid', 'prowjobid', 'refs', 'decoration_config']);
  });

  it('configures each utility with Prow\'s paths under the Pod\'s mounts', () => {
    const env = decorationEnv(job, podDirs);

    expect(readCloneRefsOptions(env)).toMatchObject({ src_root: '/home/prow/go', log: '/logs/clone.json', git_user_name: 'ci-robot', refs: [job.spec.refs] });
    expect(readInitUploadOptions(env)).toMatchObject({ bucket: 'prow-artifacts', path_strategy: 'explicit', log: '/logs/clone.json', dry_run: false });
    expect(readEntrypointOptions(env)).toEqual({
      timeout: 600_000_000_000,
      grace_period: 5_000_000_000,
      artifact_dir: '/logs/artifacts',
      args: ['sh', '-c', 'make test'],
      container_name: 'test',
      process_log: '/logs/process-log.txt',
      marker_file: '/logs/marker-file.txt',
      metadata_file: '/logs/artifacts/metadata.json',
    });
    const sidecar = readSidecarOptions(env);
    expect(sidecar.gcs_options.items).toEqual(['/logs/artifacts']);
    expect(sidecar.entries.map((e) => e.marker_file)).toEqual(['/logs/marker-file.txt']);
    expect(decoratedWorkdir(job, podDirs)).toBe('/home/prow/go/src/github.com/acme/widgets');
  });

  it('puts everything under a local temp dir and a directory bucket for local mode', () => {
    const local = { logs: join(dir, 'logs'), code: join(dir, 'go'), artifacts: join(dir, 'logs', 'artifacts') };
    const env = decorationEnv(job, local, { bucket: join(dir, 'storage'), githubBaseUrl: 'http://127.0.0.1:9999' });

    expect(env.ARTIFACTS).toBe(local.artifacts);
    expect(readInitUploadOptions(env).bucket).toBe(join(dir, 'storage'));
    expect(readCloneRefsOptions(env)).toMatchObject({ src_root: local.code, github_base_url: 'http://127.0.0.1:9999' });
    expect(readEntrypointOptions(env).marker_file).toBe(join(dir, 'logs', 'marker-file.txt'));
  });

  it('names each container\'s files after it when the pod has several, and waits for all of them', async () => {
    const two = await presubmitJob(dir, pr, baseSha, {
      name: 'pull-widgets-two',
      script: '',
      spec: { containers: [{ name: 'unit', image: 'alpine', command: ['make', 'unit'] }, { name: 'lint', image: 'alpine', command: ['make', 'lint'] }] },
    });

    const env = decorationEnv(two, podDirs, { container: 'lint' });

    expect(readEntrypointOptions(env)).toMatchObject({ args: ['make', 'lint'], process_log: '/logs/lint-log.txt', marker_file: '/logs/lint-marker.txt' });
    expect(readSidecarOptions(env).entries.map((e) => e.marker_file)).toEqual(['/logs/unit-marker.txt', '/logs/lint-marker.txt']);
  });

  it('gives a periodic no repo variables and nothing to clone', () => {
    const periodic = newProwJob({
      type: 'periodic',
      agent: 'kubernetes',
      job: 'ci-nightly',
      decoration_config: { gcs_configuration: { bucket: 'prow-artifacts', path_strategy: 'explicit' } },
      pod_spec: { containers: [{ name: 'test', command: ['true'] }] },
    });
    const env = decorationEnv({ ...periodic, status: { ...periodic.status, build_id: '42' } }, podDirs);

    expect(env.REPO_OWNER).toBeUndefined();
    expect(env.PULL_REFS).toBeUndefined();
    expect(env.CLONEREFS_OPTIONS).toBeUndefined();
    expect(readInitUploadOptions(env).log).toBeUndefined();
  });

  it('refuses a job without a build ID', () => {
    const unstarted: ProwJob = { ...job, status: { startTime: job.status.startTime, state: 'triggered' } };
    let code: string | undefined;
    try {
      decorationEnv(unstarted, podDirs);
    } catch (err) {
      code = isProwError(err) ? err.code : String(err);
    }
    expect(code).toBe('PROW_ERR_JOB_SPEC_INVALID');
  });
});

describe('the options parsers', () => {
  it('name the variable and the field that is wrong', () => {
    const codes: string[] = [];
    for (const env of [{}, { ENTRYPOINT_OPTIONS: '{not json' }, { ENTRYPOINT_OPTIONS: '{"args":[],"process_log":"/l","marker_file":"/m"}' }]) {
      try {
        readEntrypointOptions(env);
      } catch (err) {
        codes.push(isProwError(err) ? `${err.code} ${err.message.includes('ENTRYPOINT_OPTIONS') ? 'named' : 'unnamed'}` : String(err));
      }
    }
    expect(codes).toEqual(Array(3).fill('PROW_ERR_ENV_INVALID named'));
  });

  it('take timeouts as Go durations as well as nanoseconds', () => {
    const opts = readEntrypointOptions({ ENTRYPOINT_OPTIONS: JSON.stringify({ args: ['true'], process_log: '/l', marker_file: '/m', timeout: '2h0m0s', grace_period: 15e9 }) });
    expect(opts.timeout).toBe('2h0m0s');
    expect(() => readEntrypointOptions({ ENTRYPOINT_OPTIONS: JSON.stringify({ args: ['true'], process_log: '/l', marker_file: '/m', timeout: 'soon' }) })).toThrow(/timeout/);
  });
});
