import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from './config-issue.ts';
import { compileGoRegexp } from './go/go-regexp.ts';
import { loadConfig, loadConfigOrThrow, type LoadResult } from './load-config.ts';
import { pluginsFor, presubmitsFor } from './lookups.ts';
import { isProwError } from '../errors.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/prow-config/', import.meta.url));
const options = {
  configPath: `${fixtures}config.yaml`,
  jobConfigPath: `${fixtures}jobs`,
  pluginConfigPath: `${fixtures}plugins.yaml`,
};

describe("Kubernetes' real Prow configuration", () => {
  let result: LoadResult;
  beforeAll(async () => {
    result = await loadConfig(options);
  });

  it('loads with no errors', () => {
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.files).toHaveLength(3 + 23);
  });

  it('warns exactly about the Prow keys prow-ts does not implement yet', () => {
    const warned = result.warnings.map((w) => `${w.file.slice(fixtures.length)} ${w.path}`).sort();
    expect(warned).toEqual([
      'config.yaml branch-protection',
      'config.yaml deck.google_analytics',
      'config.yaml deck.spyglass',
      'config.yaml slack_reporter_configs',
      'plugins.yaml blockades',
      'plugins.yaml branch_cleaner',
      'plugins.yaml cat',
      'plugins.yaml cherry_pick_approved',
      'plugins.yaml cherry_pick_unapproved',
      'plugins.yaml config_updater',
      'plugins.yaml goose',
      'plugins.yaml heart',
      'plugins.yaml milestone_applier',
      'plugins.yaml project_config',
      'plugins.yaml repo_milestone',
      'plugins.yaml require_matching_label',
      'plugins.yaml retitle',
      'plugins.yaml slack',
    ]);
    expect(result.warnings.find((w) => w.path === 'deck.spyglass')).toMatchObject({ line: 68, col: 3, severity: 'warning' });
  });

  it('applies Prow defaults and presets to a real presubmit', () => {
    const job = presubmitsFor(result.config, 'kubernetes/kubernetes').find((j) => j.name === 'pull-kubernetes-kind-dra');
    expect(job).toBeDefined();
    if (!job) return;
    expect(job.context).toBe('pull-kubernetes-kind-dra');
    expect(job.rerun_command).toBe('/test pull-kubernetes-kind-dra');
    expect(job.trigger).toBe('(?m)^/test( | .* )pull-kubernetes-kind-dra,?($|\\s.*)');
    expect(job.optional).toBe(true);
    expect(job.cluster).toBe('eks-prow-build-cluster');
    expect(job.namespace).toBe('test-pods');
    // The job's own timeout wins over plank's default; everything else comes from plank's default entry.
    expect(job.decoration_config?.timeout).toBe('90m');
    expect(job.decoration_config?.grace_period).toBe('15m');
    expect(job.decoration_config?.gcs_configuration?.bucket).toBe('kubernetes-ci-logs');
    const container = (job.spec?.containers as { env: { name: string }[] }[])[0];
    const env = container?.env.map((e) => e.name) ?? [];
    expect(env).toEqual(expect.arrayContaining(['GOOGLE_APPLICATION_CREDENTIALS', 'DOCKER_IN_DOCKER_ENABLED', 'GOPROXY', 'GOTOOLCHAIN']));
    expect(env).not.toContain('AWS_SSH_PRIVATE_KEY_FILE');
  });

  it('keeps a real tide query and a per-repo batch limit', () => {
    const query = result.config.tide?.queries?.find((q) => q.milestone === 'v1.37');
    expect(query).toMatchObject({ repos: ['kubernetes/kubernetes'], includedBranches: ['master', 'release-1.37'] });
    expect(query?.labels).toEqual(['lgtm', 'approved', 'cncf-cla: yes']);
    expect(result.config.tide?.batch_size_limit).toEqual({ 'kubernetes/kubernetes': 15, 'kubernetes/enhancements': -1 });
    expect(result.config.tide?.sync_period).toBe('2m');
  });

  it('merges the org and repo plugin lists for kubernetes/kubernetes', () => {
    expect(pluginsFor(result.plugins, 'kubernetes/kubernetes')).toEqual([
      'approve', 'assign', 'blunderbuss', 'cat', 'cla', 'dog', 'golint', 'goose', 'heart', 'help', 'hold',
      'invalidcommitmsg', 'issue-management', 'label', 'lgtm', 'lifecycle', 'milestoneapplier', 'owners-label',
      'pony', 'retitle', 'shrug', 'sigmention', 'size', 'skip', 'slackevents', 'testfreeze', 'trick-or-treat',
      'trigger', 'verify-owners', 'welcome', 'wip', 'yuks',
      'blockade', 'cherry-pick-approved', 'cherry-pick-unapproved', 'mergecommitblocker', 'milestone',
      'milestonestatus', 'override', 'release-note', 'require-matching-label',
    ]);
    expect(result.plugins.size).toEqual({ s: 10, m: 30, l: 100, xl: 500, xxl: 1000 });
  });

  it('reads periodics from the job directory with their schedules', () => {
    expect(result.config.periodics.length).toBeGreaterThan(0);
    for (const p of result.config.periodics) expect(p.interval ?? p.cron ?? p.minimum_interval).toBeDefined();
    expect(result.config.prowjob_namespace).toBe('default');
  });

  it('gives every presubmit a trigger that matches its own rerun command', () => {
    for (const jobs of Object.values(result.config.presubmits)) {
      for (const job of jobs) expect(compileGoRegexp(job.trigger).test(job.rerun_command)).toBe(true);
    }
  });

  it('the throwing variant returns the same configuration', async () => {
    const again = await loadConfigOrThrow(options);
    expect(Object.keys(again.config.presubmits).sort()).toEqual(Object.keys(result.config.presubmits).sort());
  });

  it('the throwing variant throws PROW_ERR_CONFIG_INVALID for a missing file', async () => {
    const err: unknown = await loadConfigOrThrow({ configPath: `${fixtures}no-such.yaml` }).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain('no-such.yaml: cannot read: file not found');
  });
});
