import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../lib/config/config-issue.ts';
import { isProwError } from '../../../lib/errors.ts';
import { loadDashboardsConfig, parseDashboardsConfig } from './dashboards-config.ts';

const good = `
default_test_group:
  days_of_results: 30
test_groups:
  - name: ci-widgets-unit
    gcs_prefix: prow-artifacts/logs/ci-widgets-unit
    num_failures_to_alert: 2
    test_name_config:
      name_format: '%s'
  - name: pull-widgets-test
    gcs_prefix: prow-artifacts/pr-logs/directory/pull-widgets-test
    days_of_results: 7
dashboards:
  - name: widgets
    default_tab: unit
    dashboard_tab:
      - name: unit
        test_group_name: ci-widgets-unit
        description: Unit tests on main
        base_options: exclude-filter-by-regex=Pod
        alert_options:
          alert_mail_to_addresses: widgets@acme.dev
          num_failures_to_alert: 3
      - name: presubmit
        test_group_name: pull-widgets-test
dashboard_groups:
  - name: acme
    dashboard_names: [widgets]
`;

describe('parseDashboardsConfig', () => {
  it("reads TestGrid's test_groups, dashboards with dashboard_tab, and dashboard_groups, with defaults", () => {
    const { config, issues } = parseDashboardsConfig('testgrid.yaml', good);
    expect(issues.map(formatIssue)).toEqual(['testgrid.yaml:8:5 test_groups[0].test_name_config: Prow key not implemented yet, ignored']);
    expect(config?.test_groups.map((g) => [g.name, g.days_of_results, g.num_failures_to_alert, g.num_passes_to_disable_alert])).toEqual([
      ['ci-widgets-unit', 30, 2, 1],
      ['pull-widgets-test', 7, 3, 1],
    ]);
    expect(config?.dashboards[0]?.dashboard_tab[0]).toMatchObject({ name: 'unit', base_options: 'exclude-filter-by-regex=Pod', alert_options: { num_failures_to_alert: 3 } });
    expect(config?.dashboards[0]?.dashboard_tab[1]).toMatchObject({ name: 'presubmit', description: '', base_options: '' });
    expect(config?.dashboard_groups).toEqual([{ name: 'acme', dashboard_names: ['widgets'], description: '' }]);
  });

  it('names file:line:col for unknown keys, wrong types, missing test groups and duplicates', () => {
    const bad = `test_groups:
  - name: a
    gcs_prefix: b/logs/a
    days_of_result: 3
  - name: a
    gcs_prefix: b/logs/a
    num_failures_to_alert: many
dashboards:
  - name: d
    dashboard_tab:
      - name: t
        test_group_name: nope
dashboard_groups:
  - name: g
    dashboard_names: [d, missing]
`;
    const { config, issues } = parseDashboardsConfig('testgrid.yaml', bad);
    expect(config).toBeUndefined();
    const lines = issues.map(formatIssue);
    expect(lines).toContain('testgrid.yaml:4:5 test_groups[0]: unknown key "days_of_result"');
    expect(lines.some((l) => l.startsWith('testgrid.yaml:7:28 test_groups[1].num_failures_to_alert:'))).toBe(true);
    const second = parseDashboardsConfig('testgrid.yaml', bad.replace('    days_of_result: 3\n', '').replace('num_failures_to_alert: many', 'num_failures_to_alert: 1'));
    expect(second.issues.map(formatIssue)).toEqual([
      'testgrid.yaml:4:11 test_groups[1].name: test group "a" is defined twice; keep one',
      'testgrid.yaml:11:26 dashboards[0].dashboard_tab[0].test_group_name: no test group "nope"; define it under test_groups or fix the name',
      'testgrid.yaml:14:26 dashboard_groups[0].dashboard_names[1]: no dashboard "missing"; define it under dashboards',
    ]);
  });

  it('loads a file, and refuses a bad one with PROW_ERR_CONFIG_INVALID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'testgrid-config-'));
    try {
      await writeFile(join(dir, 'ok.yaml'), good);
      expect((await loadDashboardsConfig(join(dir, 'ok.yaml'))).config.dashboards).toHaveLength(1);
      await writeFile(join(dir, 'bad.yaml'), 'test_groups:\n  - name: x\n');
      const err: unknown = await loadDashboardsConfig(join(dir, 'bad.yaml')).catch((e: unknown) => e);
      expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toContain('bad.yaml:2:5 test_groups[0]: test group "x" needs gcs_prefix');
      expect(isProwError(await loadDashboardsConfig(join(dir, 'none.yaml')).catch((e: unknown) => e), 'PROW_ERR_CONFIG_READ')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
