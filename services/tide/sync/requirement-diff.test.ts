import { beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig, TideQuery } from '../../../lib/config/index.ts';
import { loadKubernetesConfig } from '../../../test/helpers/kubernetes-prowjobs.ts';
import { contextPolicyFor, type ContextPolicy } from './context-policy.ts';
import { closestQueryDiff, queriesForRepo, requirementDiff } from './requirement-diff.ts';
import { contexts, tidePull } from './testing/tide-pull.ts';
import { widgetsConfig } from './testing/widgets-config.ts';

const lgtmQuery: TideQuery = { repos: ['acme/widgets'], labels: ['lgtm', 'approved'], missingLabels: ['do-not-merge/hold', 'do-not-merge/work-in-progress'] };

describe('requirementDiff', () => {
  let config: ProwConfig;
  let release: ContextPolicy;
  beforeAll(async () => {
    config = await widgetsConfig();
    release = contextPolicyFor(config, 'acme', 'widgets', 'release-1.0');
  });
  const diff = (fields: Parameters<typeof tidePull>[0], query: TideQuery = lgtmQuery, blocks: 'permit' | 'block' = 'permit') =>
    requirementDiff(tidePull({ baseRef: 'release-1.0', contexts: contexts({ unit: 'success', 'external-ci': 'success', 'release-only': 'success' }), ...fields }), query, release, blocks);

  it('names labels a PR lacks, "a or b" for either-label entries, sorted', () => {
    expect(diff({ labels: ['approved'] })).toEqual({ description: ' Needs lgtm label.', weight: 1 });
    expect(diff({ labels: [] })).toEqual({ description: ' Needs approved, lgtm labels.', weight: 2 });
    expect(diff({ labels: ['lgtm'] }, { repos: ['acme/widgets'], labels: ['lgtm', 'approved,skip-review'] })).toEqual({ description: ' Needs approved or skip-review label.', weight: 1 });
    expect(diff({ labels: ['skip-review', 'lgtm'] }, { repos: ['acme/widgets'], labels: ['lgtm', 'approved,skip-review'] }).weight).toBe(0);
  });

  it('keeps a list to about 50 characters, and always one', () => {
    const long = ['needs-a-very-long-label-name-number-two', 'needs-a-very-long-label-name-number-one'];
    expect(diff({ labels: [] }, { repos: ['acme/widgets'], labels: long })).toEqual({ description: ' Needs needs-a-very-long-label-name-number-one label.', weight: 2 });
  });

  it('names labels a PR must not have', () => {
    expect(diff({ labels: ['lgtm', 'approved', 'do-not-merge/hold'] }).description).toBe(' Should not have do-not-merge/hold label.');
    expect(diff({ labels: ['lgtm', 'approved', 'do-not-merge/work-in-progress', 'do-not-merge/hold'] })).toEqual({
      description: ' Should not have do-not-merge/hold, do-not-merge/work-in-progress labels.',
      weight: 2,
    });
  });

  it('names the contexts that keep it out, missing required ones included', () => {
    expect(diff({ contexts: contexts({ unit: 'failure', 'external-ci': 'success', 'release-only': 'success' }) }).description).toBe(' Job unit has not succeeded.');
    expect(diff({ contexts: contexts({ unit: 'pending', docs: 'failure' }) })).toEqual({ description: ' Jobs docs, external-ci, release-only, unit have not succeeded.', weight: 4 });
  });

  it("puts the most serious gap first and weighs them all: branch, author, milestone, labels, contexts, review, GitHub's BLOCKED", () => {
    const strict: TideQuery = { repos: ['acme/widgets'], author: '@Release-Bot', milestone: 'v1.0', labels: ['skip-review'], includedBranches: ['release-1.0'], reviewApprovedRequired: true };
    const everything = { baseRef: 'main', labels: ['do-not-merge/hold'], contexts: contexts({ unit: 'failure' }), mergeStateStatus: 'BLOCKED' };
    expect(diff(everything, strict, 'block')).toEqual({ description: ' Merging to branch main is forbidden.', weight: 2000 + 1000 + 100 + 1 + 3 + 50 + 100 });
    expect(diff({ ...everything, baseRef: 'release-1.0' }, strict, 'permit')).toEqual({ description: ' Must be by author release-bot.', weight: 1000 + 100 + 1 + 3 + 50 });
    expect(diff({ author: 'release-bot', labels: [] }, strict).description).toBe(' Must be in milestone v1.0.');
    expect(diff({ author: 'release-bot', milestone: 'v1.0', labels: ['skip-review'] }, strict)).toEqual({
      description: ' PullRequest is missing sufficient approving GitHub review(s)',
      weight: 50,
    });
    expect(diff({ author: 'release-bot', milestone: 'v1.0', labels: ['skip-review'], reviewDecision: 'APPROVED', mergeStateStatus: 'BLOCKED' }, strict, 'block')).toEqual({
      description: ' Blocked by GitHub (branch rulesets or protection)',
      weight: 100,
    });
    expect(diff({ baseRef: 'dev' }, { repos: ['acme/widgets'], excludedBranches: ['dev'] }).description).toBe(' Merging to branch dev is forbidden.');
  });
});

describe('closestQueryDiff', () => {
  let config: ProwConfig;
  beforeAll(async () => {
    config = await widgetsConfig();
  });
  const policy = () => contextPolicyFor(config, 'acme', 'widgets', 'release-1.0');
  const queries = () => config.tide?.queries ?? [];
  const green = contexts({ unit: 'success', 'external-ci': 'success', 'release-only': 'success' });

  it('takes the closest of the repo’s queries, and says when one is met', () => {
    // The release-bot query needs one label here; the lgtm query needs two.
    expect(closestQueryDiff(tidePull({ baseRef: 'release-1.0', author: 'release-bot', labels: [], contexts: green }), queries(), policy(), 'permit')).toEqual({
      met: false,
      description: ' Needs skip-review label.',
    });
    expect(closestQueryDiff(tidePull({ baseRef: 'release-1.0', labels: ['lgtm'], contexts: green }), queries(), policy(), 'permit')).toEqual({
      met: false,
      description: ' Needs approved label.',
    });
    expect(closestQueryDiff(tidePull({ baseRef: 'release-1.0', contexts: green }), queries(), policy(), 'permit')).toEqual({ met: true });
  });

  it('joins the gaps to every query of the branch with display_all_tide_queries_in_status', () => {
    const pull = tidePull({ baseRef: 'release-1.0', labels: ['lgtm'], contexts: green });
    expect(closestQueryDiff(pull, queries(), policy(), 'permit', true)).toEqual({ met: false, description: ' Needs approved label OR Must be by author release-bot.' });
    const onlyRelease: TideQuery[] = [{ repos: ['acme/widgets'], includedBranches: ['release-1.0'], labels: ['lgtm'] }];
    expect(closestQueryDiff(tidePull({ labels: [] }), onlyRelease, policy(), 'permit', true)).toEqual({ met: false, description: ' No Tide query for branch main found.' });
    expect(closestQueryDiff(tidePull({ labels: [] }), onlyRelease, policy(), 'permit')).toEqual({ met: false, description: ' Merging to branch main is forbidden.' });
  });

  it("finds Kubernetes' milestone query closest for a master PR outside the milestone", async () => {
    const k8s = await loadKubernetesConfig();
    const tide = k8s.tide?.queries ?? [];
    expect(queriesForRepo(tide, 'kubernetes', 'kubernetes')).toHaveLength(2);
    expect(queriesForRepo(tide, 'kubernetes', 'api')).toHaveLength(0);
    expect(queriesForRepo(tide, 'kubernetes', 'test-infra')).toHaveLength(3);
    const k8sPolicy = contextPolicyFor(k8s, 'kubernetes', 'kubernetes', 'master');
    const pull = tidePull({ org: 'kubernetes', repo: 'kubernetes', baseRef: 'master', labels: ['lgtm', 'cncf-cla: yes'] });
    expect(closestQueryDiff(pull, tide, k8sPolicy, 'permit')).toEqual({ met: false, description: ' Must be in milestone v1.37.' });
    const backport = { ...pull, baseRef: 'release-1.36' };
    expect(closestQueryDiff(backport, tide, contextPolicyFor(k8s, 'kubernetes', 'kubernetes', 'release-1.36'), 'permit')).toEqual({ met: false, description: ' Needs approved label.' });
  });
});
