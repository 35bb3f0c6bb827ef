import { beforeAll, describe, expect, it } from 'vitest';
import { kubernetesJobs, loadKubernetesConfig } from '../../test/helpers/kubernetes-prowjobs.ts';
import { isProwError } from '../errors.ts';
import { newProwJob } from '../jobs/new-prowjob.ts';
import type { ProwJob, ProwJobType, Refs } from '../jobs/prowjob.ts';
import { aliasPath, jobHistoryRoot, jobStoragePath, jobStorageUrl, latestBuildPaths, repoPathSegment, storageBucket, type StorageConfig } from './layout.ts';

const k8s: StorageConfig = { bucket: 'kubernetes-ci-logs', path_strategy: 'legacy', default_org: 'kubernetes', default_repo: 'kubernetes' };

function prowJob(type: ProwJobType, over: { refs?: Refs; gcs?: StorageConfig | undefined; job?: string; buildId?: string | undefined } = {}): ProwJob {
  const refs = over.refs ?? { org: 'kubernetes', repo: 'kubernetes', base_ref: 'master', pulls: [{ number: 123, author: 'ada', sha: 'f'.repeat(40) }] };
  const gcs = 'gcs' in over ? over.gcs : k8s;
  const pj = newProwJob({
    type,
    agent: 'kubernetes',
    job: over.job ?? 'pull-kubernetes-unit',
    ...(type === 'periodic' ? {} : { refs }),
    ...(gcs === undefined ? {} : { decoration_config: { gcs_configuration: gcs } }),
  });
  return 'buildId' in over && over.buildId === undefined ? pj : { ...pj, status: { ...pj.status, build_id: over.buildId ?? '1700000000000000001' } };
}

const pulls = [{ number: 123, author: 'ada', sha: 'f'.repeat(40) }];

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isProwError(err) ? err.code : String(err);
  }
  return undefined;
}

describe('repoPathSegment', () => {
  const legacy = { path_strategy: 'legacy', default_org: 'kubernetes', default_repo: 'kubernetes' } as const;

  it('legacy: nothing for the default org and repo, the repo alone in the default org, org_repo elsewhere', () => {
    expect(repoPathSegment(legacy, 'kubernetes', 'kubernetes')).toBe('');
    expect(repoPathSegment(legacy, 'kubernetes', 'test-infra')).toBe('test-infra');
    expect(repoPathSegment(legacy, 'kubernetes-sigs', 'kind')).toBe('kubernetes-sigs_kind');
  });

  it('single: nothing for the default org and repo only, org_repo for every other repo, in the default org too', () => {
    const single = { ...legacy, path_strategy: 'single' } as const;
    expect(repoPathSegment(single, 'kubernetes', 'kubernetes')).toBe('');
    expect(repoPathSegment(single, 'kubernetes', 'test-infra')).toBe('kubernetes_test-infra');
    expect(repoPathSegment(single, 'acme', 'kubernetes')).toBe('acme_kubernetes');
  });

  it('explicit: always org_repo', () => {
    expect(repoPathSegment({ ...legacy, path_strategy: 'explicit' }, 'kubernetes', 'kubernetes')).toBe('kubernetes_kubernetes');
  });

  it('turns a Gerrit repo path into one segment and drops an https:// org', () => {
    expect(repoPathSegment({ path_strategy: 'explicit' }, 'https://gerrit.example.com', 'platform/build')).toBe('gerrit.example.com_platform_build');
  });
});

describe('jobStoragePath', () => {
  it('puts a kubernetes/kubernetes presubmit straight under pr-logs/pull/<pr> (legacy, default org and repo)', () => {
    expect(jobStoragePath(prowJob('presubmit'))).toEqual({
      bucket: 'kubernetes-ci-logs',
      provider: 'gs',
      bucketPath: 'kubernetes-ci-logs',
      dir: 'pr-logs/pull/123/pull-kubernetes-unit/1700000000000000001',
    });
  });

  it('names the repo, or org_repo, of other presubmits', () => {
    const testInfra = prowJob('presubmit', { refs: { org: 'kubernetes', repo: 'test-infra', pulls }, job: 'pull-test-infra-unit' });
    expect(jobStoragePath(testInfra).dir).toBe('pr-logs/pull/test-infra/123/pull-test-infra-unit/1700000000000000001');
    const kind = prowJob('presubmit', { refs: { org: 'kubernetes-sigs', repo: 'kind', pulls }, job: 'pull-kind-e2e' });
    expect(jobStoragePath(kind).dir).toBe('pr-logs/pull/kubernetes-sigs_kind/123/pull-kind-e2e/1700000000000000001');
  });

  it('puts batches under pr-logs/pull/batch, postsubmits and periodics under logs', () => {
    expect(jobStoragePath(prowJob('batch', { job: 'pull-kubernetes-unit' })).dir).toBe('pr-logs/pull/batch/pull-kubernetes-unit/1700000000000000001');
    expect(jobStoragePath(prowJob('postsubmit', { job: 'post-kubernetes-push' })).dir).toBe('logs/post-kubernetes-push/1700000000000000001');
    expect(jobStoragePath(prowJob('periodic', { job: 'ci-kubernetes-e2e' })).dir).toBe('logs/ci-kubernetes-e2e/1700000000000000001');
  });

  it('puts path_prefix first and reads the provider from the bucket’s scheme', () => {
    const pj = prowJob('postsubmit', { job: 'post-x', gcs: { bucket: 's3://prow-logs', path_prefix: 'tenant-a/', path_strategy: 'explicit' } });
    expect(jobStoragePath(pj)).toEqual({ bucket: 's3://prow-logs', provider: 's3', bucketPath: 'prow-logs', dir: 'tenant-a/logs/post-x/1700000000000000001' });
  });

  it('refuses a job it cannot place: no bucket, no build ID yet, a presubmit without pulls or path_strategy', () => {
    expect(errorCode(() => jobStoragePath(prowJob('periodic', { gcs: undefined })))).toBe('PROW_ERR_JOB_SPEC_INVALID');
    expect(errorCode(() => jobStoragePath(prowJob('periodic', { buildId: undefined })))).toBe('PROW_ERR_JOB_SPEC_INVALID');
    expect(errorCode(() => jobStoragePath(prowJob('presubmit', { refs: { org: 'a', repo: 'b' } })))).toBe('PROW_ERR_JOB_SPEC_INVALID');
    expect(errorCode(() => jobStoragePath(prowJob('presubmit', { gcs: { bucket: 'b' } })))).toBe('PROW_ERR_JOB_SPEC_INVALID');
    // Jobs outside pr-logs/pull/<repo> need no strategy.
    expect(jobStoragePath(prowJob('periodic', { job: 'p', gcs: { bucket: 'b' } })).dir).toBe('logs/p/1700000000000000001');
  });
});

describe('pointers and aliases', () => {
  it('a presubmit names its latest build in the job directory and in the PR’s, without path_prefix', () => {
    const pj = prowJob('presubmit', { refs: { org: 'kubernetes-sigs', repo: 'kind', pulls }, job: 'pull-kind-e2e', gcs: { ...k8s, path_prefix: 'prefix' } });
    expect(latestBuildPaths(pj)).toEqual(['pr-logs/directory/pull-kind-e2e/latest-build.txt', 'pr-logs/pull/kubernetes-sigs_kind/123/pull-kind-e2e/latest-build.txt']);
    expect(aliasPath(pj)).toBe('pr-logs/directory/pull-kind-e2e/1700000000000000001.txt');
    // The alias holds the full location, path_prefix included.
    expect(jobStorageUrl(pj)).toBe('gs://kubernetes-ci-logs/prefix/pr-logs/pull/kubernetes-sigs_kind/123/pull-kind-e2e/1700000000000000001');
  });

  it('batches point from pr-logs/directory, postsubmits and periodics from logs; none of them has an alias', () => {
    expect(latestBuildPaths(prowJob('batch', { job: 'pull-b' }))).toEqual(['pr-logs/directory/pull-b/latest-build.txt']);
    expect(latestBuildPaths(prowJob('postsubmit', { job: 'post-p' }))).toEqual(['logs/post-p/latest-build.txt']);
    expect(latestBuildPaths(prowJob('periodic', { job: 'ci-p' }))).toEqual(['logs/ci-p/latest-build.txt']);
    expect([aliasPath(prowJob('batch')), aliasPath(prowJob('postsubmit')), aliasPath(prowJob('periodic'))]).toEqual([undefined, undefined, undefined]);
  });

  it('a bucket with a scheme is kept as written in the alias content', () => {
    expect(jobStorageUrl(prowJob('periodic', { job: 'ci-p', gcs: { bucket: 's3://logs' } }))).toBe('s3://logs/logs/ci-p/1700000000000000001');
  });

  it('job history reads from the job’s root', () => {
    expect([jobHistoryRoot(prowJob('periodic', { job: 'ci-p' })), jobHistoryRoot(prowJob('presubmit', { job: 'pull-p' })), jobHistoryRoot(prowJob('batch', { job: 'pull-p' }))]).toEqual([
      'logs/ci-p',
      'pr-logs/directory/pull-p',
      'pr-logs/directory/pull-p',
    ]);
  });
});

describe('storageBucket', () => {
  it('reads a bare name as GCS and keeps a path inside the bucket', () => {
    expect(storageBucket('kubernetes-ci-logs')).toEqual({ provider: 'gs', bucketPath: 'kubernetes-ci-logs' });
    expect(storageBucket('gs://kubernetes-ci-logs/')).toEqual({ provider: 'gs', bucketPath: 'kubernetes-ci-logs' });
    expect(storageBucket('s3://bucket/sub/dir')).toEqual({ provider: 's3', bucketPath: 'bucket/sub/dir' });
  });
});

describe("Kubernetes' real jobs", () => {
  let jobs: ReturnType<typeof kubernetesJobs>;
  beforeAll(async () => {
    jobs = kubernetesJobs(await loadKubernetesConfig());
  });

  it('land where prow.k8s.io keeps them, from plank’s default decoration config', () => {
    expect(jobStoragePath(jobs.presubmit('kubernetes/kubernetes', 'pull-kubernetes-kind-dra')).dir).toBe('pr-logs/pull/4242/pull-kubernetes-kind-dra/1234');
    expect(jobStoragePath(jobs.presubmit('kubernetes/gengo', 'pull-gengo-test')).dir).toBe('pr-logs/pull/gengo/4242/pull-gengo-test/1234');
    expect(jobStoragePath(jobs.presubmit('kubernetes-sigs/cloud-provider-kind', 'pull-cloud-provider-kind-conformance-parallel-ipv6')).dir).toBe(
      'pr-logs/pull/kubernetes-sigs_cloud-provider-kind/4242/pull-cloud-provider-kind-conformance-parallel-ipv6/1234',
    );
    expect(jobStoragePath(jobs.postsubmit('containerd/containerd', 'post-containerd-build'))).toMatchObject({ bucket: 'kubernetes-ci-logs', dir: 'logs/post-containerd-build/1234' });
    expect(jobStoragePath(jobs.periodic('periodic-kueue-push-images')).dir).toBe('logs/periodic-kueue-push-images/1234');
  });
});
