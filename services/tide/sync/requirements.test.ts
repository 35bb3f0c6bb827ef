import { beforeAll, describe, expect, it } from 'vitest';
import type { Presubmit, ProwConfig } from '../../../lib/config/index.ts';
import { newBatchJob, newPresubmitJob, refsForPullRequest, type ProwJob, type ProwJobState } from '../../../lib/jobs/index.ts';
import { loadKubernetesConfig, pullRequest } from '../../../test/helpers/kubernetes-prowjobs.ts';
import type { TideContext } from '../pull.ts';
import { baseShaFromDescription, contextPassedOnBase, requiredPresubmits, resultsOnBase, simpleState } from './requirements.ts';
import { widgetsConfig } from './testing/widgets-config.ts';

const files = (...names: string[]) => () => Promise.resolve(names);
const never = () => Promise.reject(new Error('the changed files were not needed'));
const names = (jobs: readonly { name: string }[]): string[] => jobs.map((j) => j.name).sort();

const base = 'a'.repeat(40);
const oldBase = 'c'.repeat(40);
const head = 'b'.repeat(40);
const pull = { org: 'acme', repo: 'widgets', number: 7, headSha: head, baseRef: 'main', contexts: [] as TideContext[] };

/** How crier describes a context it reports with the base it ran on: padded with U+2001 so the SHA is hidden. */
const describedWithBase = (text: string, sha: string): string => `${text.padEnd(140 - 49, '\u2001')} BaseSHA:${sha}`;

describe('requiredPresubmits, on acme/widgets', () => {
  let config: ProwConfig;
  beforeAll(async () => {
    config = await widgetsConfig();
  });

  it('requires the reported jobs that run on the change, and run_before_merge jobs whatever the files', async () => {
    expect(names(await requiredPresubmits(config, pull, files('main.go')))).toEqual(['e2e', 'gate', 'unit']);
    expect(names(await requiredPresubmits(config, pull, files('docs/guide.md')))).toEqual(['docs', 'gate', 'unit']);
    expect(names(await requiredPresubmits(config, pull, files('docs/guide.go')))).toEqual(['docs', 'e2e', 'gate', 'unit']);
    expect(names(await requiredPresubmits(config, { ...pull, baseRef: 'release-1.0' }, files('README.md')))).toEqual(['gate', 'release-only', 'unit']);
  });

  it('reads no files when no file filter asks', async () => {
    const config = await loadKubernetesConfig();
    const etcd = { org: 'etcd-io', repo: 'etcd-operator', baseRef: 'main' };
    expect(names(await requiredPresubmits(config, etcd, never))).toEqual(names((config.presubmits['etcd-io/etcd-operator'] ?? []).filter((j) => j.always_run && !j.optional)));
    expect(await requiredPresubmits(config, { ...etcd, baseRef: 'release-0.1' }, never)).toEqual([]);
  });
});

describe('a context that passed on the current base', () => {
  it("reads the base SHA crier appends, behind its padding, as Prow's BaseSHAFromContextDescription", () => {
    expect(baseShaFromDescription(describedWithBase('Job succeeded.', base))).toBe(base);
    expect(baseShaFromDescription('Job succeeded.')).toBeUndefined();
    expect(baseShaFromDescription(`a BaseSHA:${base} BaseSHA:${base}`)).toBeUndefined();
  });

  it('counts when it succeeded on this base, or is sticky for its head', () => {
    const passed = (description: string, state: TideContext['state'] = 'success') => contextPassedOnBase({ context: 'unit', state, description }, base);
    expect(passed(describedWithBase('Job succeeded.', base))).toBe(true);
    expect(passed(describedWithBase('Job succeeded.', oldBase))).toBe(false);
    expect(passed(describedWithBase('Job failed.', base), 'failure')).toBe(false);
    expect(passed('Overridden by alice [prow:skip-retest]')).toBe(true);
    expect(passed('Job succeeded.')).toBe(false);
  });
});

describe('resultsOnBase', () => {
  let config: ProwConfig;
  beforeAll(async () => {
    config = await widgetsConfig();
  });

  const presubmit = (name: string): Presubmit => {
    const job = (config.presubmits['acme/widgets'] ?? []).find((j) => j.name === name);
    if (job === undefined) throw new Error(`no job ${name}`);
    return job;
  };
  const refs = (baseSha: string, sha: string) => {
    const pr = pullRequest('acme', 'widgets', 7);
    return refsForPullRequest({ ...pr, head: { sha, ref: 'fix' }, base: { ...pr.base, ref: 'main' } }, baseSha);
  };
  /** A ProwJob of widgets' `name` on PR 7 (head `sha`) against `baseSha`, in `state`. */
  const run = (name: string, state: ProwJobState, baseSha = base, sha = head): ProwJob => {
    const pj = newPresubmitJob(presubmit(name), refs(baseSha, sha));
    return { ...pj, status: { ...pj.status, state } };
  };
  const required = () => ['unit', 'e2e', 'gate'].map(presubmit);

  it("takes each required job's best run against this base and head", () => {
    const jobs = [run('unit', 'failure'), run('unit', 'success'), run('e2e', 'pending'), run('gate', 'failure')];
    expect(resultsOnBase(required(), pull, base, jobs)).toEqual({ state: 'missing', missing: ['gate'], pending: ['e2e'] });
    expect(resultsOnBase(required(), pull, base, [...jobs, run('gate', 'triggered')])).toEqual({ state: 'pending', missing: [], pending: ['e2e', 'gate'] });
  });

  it('ignores runs on another base, on an older head, or as batches', () => {
    const batch = newBatchJob(presubmit('gate'), refs(base, head));
    const jobs = [run('unit', 'success', oldBase), run('e2e', 'success', base, 'd'.repeat(40)), { ...batch, status: { ...batch.status, state: 'success' as const } }];
    expect(resultsOnBase(required(), pull, base, jobs)).toEqual({ state: 'missing', missing: ['unit', 'e2e', 'gate'], pending: [] });
  });

  it('counts head contexts that passed on this base though their jobs are gone', () => {
    const contexts: TideContext[] = [
      { context: 'unit', state: 'success', description: describedWithBase('Job succeeded.', base) },
      { context: 'e2e', state: 'success', description: describedWithBase('Job succeeded.', oldBase) },
      { context: 'gate', state: 'success', description: 'Overridden by alice [prow:skip-retest]' },
    ];
    expect(resultsOnBase(required(), { ...pull, contexts }, base, [run('e2e', 'success')])).toEqual({ state: 'success', missing: [], pending: [] });
  });

  it("reads job states as Tide's three", () => {
    expect((['scheduling', 'triggered', 'pending', 'success', 'failure', 'aborted', 'error'] as const).map(simpleState)).toEqual([
      'pending',
      'pending',
      'pending',
      'success',
      'failure',
      'failure',
      'failure',
    ]);
  });
});
