import { beforeAll, describe, expect, it } from 'vitest';
import { kubernetesJobs, loadKubernetesConfig } from '../../test/helpers/kubernetes-prowjobs.ts';
import type { ProwConfig } from '../config/index.ts';
import { isProwError } from '../errors.ts';
import { jobUrl, jobUrlPrefix, type JobUrlConfig } from './job-url.ts';
import { newProwJob } from './new-prowjob.ts';
import type { ProwJob, ProwJobSpec } from './prowjob.ts';

let config: ProwConfig;
let jobs: ReturnType<typeof kubernetesJobs>;

beforeAll(async () => {
  config = await loadKubernetesConfig();
  jobs = kubernetesJobs(config);
});

const gcs = { bucket: 'prow-logs', path_strategy: 'explicit' as const };

function started(spec: Partial<ProwJobSpec> & Pick<ProwJobSpec, 'type'>): ProwJob {
  const pj = newProwJob({ agent: 'kubernetes', job: 'pull-widgets-unit', decoration_config: { gcs_configuration: gcs }, ...spec });
  return { ...pj, status: { ...pj.status, build_id: '99' } };
}

const widgets = { org: 'acme', repo: 'widgets', pulls: [{ number: 5, author: 'ada', sha: 'f'.repeat(40) }] };

function failureCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isProwError(err) ? err.code : String(err);
  }
  return undefined;
}

describe("jobUrl on Kubernetes' config", () => {
  const view = 'https://prow.k8s.io/view/gs/kubernetes-ci-logs/';

  it("is deck's page for the build directory, since job_url_prefix_config['*'] is set", () => {
    expect(jobUrl(jobs.presubmit('kubernetes/kubernetes', 'pull-kubernetes-kind-dra'), config.plank)).toBe(`${view}pr-logs/pull/4242/pull-kubernetes-kind-dra/1234`);
    expect(jobUrl(jobs.batch('kubernetes/kubernetes', 'pull-kubernetes-kind-dra', [1, 2]), config.plank)).toBe(`${view}pr-logs/pull/batch/pull-kubernetes-kind-dra/1234`);
    expect(jobUrl(jobs.postsubmit('containerd/containerd', 'post-containerd-build'), config.plank)).toBe(`${view}logs/post-containerd-build/1234`);
    expect(jobUrl(jobs.periodic('periodic-kueue-push-images'), config.plank)).toBe(`${view}logs/periodic-kueue-push-images/1234`);
  });

  it('follows the storage layout, not job_url_template, where the two disagree', () => {
    // The template would say sigs.k8s.io_cloud-provider-kind; the prefix wins and the bucket says kubernetes-sigs_.
    expect(jobUrl(jobs.presubmit('kubernetes-sigs/cloud-provider-kind', 'pull-cloud-provider-kind-conformance-parallel-ipv6'), config.plank)).toBe(
      `${view}pr-logs/pull/kubernetes-sigs_cloud-provider-kind/4242/pull-cloud-provider-kind-conformance-parallel-ipv6/1234`,
    );
  });

  it('renders job_url_template for a job without decoration', () => {
    const pj = jobs.presubmit('kubernetes-sigs/cloud-provider-kind', 'pull-cloud-provider-kind-conformance-parallel-ipv6');
    const undecorated = { ...pj.spec };
    delete undecorated.decoration_config;
    expect(jobUrl({ ...pj, spec: undecorated }, config.plank)).toBe(`${view}pr-logs/pull/sigs.k8s.io_cloud-provider-kind/4242/pull-cloud-provider-kind-conformance-parallel-ipv6/1234/`);
  });
});

describe('jobUrlPrefix', () => {
  const plank: JobUrlConfig = { job_url_prefix_config: { '*': 'https://all/', acme: 'https://acme/', 'acme/widgets': 'https://widgets/', 'acme/empty': '' } };

  it('takes the most specific of org/repo, org and *', () => {
    expect(jobUrlPrefix(started({ type: 'presubmit', refs: widgets }), plank)).toBe('https://widgets/');
    expect(jobUrlPrefix(started({ type: 'presubmit', refs: { ...widgets, repo: 'gadgets' } }), plank)).toBe('https://acme/');
    expect(jobUrlPrefix(started({ type: 'presubmit', refs: { ...widgets, org: 'other' } }), plank)).toBe('https://all/');
    // An empty value counts as unset, as in Prow.
    expect(jobUrlPrefix(started({ type: 'presubmit', refs: { ...widgets, repo: 'empty' } }), plank)).toBe('https://acme/');
  });

  it('uses the first extra_refs of a job without refs, and * for a job with neither', () => {
    expect(jobUrlPrefix(started({ type: 'periodic', extra_refs: [{ org: 'acme', repo: 'widgets' }] }), plank)).toBe('https://widgets/');
    expect(jobUrlPrefix(started({ type: 'periodic' }), plank)).toBe('https://all/');
  });

  it("prefers the job's own gcs_configuration.job_url_prefix, and drops a trailing gcs/", () => {
    const own = started({ type: 'presubmit', refs: widgets, decoration_config: { gcs_configuration: { ...gcs, job_url_prefix: 'https://own/view/gcs/' } } });
    expect(jobUrlPrefix(own, plank)).toBe('https://own/view/');
    expect(jobUrlPrefix(started({ type: 'periodic' }), { job_url_prefix_config: { '*': 'https://deck/view/gcs' } })).toBe('https://deck/view/');
  });
});

describe('jobUrl', () => {
  it('joins prefix, provider, bucket and build directory with single slashes', () => {
    const pj = started({ type: 'presubmit', refs: widgets });
    expect(jobUrl(pj, { job_url_prefix_config: { '*': 'https://deck.example.com/view/' } })).toBe('https://deck.example.com/view/gs/prow-logs/pr-logs/pull/acme_widgets/5/pull-widgets-unit/99');
    expect(jobUrl(pj, { job_url_prefix_config: { '*': 'https://deck.example.com' } })).toBe('https://deck.example.com/gs/prow-logs/pr-logs/pull/acme_widgets/5/pull-widgets-unit/99');
  });

  it('names the storage provider of an s3 bucket, or none when told not to append it', () => {
    const pj = started({ type: 'periodic', job: 'ci-nightly', decoration_config: { gcs_configuration: { bucket: 's3://logs', path_prefix: 'team' } } });
    expect(jobUrl(pj, { job_url_prefix_config: { '*': 'https://deck/view/' } })).toBe('https://deck/view/s3/logs/team/logs/ci-nightly/99');
    expect(jobUrl(pj, { job_url_prefix_config: { '*': 'https://deck/view/s3/' }, jobURLPrefixDisableAppendStorageProvider: true })).toBe('https://deck/view/s3/logs/team/logs/ci-nightly/99');
  });

  it('renders the template when no prefix matches, and is undefined when nothing is configured', () => {
    const pj = started({ type: 'presubmit', refs: widgets });
    const plank: JobUrlConfig = { job_url_template: 'https://ci/{{.Spec.Refs.Org}}/{{.Spec.Job}}/{{.Status.BuildID}}', job_url_prefix_config: { other: 'https://x/' } };
    expect(jobUrl(pj, plank)).toBe('https://ci/acme/pull-widgets-unit/99');
    expect(jobUrl(pj, {})).toBeUndefined();
    expect(jobUrl(pj, undefined)).toBeUndefined();
  });

  it('refuses a prefix that is not a URL and a template that cannot render', () => {
    const pj = started({ type: 'presubmit', refs: widgets });
    expect(failureCode(() => jobUrl(pj, { job_url_prefix_config: { '*': 'not a url' } }))).toBe('PROW_ERR_CONFIG_INVALID');
    expect(failureCode(() => jobUrl(pj, { job_url_template: '{{index .Spec.Refs.Pulls 3}}' }))).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(failureCode(() => jobUrl(pj, { job_url_template: '{{if}}' }))).toBe('PROW_ERR_TEMPLATE_INVALID');
  });
});
