import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ProwConfig } from '../config/index.ts';
import { prowJobSchemaErrors } from '../../test/helpers/prowjob-crd.ts';
import { newPeriodicJob, newPostsubmitJob, newPresubmitJob, refsForPullRequest, type PullRequestLike } from './new-prowjob.ts';
import { labelsAndAnnotationsFor, prowLabels } from './prowjob-labels.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/prow-config/', import.meta.url));
let config: ProwConfig;

beforeAll(async () => {
  const loaded = await loadConfig({ configPath: `${fixtures}config.yaml`, jobConfigPath: `${fixtures}jobs`, pluginConfigPath: `${fixtures}plugins.yaml` });
  expect(loaded.errors).toEqual([]);
  config = loaded.config;
});

function pullRequest(org: string, repo: string, over: Partial<PullRequestLike> = {}): PullRequestLike {
  return {
    number: 4242,
    title: 'Make it faster',
    html_url: `https://github.com/${org}/${repo}/pull/4242`,
    user: { login: 'contributor', html_url: 'https://github.com/contributor' },
    head: { sha: 'b'.repeat(40), ref: 'faster' },
    base: { ref: 'master', repo: { name: repo, html_url: `https://github.com/${org}/${repo}`, owner: { login: org } } },
    ...over,
  };
}

describe('ProwJobs made from Kubernetes’ real job config', () => {
  it('validate against Prow’s own CRD schema, for every presubmit, postsubmit and periodic', () => {
    const problems: string[] = [];
    let count = 0;
    for (const [fullName, jobs] of Object.entries(config.presubmits)) {
      const [org = '', repo = ''] = fullName.split('/');
      for (const job of jobs) {
        const pj = newPresubmitJob(job, refsForPullRequest(pullRequest(org, repo), 'a'.repeat(40)), { namespace: config.prowjob_namespace, eventGuid: 'delivery-1' });
        problems.push(...prowJobSchemaErrors(pj).map((e) => `${job.name}: ${e}`));
        count++;
      }
    }
    for (const [fullName, jobs] of Object.entries(config.postsubmits)) {
      const [org = '', repo = ''] = fullName.split('/');
      for (const job of jobs) {
        problems.push(...prowJobSchemaErrors(newPostsubmitJob(job, { org, repo, base_ref: 'main', base_sha: 'c'.repeat(40) })).map((e) => `${job.name}: ${e}`));
        count++;
      }
    }
    for (const job of config.periodics) {
      problems.push(...prowJobSchemaErrors(newPeriodicJob(job)).map((e) => `${job.name}: ${e}`));
      count++;
    }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(100);
  });

  it('the schema check refuses what Kubernetes would drop or reject', () => {
    const [job] = config.periodics;
    if (!job) throw new Error('the fixture has no periodics');
    const pj = newPeriodicJob(job);
    expect(prowJobSchemaErrors({ ...pj, spec: { ...pj.spec, bogus_field: 1 } })).toEqual(['/spec must NOT have additional properties (bogus_field)']);
    expect(prowJobSchemaErrors({ ...pj, status: { ...pj.status, state: 'exploded' } })[0]).toMatch(/^\/status\/state must be equal to one of the allowed values/);
  });

  it('a presubmit carries Prow’s spec, labels and annotations', () => {
    const job = config.presubmits['kubernetes/kubernetes']?.find((j) => j.name === 'pull-kubernetes-kind-dra');
    if (!job) throw new Error('no pull-kubernetes-kind-dra in the fixture');
    const pj = newPresubmitJob(job, refsForPullRequest(pullRequest('kubernetes', 'kubernetes'), 'a'.repeat(40)), {
      namespace: 'prow',
      eventGuid: 'delivery-1',
      name: 'fixed-name',
      now: new Date('2026-12-01T10:00:00Z'),
    });
    expect(pj.metadata).toMatchObject({ name: 'fixed-name', namespace: 'prow' });
    expect(pj.status).toEqual({ startTime: '2026-12-01T10:00:00.000Z', state: 'triggered' });
    expect(pj.spec).toMatchObject({
      type: 'presubmit',
      agent: 'kubernetes',
      cluster: 'eks-prow-build-cluster',
      namespace: config.pod_namespace,
      job: 'pull-kubernetes-kind-dra',
      context: job.context,
      rerun_command: '/test pull-kubernetes-kind-dra',
      report: true,
      refs: {
        org: 'kubernetes',
        repo: 'kubernetes',
        base_ref: 'master',
        base_sha: 'a'.repeat(40),
        base_link: `https://github.com/kubernetes/kubernetes/commit/${'a'.repeat(40)}`,
        pulls: [
          {
            number: 4242,
            author: 'contributor',
            sha: 'b'.repeat(40),
            ref: 'refs/pull/4242/head',
            head_ref: 'faster',
            commit_link: `https://github.com/kubernetes/kubernetes/pull/4242/commits/${'b'.repeat(40)}`,
          },
        ],
      },
    });
    expect(pj.spec.decoration_config).toBeDefined();
    expect(pj.metadata.labels).toMatchObject({
      [prowLabels.createdByProw]: 'true',
      [prowLabels.type]: 'presubmit',
      [prowLabels.job]: 'pull-kubernetes-kind-dra',
      [prowLabels.org]: 'kubernetes',
      [prowLabels.repo]: 'kubernetes',
      [prowLabels.baseRef]: 'master',
      [prowLabels.pull]: '4242',
      [prowLabels.isOptional]: 'true',
      [prowLabels.eventGuid]: 'delivery-1',
    });
    expect(pj.metadata.annotations[prowLabels.job]).toBe('pull-kubernetes-kind-dra');
  });

  it('a periodic has no refs of its own and does not report to GitHub', () => {
    const job = config.periodics.find((j) => j.extra_refs !== undefined);
    if (!job) throw new Error('no periodic with extra_refs in the fixture');
    const pj = newPeriodicJob(job);
    expect(pj.spec.type).toBe('periodic');
    expect(pj.spec.refs).toBeUndefined();
    expect(pj.spec.report).toBeUndefined();
    expect(pj.spec.extra_refs?.[0]?.org).toBe(job.extra_refs?.[0]?.org);
    expect(Object.keys(pj.metadata.labels)).not.toContain(prowLabels.org);
  });
});

describe('labelsAndAnnotationsFor', () => {
  it('cuts a long job name to 63 characters in the label, without a trailing dash, and keeps it whole in the annotation', () => {
    const job = `${'a'.repeat(62)}-tail`;
    const { labels, annotations } = labelsAndAnnotationsFor({ type: 'periodic', agent: 'kubernetes', job });
    expect(labels[prowLabels.job]).toBe('a'.repeat(62));
    expect(annotations[prowLabels.job]).toBe(job);
  });

  it('turns a value Kubernetes refuses into its last path segment, or drops it', () => {
    const refs = { org: 'acme', repo: 'widgets', base_ref: 'release/v1.2' };
    const { labels } = labelsAndAnnotationsFor({ type: 'postsubmit', agent: 'kubernetes', job: 'post', refs }, { note: 'has spaces in it' });
    expect(labels[prowLabels.baseRef]).toBe('v1.2');
    expect(labels).not.toHaveProperty('note');
  });
});
