import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfigOrThrow } from '../../../lib/config/index.ts';
import { parseDashboardsConfig } from './dashboards-config.ts';
import { configFromProwJobs } from './prow-annotations.ts';

const container = { containers: [{ image: 'golang:1.22', command: ['go', 'test', './...'] }] };
const prowConfig = {
  prowjob_namespace: 'prow',
  pod_namespace: 'test-pods',
  plank: {
    default_decoration_config_entries: [
      {
        config: {
          timeout: '1h',
          grace_period: '15s',
          utility_images: { clonerefs: 'c:v1', initupload: 'i:v1', entrypoint: 'e:v1', sidecar: 's:v1' },
          gcs_configuration: { bucket: 'gs://prow-artifacts', path_strategy: 'explicit', path_prefix: 'acme' },
        },
      },
    ],
  },
  presubmits: {
    'acme/widgets': [
      { name: 'pull-widgets-unit', decorate: true, always_run: true, spec: container },
      {
        name: 'pull-widgets-e2e',
        decorate: true,
        always_run: true,
        spec: container,
        annotations: { 'testgrid-dashboards': 'acme-widgets-presubmits, acme-widgets', 'testgrid-tab-name': 'e2e', 'testgrid-alert-email': 'widgets@acme.dev' },
      },
    ],
  },
  postsubmits: {
    'acme/widgets': [
      {
        name: 'post-widgets-unit',
        decorate: true,
        spec: container,
        annotations: { 'testgrid-dashboards': 'acme-widgets', 'testgrid-num-failures-to-alert': '5', 'testgrid-days-of-results': '30', description: 'unit tests after merge' },
      },
    ],
  },
  periodics: [
    { name: 'ci-widgets-nightly', interval: '24h', decorate: true, spec: container, extra_refs: [{ org: 'acme', repo: 'widgets', base_ref: 'main' }] },
    { name: 'ci-widgets-hidden', interval: '24h', decorate: true, spec: container, annotations: { 'testgrid-create-test-group': 'false' }, extra_refs: [{ org: 'acme', repo: 'widgets', base_ref: 'main' }] },
    { name: 'ci-widgets-bad', interval: '24h', decorate: true, spec: container, annotations: { 'testgrid-num-failures-to-alert': 'lots' }, extra_refs: [{ org: 'acme', repo: 'widgets', base_ref: 'main' }] },
  ],
};

async function loadProw() {
  const dir = await mkdtemp(join(tmpdir(), 'testgrid-prow-'));
  try {
    await writeFile(join(dir, 'config.yaml'), stringify(prowConfig));
    return (await loadConfigOrThrow({ configPath: join(dir, 'config.yaml') })).config;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('configFromProwJobs', () => {
  it("makes test groups and tabs from Prow's annotations with TestGrid's defaults and Prow's layout", async () => {
    const prow = await loadProw();
    const base = parseDashboardsConfig('testgrid.yaml', 'dashboards:\n  - name: acme-widgets\n    description: everything widgets\n').config;
    if (base === undefined) throw new Error('base did not parse');
    const { config, issues } = configFromProwJobs(prow, base);

    expect(issues).toEqual(['periodic ci-widgets-bad: annotation testgrid-num-failures-to-alert: "lots" is not a number of 0 or more; fix or remove it']);
    expect(config.test_groups.map((g) => [g.name, g.gcs_prefix, g.days_of_results, g.num_failures_to_alert])).toEqual([
      ['pull-widgets-e2e', 'prow-artifacts/acme/pr-logs/directory/pull-widgets-e2e', 15, 3],
      ['post-widgets-unit', 'prow-artifacts/acme/logs/post-widgets-unit', 30, 5],
      ['ci-widgets-nightly', 'prow-artifacts/acme/logs/ci-widgets-nightly', 15, 3],
      ['ci-widgets-bad', 'prow-artifacts/acme/logs/ci-widgets-bad', 15, 3],
    ]);
    expect(config.dashboards.map((d) => [d.name, d.description, d.dashboard_tab.map((t) => [t.name, t.test_group_name, t.description, t.alert_options])])).toEqual([
      [
        'acme-widgets',
        'everything widgets',
        [
          ['e2e', 'pull-widgets-e2e', 'pull-widgets-e2e', undefined],
          ['post-widgets-unit', 'post-widgets-unit', 'unit tests after merge', { num_failures_to_alert: 5 }],
        ],
      ],
      ['acme-widgets-presubmits', '', [['e2e', 'pull-widgets-e2e', 'pull-widgets-e2e', { alert_mail_to_addresses: 'widgets@acme.dev' }]]],
    ]);
  });

  it('keeps a test group the file defines over the one the annotations would make', async () => {
    const prow = await loadProw();
    const base = parseDashboardsConfig('testgrid.yaml', 'test_groups:\n  - name: ci-widgets-nightly\n    gcs_prefix: other-bucket/logs/nightly\n').config;
    if (base === undefined) throw new Error('base did not parse');
    expect(configFromProwJobs(prow, base).config.test_groups.find((g) => g.name === 'ci-widgets-nightly')?.gcs_prefix).toBe('other-bucket/logs/nightly');
  });
});
