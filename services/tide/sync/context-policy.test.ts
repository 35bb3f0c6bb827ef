import { beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../../lib/config/index.ts';
import { loadKubernetesConfig } from '../../../test/helpers/kubernetes-prowjobs.ts';
import type { TideContext } from '../pull.ts';
import {
  branchRequirements,
  contextOptionsFor,
  contextPolicyConflicts,
  contextPolicyFor,
  isOptionalContext,
  missingRequiredContexts,
  unsuccessfulContexts,
  type ContextPolicy,
} from './context-policy.ts';
import { configFromYaml } from './testing/config-from-yaml.ts';
import { widgetsConfig } from './testing/widgets-config.ts';

const sorted = (set: ReadonlySet<string>): string[] => [...set].sort();
const ctx = (context: string, state: TideContext['state']): TideContext => ({ context, state, description: '' });

describe('contextPolicyFor, on acme/widgets', () => {
  let config: ProwConfig;
  beforeAll(async () => {
    config = await widgetsConfig();
  });

  it('merges context_options down to the branch and adds what the presubmits that can run there require', () => {
    const main = contextPolicyFor(config, 'acme', 'widgets', 'main');
    expect(sorted(main.required)).toEqual(['external-ci', 'unit']);
    // Jobs that run only on some changes or on request cannot be required: their contexts may never appear.
    expect(sorted(main.requiredIfPresent)).toEqual(['docs', 'e2e', 'manual']);
    expect(sorted(main.optional)).toEqual(['deploy/netlify', 'gate', 'lint', 'quiet']);
    expect(main.optionalRegexps.map(String)).toEqual(['/^coverage\\//']);
    expect(main.skipUnknown).toBe(true);

    const release = contextPolicyFor(config, 'acme', 'widgets', 'release-1.0');
    expect(sorted(release.required)).toEqual(['external-ci', 'release-only', 'unit']);
    expect(release.optionalRegexps).toEqual([]);
    expect(release.skipUnknown).toBe(false);

    const otherRepo = contextPolicyFor(config, 'acme', 'gadgets', 'main');
    expect([sorted(otherRepo.required), sorted(otherRepo.optional)]).toEqual([['external-ci'], ['deploy/netlify']]);
  });

  it('decides which contexts may fail or be missing', () => {
    const main = contextPolicyFor(config, 'acme', 'widgets', 'main');
    expect(['lint', 'deploy/netlify', 'coverage/unit', 'somebody-elses-ci'].filter((c) => isOptionalContext(main, c))).toEqual([
      'lint',
      'deploy/netlify',
      'coverage/unit',
      'somebody-elses-ci',
    ]);
    expect(['unit', 'external-ci', 'docs', 'manual'].some((c) => isOptionalContext(main, c))).toBe(false);
    // Without skip-unknown-contexts, a context nobody configured counts when present.
    expect(isOptionalContext(contextPolicyFor(config, 'acme', 'widgets', 'release-1.0'), 'somebody-elses-ci')).toBe(false);
    expect(missingRequiredContexts(main, ['unit', 'docs'])).toEqual(['external-ci']);
  });

  it('lists the contexts that keep a PR out: failed, pending, then required and missing; never tide itself', () => {
    const release = contextPolicyFor(config, 'acme', 'widgets', 'release-1.0');
    const contexts = [ctx('tide', 'pending'), ctx('unit', 'success'), ctx('docs', 'failure'), ctx('lint', 'failure'), ctx('e2e', 'pending'), ctx('somebody-elses-ci', 'failure')];
    expect(unsuccessfulContexts(release, contexts)).toEqual([
      { context: 'docs', state: 'failure' },
      { context: 'e2e', state: 'pending' },
      { context: 'somebody-elses-ci', state: 'failure' },
      { context: 'external-ci', state: 'missing' },
      { context: 'release-only', state: 'missing' },
    ]);
  });
});

describe('contextOptionsFor', () => {
  it('adds lists up level by level and lets the deepest flag win', async () => {
    const config = await configFromYaml(`
tide:
  context_options:
    skip-unknown-contexts: true
    required-contexts: [a]
    orgs:
      o:
        skip-unknown-contexts: false
        required-contexts: [b]
        repos:
          r:
            from-branch-protection: true
            optional-contexts: [c]
            branches:
              dev:
                skip-unknown-contexts: true
                required-if-present-contexts: [d]
`);
    expect(contextOptionsFor(config.tide, 'o', 'r', 'dev')).toEqual({
      'skip-unknown-contexts': true,
      'from-branch-protection': true,
      'required-contexts': ['a', 'b'],
      'optional-contexts': ['c'],
      'required-if-present-contexts': ['d'],
    });
    expect(contextOptionsFor(config.tide, 'o', 'r', 'main')['skip-unknown-contexts']).toBe(false);
    // A branch entry applies only under its repo, a repo entry only under its org.
    expect(contextOptionsFor(config.tide, 'x', 'r', 'dev')).toEqual({ 'skip-unknown-contexts': true, 'required-contexts': ['a'] });
  });
});

describe('contextPolicyConflicts', () => {
  it("names contexts defined in two incompatible ways, in Prow's words", () => {
    const policy: ContextPolicy = {
      required: new Set(['a', 'b', 'coverage/x']),
      requiredIfPresent: new Set(['b', 'c']),
      optional: new Set(['a', 'c']),
      optionalRegexps: [/^coverage\//],
      skipUnknown: false,
    };
    expect(contextPolicyConflicts(policy)).toEqual([
      'contexts a are defined as required and optional',
      'contexts b are defined as required and required if present',
      'contexts c are defined as optional and required if present',
      'contexts coverage/x are defined as required and matched by an optional regexp',
    ]);
    expect(contextPolicyConflicts({ ...policy, required: new Set(), requiredIfPresent: new Set(), optional: new Set() })).toEqual([]);
  });
});

describe("Kubernetes' own configuration", () => {
  let config: ProwConfig;
  beforeAll(async () => {
    config = await loadKubernetesConfig();
  });

  it("treats kueue's Netlify checks as optional, and no other repo's", () => {
    const kueue = contextPolicyFor(config, 'kubernetes-sigs', 'kueue', 'main');
    expect(['deploy/netlify', 'Header rules', 'Pages changed', 'Redirect rules'].every((c) => isOptionalContext(kueue, c))).toBe(true);
    expect(isOptionalContext(contextPolicyFor(config, 'kubernetes-sigs', 'jobset', 'main'), 'deploy/netlify')).toBe(false);
  });

  it("requires etcd-operator's always-run presubmits only on the branches they run on", () => {
    const jobs = config.presubmits['etcd-io/etcd-operator'] ?? [];
    expect(branchRequirements('main', jobs).required).toEqual(expect.arrayContaining(['pull-etcd-operator-test', 'pull-etcd-operator-verify']));
    expect(branchRequirements('release-0.1', jobs).required).not.toContain('pull-etcd-operator-test');
    expect(sorted(contextPolicyFor(config, 'etcd-io', 'etcd-operator', 'main').required)).toEqual(branchRequirements('main', jobs).required.sort());
  });
});
