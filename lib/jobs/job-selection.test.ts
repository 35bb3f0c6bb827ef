import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Postsubmit, type Presubmit, type ProwConfig } from '../config/index.ts';
import { needsExplicitTrigger, postsubmitShouldRun, presubmitShouldRun, presubmitsForComment, triggerMatches } from './job-selection.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/prow-config/', import.meta.url));
let config: ProwConfig;

beforeAll(async () => {
  const loaded = await loadConfig({ configPath: `${fixtures}config.yaml`, jobConfigPath: `${fixtures}jobs`, pluginConfigPath: `${fixtures}plugins.yaml` });
  expect(loaded.errors).toEqual([]);
  config = loaded.config;
});

function presubmit(repo: string, name: string): Presubmit {
  const job = config.presubmits[repo]?.find((j) => j.name === name);
  if (!job) throw new Error(`no presubmit ${name} for ${repo} in the fixture`);
  return job;
}

const files = (...names: string[]) => () => Promise.resolve(names);
const never = () => Promise.reject(new Error('the changed files were not needed'));

describe('presubmitShouldRun, on Kubernetes’ own jobs', () => {
  it('runs a run_if_changed job only when a changed file matches, and not on a skipped branch', async () => {
    const dra = presubmit('kubernetes/kubernetes', 'pull-kubernetes-kind-dra');
    expect(await presubmitShouldRun(dra, 'master', files('pkg/kubelet/cm/dra/manager.go'))).toBe(true);
    expect(await presubmitShouldRun(dra, 'master', files('README.md', 'pkg/api/pod.go'))).toBe(false);
    // skip_branches: release-\d+\.\d+ (unanchored, as Prow's)
    expect(await presubmitShouldRun(dra, 'release-1.33', never, { forced: true })).toBe(false);
    // A command naming it forces it, without looking at the files.
    expect(await presubmitShouldRun(dra, 'master', never, { forced: true })).toBe(true);
  });

  it('runs a skip_if_only_changed job unless every changed file is one it skips', async () => {
    const jobs = config.presubmits['kubernetes-sigs/cloud-provider-azure'] ?? [];
    const job = jobs.find((j) => j.skip_if_only_changed === '^docs/|^site/|^\\.github/|\\.(md|adoc)$|^(README|LICENSE)$');
    if (!job) throw new Error('no skip_if_only_changed job in the fixture');
    const branch = job.branches?.[0]?.replace(/[\^$]/g, '') ?? 'master';
    expect(await presubmitShouldRun(job, branch, files('docs/guide.md', 'README'))).toBe(false);
    expect(await presubmitShouldRun(job, branch, files('docs/guide.md', 'pkg/provider/azure.go'))).toBe(true);
  });

  it('leaves a job with neither always_run nor a file filter to commands, unless asked to run by default', async () => {
    const job = Object.values(config.presubmits).flat().find((j) => needsExplicitTrigger(j) && (j.branches ?? []).length === 0 && (j.skip_branches ?? []).length === 0);
    if (!job) throw new Error('no explicit-trigger job in the fixture');
    expect(await presubmitShouldRun(job, 'main', never)).toBe(false);
    expect(await presubmitShouldRun(job, 'main', never, { runByDefault: true })).toBe(true);
  });
});

describe('commands', () => {
  const base = { agent: 'kubernetes', cluster: 'default', namespace: 'test-pods', decorate: false, optional: false, skip_report: false } as const;
  const job = (name: string, extra: Partial<Presubmit> = {}): Presubmit => ({
    ...base,
    name,
    context: name,
    always_run: false,
    trigger: `(?m)^/test( | .* )${name},?($|\\s.*)`,
    rerun_command: `/test ${name}`,
    ...extra,
  });

  it('matches Prow’s default trigger: the job’s own name, among others or with a comma, and not a longer name', () => {
    const unit = job('unit');
    expect(['/test unit', '/test lint unit', '/test unit,', 'LGTM\n/test unit\nthanks'].map((b) => triggerMatches(unit, b))).toEqual([true, true, true, true]);
    expect(['/test unit-fast', '/testunit', 'please /test unit'].map((b) => triggerMatches(unit, b))).toEqual([false, false, false]);
  });

  it('/test all runs what would run on its own; a named job runs forced; the rest wait', async () => {
    const jobs = [
      job('unit', { always_run: true }),
      job('docs', { run_if_changed: '^docs/' }),
      job('e2e'),
      job('release', { always_run: true, branches: ['^release-'] }),
    ];
    const names = async (body: string, changed: string[]) => (await presubmitsForComment(jobs, body, 'main', files(...changed))).map((j) => j.name);
    expect(await names('/test all', ['docs/a.md'])).toEqual(['unit', 'docs']);
    expect(await names('/test all', ['main.go'])).toEqual(['unit']);
    expect(await names('/test e2e', ['main.go'])).toEqual(['e2e']);
    expect(await names('/test all\n/test e2e', ['main.go'])).toEqual(['unit', 'e2e']);
    expect(await names('/test release', ['main.go'])).toEqual([]);
    expect(await names('/lgtm', ['main.go'])).toEqual([]);
  });
});

describe('postsubmitShouldRun', () => {
  const post = (extra: Partial<Postsubmit>): Postsubmit => ({ name: 'post', agent: 'kubernetes', cluster: 'default', namespace: 'test-pods', decorate: false, context: 'post', skip_report: false, ...extra });

  it('runs unless always_run is false, and as its file filter says when it has one', async () => {
    expect(await postsubmitShouldRun(post({}), 'main', never)).toBe(true);
    expect(await postsubmitShouldRun(post({ always_run: false }), 'main', never)).toBe(false);
    expect(await postsubmitShouldRun(post({ run_if_changed: '^images/' }), 'main', files('images/Dockerfile'))).toBe(true);
    expect(await postsubmitShouldRun(post({ run_if_changed: '^images/' }), 'main', files('main.go'))).toBe(false);
    expect(await postsubmitShouldRun(post({ branches: ['^main$'] }), 'main-old', never)).toBe(false);
  });
});
