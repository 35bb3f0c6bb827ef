import { beforeAll, describe, expect, it } from 'vitest';
import type { MergeMethodConfig, ProwConfig } from '../../../lib/config/index.ts';
import { prowConfigFileSchema } from '../../../lib/config/schema/prow.ts';
import { loadKubernetesConfig } from '../../../test/helpers/kubernetes-prowjobs.ts';
import { configuredMergeMethod, pullMergeMethod } from './merge-method.ts';

/** `merge_method` as config.yaml would give it, through the real schema. */
function mergeMethods(raw: Record<string, unknown>): MergeMethodConfig | undefined {
  return prowConfigFileSchema.parse({ tide: { merge_method: raw } }).tide?.merge_method;
}

describe('configuredMergeMethod', () => {
  // Prow's TestOrgRepoMatchMergeMethod cases (pkg/config/tide_test.go), as config.yaml spells them.
  it.each<[string, Record<string, unknown>, string, string, string, string]>([
    ['nothing configured', {}, 'kubernetes', 'test-infra', 'master', 'merge'],
    ['org shorthand', { 'kubernetes-helm': 'squash' }, 'kubernetes-helm', 'chartmuseum', 'main', 'squash'],
    ['another org', { 'kubernetes-helm': 'squash' }, 'kubernetes', 'test-infra', 'main', 'merge'],
    ['org/repo shorthand', { 'kubernetes-helm/chartmuseum': 'squash' }, 'kubernetes-helm', 'chartmuseum', 'master', 'squash'],
    ['org/repo shorthand, other repo', { 'kubernetes-helm/chartmuseum': 'squash' }, 'kubernetes-helm', 'test-infra', 'master', 'merge'],
    ['org/repo@branch', { 'kubernetes/kops@main': 'rebase' }, 'kubernetes', 'kops', 'main', 'rebase'],
    ['org/repo@branch, other branch', { 'kubernetes/kops@main': 'rebase' }, 'kubernetes', 'kops', 'master', 'merge'],
    ['repo-wide', { kubernetes: { kubernetes: 'squash' } }, 'kubernetes', 'kubernetes', 'main', 'squash'],
    ['repo-wide, other repo', { kubernetes: { kubernetes: 'squash' } }, 'kubernetes', 'test-infra', 'main', 'merge'],
    ['repo-wide `*`', { kubernetes: { '*': 'rebase', kubernetes: 'squash' } }, 'kubernetes', 'test-infra', 'main', 'rebase'],
    ['repo-wide, own repo over `*`', { kubernetes: { '*': 'rebase', kubernetes: 'squash' } }, 'kubernetes', 'kubernetes', 'main', 'squash'],
    ['branch regexp, no match', { kubernetes: { 'test-infra': { master: 'rebase' } } }, 'kubernetes', 'test-infra', 'main', 'merge'],
    ['branch regexp, plain name', { kubernetes: { 'test-infra': { master: 'rebase' } } }, 'kubernetes', 'test-infra', 'master', 'rebase'],
    ['branch regexp', { kubernetes: { 'test-infra': { 'release-\\d+(.\\d+)?': 'squash' } } }, 'kubernetes', 'test-infra', 'release-0.2', 'squash'],
    ['branch regexp, first that matches', { kubernetes: { 'test-infra': { 'ma.*': 'squash', 'mast.*': 'rebase' } } }, 'kubernetes', 'test-infra', 'master', 'squash'],
    ['branch regexp under `*`', { golang: { '*': { main: 'rebase' } } }, 'golang', 'docs', 'main', 'rebase'],
    ['repo@branch over branch regexp', { 'kubernetes/kops@main': 'squash', kubernetes: { kops: { main: 'rebase' } } }, 'kubernetes', 'kops', 'main', 'squash'],
    ['branch regexp over org/repo', { 'kubernetes/kops': 'squash', kubernetes: { kops: { main: 'rebase' } } }, 'kubernetes', 'kops', 'main', 'rebase'],
    ['org/repo over repo-wide', { 'kubernetes/kops': 'squash', kubernetes: { kops: 'rebase' } }, 'kubernetes', 'kops', 'main', 'squash'],
    ['org/repo over org', { 'kubernetes/kops': 'squash', kubernetes: 'rebase' }, 'kubernetes', 'kops', 'main', 'squash'],
  ])('%s', (_name, raw, org, repo, branch, expected) => {
    expect(configuredMergeMethod(mergeMethods(raw), org, repo, branch)).toBe(expected);
  });

  it("reads Kubernetes' real merge_method", async () => {
    const config = await loadKubernetesConfig();
    expect(configuredMergeMethod(config.tide?.merge_method, 'kubernetes-sigs', 'kueue', 'main')).toBe('squash');
    expect(configuredMergeMethod(config.tide?.merge_method, 'kubernetes-sigs', 'kro', 'main')).toBe('rebase');
    expect(configuredMergeMethod(config.tide?.merge_method, 'kubernetes', 'kubernetes', 'master')).toBe('merge');
  });

  it('refuses merge_method entries Prow cannot read, naming the key', () => {
    const issues = (raw: Record<string, unknown>): string[] => {
      const r = prowConfigFileSchema.safeParse({ tide: { merge_method: raw } });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ 'o/r': { main: 'squash' } })).toEqual(['tide.merge_method.o/r: must be one of merge, squash, rebase']);
    expect(issues({ o: 'fast-forward' })).toEqual(['tide.merge_method.o: must be one of merge, squash, rebase, or a map of repos']);
    expect(issues({ o: { r: { 'rel(': 'squash' } } })[0]).toMatch(/^tide\.merge_method\.o\.r\.rel\(: invalid regular expression "rel\("/);
    expect(issues({ o: { r: { main: 'ff' } } })).toEqual(['tide.merge_method.o.r.main: must be one of merge, squash, rebase']);
  });
});

describe('pullMergeMethod', () => {
  let tide: ProwConfig['tide'];
  beforeAll(async () => {
    tide = (await loadKubernetesConfig()).tide;
  });
  const pull = (labels: string[], repo = 'kueue'): { org: string; repo: string; baseRef: string; labels: string[] } => ({ org: 'kubernetes-sigs', repo, baseRef: 'main', labels });

  it('takes the configured method unless a merge-method label overrides it', () => {
    expect(pullMergeMethod(tide, pull(['lgtm']))).toEqual({ method: 'squash' });
    expect(pullMergeMethod(tide, pull(['lgtm', 'tide/merge-method-rebase']))).toEqual({ method: 'rebase' });
    expect(pullMergeMethod(tide, pull(['tide/merge-method-merge']))).toEqual({ method: 'merge' });
    expect(pullMergeMethod(tide, pull(['tide/merge-method-squash'], 'cluster-api'))).toEqual({ method: 'squash' });
  });

  it('gives no method when two override labels conflict', () => {
    expect(pullMergeMethod(tide, pull(['tide/merge-method-merge', 'tide/merge-method-squash']))).toEqual({
      conflict: ['tide/merge-method-squash', 'tide/merge-method-merge'],
    });
  });

  it('ignores labels that are not configured', () => {
    expect(pullMergeMethod({}, pull(['tide/merge-method-rebase']))).toEqual({ method: 'merge' });
  });
});
