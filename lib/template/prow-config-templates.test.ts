import { beforeAll, describe, expect, it } from 'vitest';
import { kubernetesJobs, loadKubernetesConfig } from '../../test/helpers/kubernetes-prowjobs.ts';
import type { ProwConfig } from '../config/index.ts';
import { isProwError } from '../errors.ts';
import { parseGoTemplate, type GoTemplate } from './go-template.ts';

// Kubernetes' own plank templates, rendered over ProwJobs of its own jobs. The expected strings are worked
// out by hand from Go's template semantics, branch by branch.
let config: ProwConfig;
let jobs: ReturnType<typeof kubernetesJobs>;
let urlTemplate: GoTemplate;
let reportTemplate: GoTemplate;

beforeAll(async () => {
  config = await loadKubernetesConfig();
  jobs = kubernetesJobs(config);
  urlTemplate = parseGoTemplate('plank.job_url_template', config.plank?.job_url_template ?? '');
  reportTemplate = parseGoTemplate("plank.report_templates['*']", config.plank?.report_templates?.['*'] ?? '');
});

const view = 'https://prow.k8s.io/view/gs/kubernetes-ci-logs/';

describe("Kubernetes' plank.job_url_template", () => {
  it('gives a kubernetes/kubernetes presubmit no org or repo segment', () => {
    expect(urlTemplate.render(jobs.presubmit('kubernetes/kubernetes', 'pull-kubernetes-kind-dra'))).toBe(`${view}pr-logs/pull/4242/pull-kubernetes-kind-dra/1234/`);
  });

  it('gives another kubernetes repo just the repo, and kubernetes-sigs the sigs.k8s.io_ form', () => {
    expect(urlTemplate.render(jobs.presubmit('kubernetes/gengo', 'pull-gengo-test', 17))).toBe(`${view}pr-logs/pull/gengo/17/pull-gengo-test/1234/`);
    expect(urlTemplate.render(jobs.presubmit('kubernetes-sigs/cloud-provider-kind', 'pull-cloud-provider-kind-conformance-parallel-ipv6'))).toBe(
      `${view}pr-logs/pull/sigs.k8s.io_cloud-provider-kind/4242/pull-cloud-provider-kind-conformance-parallel-ipv6/1234/`,
    );
  });

  it('puts a batch under batch/, after the repo segment the template adds for it', () => {
    expect(urlTemplate.render(jobs.batch('kubernetes/kubernetes', 'pull-kubernetes-kind-dra', [4242, 4243]))).toBe(`${view}pr-logs/pull/batch/pull-kubernetes-kind-dra/1234/`);
    expect(urlTemplate.render(jobs.batch('kubernetes/gengo', 'pull-gengo-test', [1, 2]))).toBe(`${view}pr-logs/pull/gengo/batch/pull-gengo-test/1234/`);
  });

  it('puts a postsubmit under logs/, with org_repo for an org other than kubernetes', () => {
    expect(urlTemplate.render(jobs.postsubmit('containerd/containerd', 'post-containerd-build'))).toBe(`${view}logs/containerd_containerd/post-containerd-build/1234/`);
    expect(urlTemplate.render(jobs.postsubmit('kubernetes-sigs/kueue', 'post-kueue-push-images'))).toBe(`${view}logs/sigs.k8s.io_kueue/post-kueue-push-images/1234/`);
  });

  it('puts a periodic, which has no refs, straight under logs/', () => {
    expect(urlTemplate.render(jobs.periodic('periodic-kueue-push-images'))).toBe(`${view}logs/periodic-kueue-push-images/1234/`);
  });
});

describe("Kubernetes' plank.report_templates['*']", () => {
  const expected = (org: string, repo: string, pr: number, author: string): string =>
    `[Full PR test history](https://prow.k8s.io/pr-history?org=${org}&repo=${repo}&pr=${pr}). ` +
    `[Your PR dashboard](https://prow.k8s.io/pr?query=is%3Apr%20state%3Aopen%20author%3A${author}). ` +
    'Please help us cut down on flakes by [linking to](https://git.k8s.io/community/contributors/devel/sig-testing/flaky-tests.md#filing-issues-for-flaky-tests) ' +
    `an [open issue](https://github.com/${org}/${repo}/issues?q=is:issue+is:open) when you hit one in your PR.`;

  it('links the PR history, the author’s dashboard and the repo’s issues for a presubmit', () => {
    expect(reportTemplate.render(jobs.presubmit('kubernetes/kubernetes', 'pull-kubernetes-kind-dra'))).toBe(expected('kubernetes', 'kubernetes', 4242, 'contributor'));
    expect(reportTemplate.render(jobs.presubmit('kubernetes-sigs/cloud-provider-kind', 'pull-cloud-provider-kind-conformance-parallel-ipv6', 9))).toBe(
      expected('kubernetes-sigs', 'cloud-provider-kind', 9, 'contributor'),
    );
  });

  it('takes the first pull of a batch', () => {
    expect(reportTemplate.render(jobs.batch('kubernetes/kubernetes', 'pull-kubernetes-kind-dra', [4243, 4242]))).toBe(expected('kubernetes', 'kubernetes', 4243, 'author-0'));
  });

  it('cannot be rendered for jobs without pulls, as Go’s index fails on them too', () => {
    for (const pj of [jobs.postsubmit('containerd/containerd', 'post-containerd-build'), jobs.periodic('periodic-kueue-push-images')]) {
      let caught: unknown;
      try {
        reportTemplate.render(pj);
      } catch (err) {
        caught = err;
      }
      expect(isProwError(caught, 'PROW_ERR_TEMPLATE_INVALID')).toBe(true);
      expect(String(caught)).toContain('index of untyped nil');
    }
  });
});
