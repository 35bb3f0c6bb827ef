import { beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig, TideQuery } from '../../../lib/config/index.ts';
import { loadKubernetesConfig } from '../../../test/helpers/kubernetes-prowjobs.ts';
import {
  blockerQueryString,
  datedQuery,
  queryScope,
  scopeQueryString,
  tideOrgQueries,
  tideQueryProblems,
  tideQueryString,
} from './search-query.ts';

// Prow's own TestTideQuery fixture (pkg/config/tide_test.go): every one of these tokens must appear, once.
const prowTestQuery: TideQuery = {
  orgs: ['org'],
  repos: ['k/k', 'k/t-i'],
  excludedRepos: ['org/repo'],
  labels: ['lgtm', 'approved'],
  missingLabels: ['foo'],
  author: 'batman',
  milestone: 'milestone',
  reviewApprovedRequired: true,
};
const prowExpectedTokens = [
  'is:pr',
  'state:open',
  'archived:false',
  'label:"lgtm"',
  'label:"approved"',
  '-label:"foo"',
  'author:"batman"',
  'milestone:"milestone"',
  'review:approved',
];

describe('tideQueryString', () => {
  it("holds every token of Prow's TestTideQuery exactly once", () => {
    const tokens = tideQueryString(prowTestQuery).split(' ');
    for (const t of [...prowExpectedTokens, 'org:"org"', 'repo:"k/k"', 'repo:"k/t-i"', '-repo:"org/repo"']) expect(tokens).toContain(t);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('puts the filters first and the org/repo scope last, in config order', () => {
    expect(tideQueryString(prowTestQuery)).toBe(
      'is:pr state:open archived:false author:"batman" label:"lgtm" label:"approved" -label:"foo" milestone:"milestone" review:approved ' +
        'org:"org" -repo:"org/repo" repo:"k/k" repo:"k/t-i"',
    );
  });

  it('writes a comma in a label as an OR of quoted labels, and branches as base filters', () => {
    expect(tideQueryString({ repos: ['o/r'], labels: ['lgtm,approved'], excludedBranches: ['dev', 'old'] })).toBe(
      'is:pr state:open archived:false -base:"dev" -base:"old" label:"lgtm","approved" repo:"o/r"',
    );
    expect(tideQueryString({ repos: ['o/r'], includedBranches: ['main'] })).toBe('is:pr state:open archived:false base:"main" repo:"o/r"');
  });

  it('splits by org the way Prow shards queries for GitHub Apps', () => {
    const byOrg = tideOrgQueries(prowTestQuery);
    expect([...byOrg.keys()]).toEqual(['org', 'k']);
    const common = prowExpectedTokens.join(' ');
    expect(byOrg.get('org')?.split(' ').sort()).toEqual([...common.split(' '), 'org:"org"', '-repo:"org/repo"'].sort());
    expect(byOrg.get('k')?.endsWith('review:approved repo:"k/k" repo:"k/t-i"')).toBe(true);
  });

  describe("on Kubernetes' real tide queries", () => {
    let config: ProwConfig;
    beforeAll(async () => {
      config = await loadKubernetesConfig();
    });
    const queries = (): TideQuery[] => config.tide?.queries ?? [];

    it('builds the milestone query for kubernetes/kubernetes release branches', () => {
      const q = queries().find((x) => x.milestone === 'v1.37');
      expect(q && tideQueryString(q)).toBe(
        'is:pr state:open archived:false base:"master" base:"release-1.37" label:"lgtm" label:"approved" label:"cncf-cla: yes" ' +
          '-label:"do-not-merge" -label:"do-not-merge/blocked-paths" -label:"do-not-merge/cherry-pick-not-approved" ' +
          '-label:"do-not-merge/contains-merge-commits" -label:"do-not-merge/hold" -label:"do-not-merge/invalid-commit-message" ' +
          '-label:"do-not-merge/invalid-owners-file" -label:"do-not-merge/needs-kind" -label:"do-not-merge/needs-sig" ' +
          '-label:"do-not-merge/release-note-label-needed" -label:"do-not-merge/work-in-progress" milestone:"v1.37" repo:"kubernetes/kubernetes"',
      );
    });

    it('builds the bot author query over two repos', () => {
      const q = queries().find((x) => x.author === 'k8s-infra-ci-robot');
      const s = q ? tideQueryString(q) : '';
      expect(s.startsWith('is:pr state:open archived:false author:"k8s-infra-ci-robot" label:"skip-review" label:"cncf-cla: yes" -label:"do-not-merge"')).toBe(true);
      expect(s.endsWith('-label:"do-not-merge/work-in-progress" repo:"kubernetes/k8s.io" repo:"kubernetes/test-infra"')).toBe(true);
    });

    it('scopes the org query by its orgs, each followed by the repos it excludes', () => {
      const q = queries()[0];
      const s = q ? tideQueryString(q) : '';
      expect(s).toContain('org:"kubernetes" -repo:"kubernetes/kubernetes" -repo:"kubernetes/api"');
      expect(s).toContain('org:"kubernetes-sigs" -repo:"kubernetes-sigs/lwkd"');
      expect(s.split(' ').filter((t) => t.startsWith('org:'))).toEqual(['org:"kubernetes"', 'org:"kubernetes-client"', 'org:"kubernetes-csi"', 'org:"kubernetes-sigs"']);
    });

    it('finds every real query valid', () => {
      expect(queries().map(tideQueryProblems)).toEqual(queries().map(() => []));
    });

    it('asks for blocker issues across what all queries cover, exceptions only where every query excludes the repo', () => {
      const s = blockerQueryString(config.tide?.blocker_label ?? '', queries());
      expect(s.startsWith('is:issue state:open label:"tide/merge-blocker" org:"kubernetes" -repo:"kubernetes/api"')).toBe(true);
      // kubernetes/kubernetes is excluded by the org query but named by another, so it is searched.
      expect(s).not.toContain('-repo:"kubernetes/kubernetes"');
      expect(s).toContain('repo:"kubernetes/kubernetes"');
      expect(s).toContain('org:"kubernetes-sigs" -repo:"kubernetes-sigs/lwkd" repo:');
    });
  });
});

describe('datedQuery', () => {
  it('adds the updated range, starting at GitHub founding when no start is given', () => {
    expect(datedQuery('is:pr', undefined, new Date('2026-03-04T05:06:07.891Z'))).toBe('is:pr updated:2007-01-01T00:00:00Z..2026-03-04T05:06:07Z');
  });

  it('floors both ends to GitHub founding', () => {
    expect(datedQuery('q', new Date(0), new Date('2001-01-01T00:00:00Z'))).toBe('q updated:2007-01-01T00:00:00Z..2007-01-01T00:00:00Z');
    expect(datedQuery('q', new Date('2020-02-03T04:05:06Z'), new Date('2020-02-03T04:06:06Z'))).toBe('q updated:2020-02-03T04:05:06Z..2020-02-03T04:06:06Z');
  });
});

describe("Prow's OrgExceptionsAndRepos", () => {
  it('keeps an org exception only when every query excludes it and no query names the repo', () => {
    // Prow's TestOrgExceptionsAndRepos fixture.
    const scope = queryScope([
      { orgs: ['k8s'], excludedRepos: ['k8s/k8s'] },
      { orgs: ['kuber'], repos: ['foo/bar', 'baz/bar'], excludedRepos: ['kuber/netes'] },
      { orgs: ['k8s'], excludedRepos: ['k8s/k8s', 'k8s/t-i'] },
      { orgs: ['org', 'org2'], excludedRepos: ['org2/repo', 'org2/repo2', 'org2/repo3'] },
      { orgs: ['foo'], repos: ['org2/repo3'] },
    ]);
    expect(Object.fromEntries([...scope.orgs].map(([o, e]) => [o, [...e].sort()]))).toEqual({
      k8s: ['k8s/k8s'],
      kuber: ['kuber/netes'],
      org: [],
      org2: ['org2/repo', 'org2/repo2'],
      foo: [],
    });
    expect([...scope.repos].sort()).toEqual(['baz/bar', 'foo/bar', 'org2/repo3']);
    expect(scopeQueryString(scope)).toBe(
      'org:"foo" org:"k8s" -repo:"k8s/k8s" org:"kuber" -repo:"kuber/netes" org:"org" org:"org2" -repo:"org2/repo" -repo:"org2/repo2" ' +
        'repo:"baz/bar" repo:"foo/bar" repo:"org2/repo3"',
    );
  });
});

describe('tideQueryProblems', () => {
  it.each<[string, TideQuery, string]>([
    ['no scope', { labels: ['lgtm'] }, "'orgs' and 'repos' cannot both be empty"],
    ['an org with a slash', { orgs: ['a/b'] }, `orgs[0]: "a/b" contains a '/', which is not valid in an org name`],
    ['an empty org', { orgs: ['a', ''] }, 'orgs[1]: is an empty string'],
    ['a repo that is no org/repo', { repos: ['a'] }, 'repos[0]: "a" is not of the form "org/repo"'],
    ['a repo its org already covers', { orgs: ['a'], repos: ['a/b'] }, 'repos[0]: "a/b" is already included via org "a"'],
    ['an exclusion outside the orgs', { repos: ['a/b'], excludedRepos: ['c/d'] }, 'excludedRepos[0]: "c/d" has no effect because org "c" is not included'],
    ['a label both wanted and forbidden', { orgs: ['a'], labels: ['x', 'y'], missingLabels: ['y', 'x'] }, 'the labels "x", "y" are both required and forbidden'],
    ['both branch lists', { orgs: ['a'], includedBranches: ['main'], excludedBranches: ['dev'] }, "both 'includedBranches' and 'excludedBranches' are specified ('excludedBranches' have no effect)"],
    ['duplicate labels', { orgs: ['a'], labels: ['x', 'x', 'x', 'y', 'y'] }, '"labels" contains 3 duplicate entries: x, y'],
    ['a duplicate repo', { repos: ['a/b', 'a/b'] }, '"repos" contains 1 duplicate entry: a/b'],
    ['a duplicate branch', { orgs: ['a'], excludedBranches: ['dev', 'dev'] }, '"excludedBranches" contains 1 duplicate entry: dev'],
  ])('refuses %s', (_name, query, problem) => {
    expect(tideQueryProblems(query)).toEqual([problem]);
  });

  it('lists every problem, not only the first', () => {
    expect(tideQueryProblems({ orgs: ['a', 'a'], repos: ['a/b'], labels: ['x'], missingLabels: ['x'] })).toHaveLength(3);
  });
});
