import { beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../../lib/config/index.ts';
import { contextPolicyFor } from './context-policy.ts';
import { mergeCheck, pullEligibility, type EligibilityInput } from './eligibility.ts';
import { mergeBlocksPolicy } from './merge-blocks-policy.ts';
import { contexts, tidePull } from './testing/tide-pull.ts';
import { widgetsConfig } from './testing/widgets-config.ts';

const everyMethod = { merge: true, squash: true, rebase: true };

describe('mergeCheck', () => {
  let config: ProwConfig;
  beforeAll(async () => {
    config = await widgetsConfig();
  });

  it("refuses in Prow's order, with Tide's words", () => {
    const check = (fields: Parameters<typeof tidePull>[0], repoMethods = everyMethod, tide = config.tide) => mergeCheck(tide, tidePull(fields), repoMethods);
    expect(check({})).toEqual({ allowed: true, method: 'merge' });
    expect(check({ mergeable: 'CONFLICTING', labels: ['tide/merge-method-squash', 'tide/merge-method-merge'] })).toEqual({ allowed: false, reason: 'PR has a merge conflict.' });
    expect(check({ labels: ['tide/merge-method-squash', 'tide/merge-method-merge'] })).toEqual({ allowed: false, reason: 'PR has conflicting merge method override labels' });
    expect(check({ labels: ['tide/merge-method-rebase'], canBeRebased: false })).toEqual({ allowed: false, reason: "PR can't be rebased", method: 'rebase' });
    expect(check({ canBeRebased: false })).toEqual({ allowed: true, method: 'merge' });
    expect(check({ labels: ['tide/merge-method-squash'] }, { ...everyMethod, squash: false })).toEqual({
      allowed: false,
      reason: 'Merge type "squash" disallowed by repo settings',
      method: 'squash',
    });
    expect(mergeCheck(config.tide, tidePull({ labels: ['tide/merge-method-squash'] }))).toEqual({ allowed: true, method: 'squash' });
  });

  it('refuses a PR GitHub reports BLOCKED only under policy block', () => {
    const blocked = tidePull({ mergeStateStatus: 'BLOCKED' });
    const under = (policy: 'ignore' | 'permit' | 'block') => mergeCheck({ ...config.tide, github_merge_blocks_policy: { 'acme/widgets': policy } }, blocked, everyMethod);
    expect(under('block')).toEqual({ allowed: false, reason: 'PR is blocked from merging by GitHub (check branch protection, required reviews, or rulesets)', method: 'merge' });
    expect(under('permit').allowed).toBe(true);
    expect(under('ignore').allowed).toBe(true);
    expect(mergeCheck(config.tide, blocked, everyMethod).allowed).toBe(true);
  });

  it('looks the policy up by repo, then org, then *, then permits', () => {
    const policies = { '*': 'ignore', acme: 'block', 'acme/widgets': 'permit' } as const;
    const tide = { github_merge_blocks_policy: policies };
    expect([mergeBlocksPolicy(tide, 'acme', 'widgets'), mergeBlocksPolicy(tide, 'acme', 'gadgets'), mergeBlocksPolicy(tide, 'other', 'x'), mergeBlocksPolicy({}, 'acme', 'widgets')]).toEqual([
      'permit',
      'block',
      'ignore',
      'permit',
    ]);
  });
});

describe('pullEligibility, on acme/widgets main', () => {
  let input: EligibilityInput;
  beforeAll(async () => {
    const config = await widgetsConfig();
    // unit, e2e and gate are the presubmits Tide requires of this PR; external-ci is required by context_options.
    input = { tide: config.tide, policy: contextPolicyFor(config, 'acme', 'widgets', 'main'), prowContexts: new Set(['unit', 'e2e', 'gate']), repoMethods: everyMethod };
  });
  const judge = (states: Record<string, 'success' | 'pending' | 'failure'>, fields: Parameters<typeof tidePull>[0] = {}) =>
    pullEligibility(tidePull({ contexts: contexts(states), ...fields }), input);

  it('is eligible when every non-optional context passed, or only its own presubmits are still running', () => {
    expect(judge({ 'external-ci': 'success', unit: 'success', e2e: 'success', gate: 'success' })).toEqual({ verdict: 'eligible', mergeMethod: 'merge' });
    expect(judge({ 'external-ci': 'success', unit: 'pending', e2e: 'pending', gate: 'pending', tide: 'pending' }).verdict).toBe('eligible');
    // Optional by name, by regexp, and unknown on a branch that skips unknown contexts.
    expect(judge({ 'external-ci': 'success', unit: 'success', lint: 'failure', 'coverage/unit': 'failure', 'somebody-elses-ci': 'failure' }).verdict).toBe('eligible');
  });

  it('is own-ci-failed when only its own presubmits failed', () => {
    expect(judge({ 'external-ci': 'success', unit: 'failure', e2e: 'pending' })).toEqual({
      verdict: 'own-ci-failed',
      exclusion: { kind: 'contexts', contexts: [{ context: 'unit', state: 'failure' }] },
      mergeMethod: 'merge',
    });
  });

  it('is eligible while its own presubmits have not reported: its train runs them', () => {
    expect(judge({ 'external-ci': 'success' })).toEqual({ verdict: 'eligible', mergeMethod: 'merge' });
  });

  it('is excluded when external CI is not green, or a Prow job it does not require is pending', () => {
    expect(judge({ 'external-ci': 'pending', unit: 'success' })).toEqual({
      verdict: 'excluded',
      exclusion: { kind: 'contexts', contexts: [{ context: 'external-ci', state: 'pending' }] },
      mergeMethod: 'merge',
    });
    expect(judge({ 'external-ci': 'failure', unit: 'failure' }).exclusion).toEqual({
      kind: 'contexts',
      contexts: [
        { context: 'external-ci', state: 'failure' },
        { context: 'unit', state: 'failure' },
      ],
    });
    // docs runs only on docs/ changes: present on this head, it counts, but it is not among this PR's required jobs.
    expect(judge({ 'external-ci': 'success', unit: 'success', docs: 'pending' }).verdict).toBe('excluded');
  });

  it('is excluded, whatever its contexts, when Tide refuses to merge it', () => {
    expect(judge({ 'external-ci': 'success', unit: 'success' }, { mergeable: 'CONFLICTING' })).toEqual({
      verdict: 'excluded',
      exclusion: { kind: 'unmergeable', reason: 'PR has a merge conflict.' },
    });
  });
});
