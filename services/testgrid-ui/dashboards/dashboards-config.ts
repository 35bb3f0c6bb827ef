import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { compareIssues, formatIssue, type ConfigIssue } from '../../../lib/config/config-issue.ts';
import { buildKeyTree } from '../../../lib/config/keys/key-tree.ts';
import { validateDocument } from '../../../lib/config/validate-document.ts';
import { issueAt, parseYaml, type YamlFile } from '../../../lib/config/yaml-file.ts';
import { ProwError } from '../../../lib/errors.ts';
import { testGroupDefaults, type Configuration, type Dashboard, type DashboardTab, type TestGroup } from './config-types.ts';

const count = z.number().int().nonnegative();
const link = z.strictObject({ url: z.string(), options: z.array(z.strictObject({ key: z.string(), value: z.string() })).optional() });

const testGroupFields = {
  gcs_prefix: z.string().optional(),
  days_of_results: count.optional(),
  num_columns_recent: count.optional(),
  num_failures_to_alert: count.optional(),
  alert_stale_results_hours: count.optional(),
  num_passes_to_disable_alert: count.optional(),
  ignore_pending: z.boolean().optional(),
  ignore_skip: z.boolean().optional(),
  disable_prowjob_analysis: z.boolean().optional(),
  column_header: z.array(z.strictObject({ label: z.string().optional(), property: z.string().optional(), configuration_value: z.string().optional() })).optional(),
  max_test_runtime_hours: count.optional(),
};
const testGroupSchema = z.strictObject({ name: z.string(), ...testGroupFields });

const tabFields = {
  test_group_name: z.string().optional(),
  description: z.string().optional(),
  base_options: z.string().optional(),
  num_columns_recent: count.optional(),
  alert_options: z
    .strictObject({
      alert_stale_results_hours: count.optional(),
      num_failures_to_alert: count.optional(),
      num_passes_to_disable_alert: count.optional(),
      alert_mail_to_addresses: z.string().optional(),
      subject: z.string().optional(),
      debug_url: z.string().optional(),
      debug_message: z.string().optional(),
      wait_minutes_between_emails: count.optional(),
      alert_mail_failure_message: z.string().optional(),
    })
    .optional(),
  open_test_template: link.optional(),
  results_url_template: link.optional(),
  code_search_url_template: link.optional(),
  file_bug_template: link.optional(),
  status_customization_options: z.strictObject({ max_acceptable_flakiness: z.number().min(0).max(100).optional(), min_acceptable_runs: count.optional() }).optional(),
  broken_column_threshold: z.number().min(0).max(1).optional(),
  health_analysis_options: z.strictObject({ enable: z.boolean().optional(), days_of_analysis: count.optional() }).optional(),
};
const tabSchema = z.strictObject({ name: z.string(), ...tabFields });

const fileSchema = z.strictObject({
  default_test_group: z.strictObject(testGroupFields).optional(),
  default_dashboard_tab: z.strictObject(tabFields).optional(),
  test_groups: z.array(testGroupSchema).optional(),
  dashboards: z
    .array(
      z.strictObject({
        name: z.string(),
        dashboard_tab: z.array(tabSchema).optional(),
        description: z.string().optional(),
        default_tab: z.string().optional(),
        downplay_failing_tabs: z.boolean().optional(),
        highlight_today: z.boolean().optional(),
      }),
    )
    .optional(),
  dashboard_groups: z.array(z.strictObject({ name: z.string(), dashboard_names: z.array(z.string()).optional(), description: z.string().optional() })).optional(),
});
type File = z.output<typeof fileSchema>;

// TestGrid keys prow-ts reads past (warned about, not refused).
const testGridKeys = buildKeyTree(
  [
    'test_name_config.**',
    'tests_name_policy',
    'ignore_test_substring',
    'short_text_metric',
    'test_annotations.**',
    'user_property',
    'build_override_configuration_value',
    'build_override_strftime',
    'disable_merged_status',
    'enable_flaky_status',
    'custom_evaluator_rule_set.**',
    'result_source.**',
    'notifications.**',
  ].flatMap((k) => [`test_groups[].${k}`, `default_test_group.${k}`]).concat(
    ['attach_bug_template.**', 'open_bug_template.**', 'context_menu_template.**', 'column_diff_link_templates.**', 'flakiness_alert_options.**', 'beta_autobug_options.**'].flatMap((k) => [
      `dashboards[].dashboard_tab[].${k}`,
      `default_dashboard_tab.${k}`,
    ]),
    ['dashboards[].notifications.**'],
  ),
);

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function check(yaml: YamlFile, file: File): { config: Configuration; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const at = (path: PropertyKey[], message: string): void => {
    issues.push(issueAt(yaml, path, message));
  };
  const groupDefaults = { ...testGroupDefaults, ...strip(file.default_test_group ?? {}) };
  const groups = new Map<string, TestGroup>();
  (file.test_groups ?? []).forEach((g, i) => {
    if (g.name === '') at(['test_groups', i, 'name'], 'must be set: name the test group, usually after its job');
    else if (groups.has(g.name)) at(['test_groups', i, 'name'], `test group "${g.name}" is defined twice; keep one`);
    const gcs = g.gcs_prefix ?? groupDefaults.gcs_prefix;
    if (gcs === undefined || gcs === '') at(['test_groups', i], `test group "${g.name}" needs gcs_prefix: the bucket/path its builds are under, e.g. my-bucket/logs/${g.name || 'my-job'}`);
    groups.set(g.name, { ...groupDefaults, ...strip(g), gcs_prefix: gcs ?? '' } as TestGroup);
  });
  const tabDefaults = strip(file.default_dashboard_tab ?? {});
  const dashboards = new Map<string, Dashboard>();
  (file.dashboards ?? []).forEach((d, i) => {
    if (d.name === '') at(['dashboards', i, 'name'], 'must be set: name the dashboard');
    else if (dashboards.has(d.name)) at(['dashboards', i, 'name'], `dashboard "${d.name}" is defined twice; merge its tabs into one`);
    const tabNames = new Set<string>();
    const tabs: DashboardTab[] = (d.dashboard_tab ?? []).map((t, j) => {
      const merged = { ...tabDefaults, ...strip(t) };
      if (tabNames.has(t.name)) at(['dashboards', i, 'dashboard_tab', j, 'name'], `tab "${t.name}" appears twice in dashboard "${d.name}"; tab names are unique within a dashboard`);
      tabNames.add(t.name);
      const groupName = merged.test_group_name ?? '';
      if (groupName === '') at(['dashboards', i, 'dashboard_tab', j], `tab "${t.name}" needs test_group_name: the test group it shows`);
      else if (!groups.has(groupName)) at(['dashboards', i, 'dashboard_tab', j, 'test_group_name'], `no test group "${groupName}"; define it under test_groups or fix the name`);
      return { ...merged, name: t.name, test_group_name: groupName, description: merged.description ?? '', base_options: merged.base_options ?? '' };
    });
    if (d.default_tab !== undefined && !tabNames.has(d.default_tab)) at(['dashboards', i, 'default_tab'], `no tab "${d.default_tab}" in dashboard "${d.name}"`);
    dashboards.set(d.name, { ...strip(d), name: d.name, dashboard_tab: tabs, description: d.description ?? '', downplay_failing_tabs: d.downplay_failing_tabs ?? false, highlight_today: d.highlight_today ?? false });
  });
  const owner = new Map<string, string>();
  const dashboardGroups = (file.dashboard_groups ?? []).map((g, i) => {
    (g.dashboard_names ?? []).forEach((name, j) => {
      if (!dashboards.has(name)) at(['dashboard_groups', i, 'dashboard_names', j], `no dashboard "${name}"; define it under dashboards`);
      const other = owner.get(name);
      if (other !== undefined) at(['dashboard_groups', i, 'dashboard_names', j], `dashboard "${name}" is already in dashboard group "${other}"; a dashboard belongs to one group`);
      owner.set(name, g.name);
    });
    return { name: g.name, dashboard_names: g.dashboard_names ?? [], description: g.description ?? '' };
  });
  return { config: { test_groups: [...groups.values()], dashboards: [...dashboards.values()], dashboard_groups: dashboardGroups }, issues };
}

/** Parses and checks a TestGrid configuration file's text; `config` is set only when there are no errors. */
export function parseDashboardsConfig(file: string, text: string): { config?: Configuration; issues: ConfigIssue[] } {
  const { yaml, issues } = parseYaml(file, text);
  if (issues.length > 0) return { issues };
  const validated = validateDocument(yaml, fileSchema, testGridKeys);
  if (validated.value === undefined) return { issues: validated.issues };
  const checked = check(yaml, validated.value);
  const all = [...validated.issues, ...checked.issues].sort(compareIssues);
  if (all.some((i) => i.severity === 'error')) return { issues: all };
  return { config: checked.config, issues: all };
}

/** Reads a TestGrid configuration file; throws PROW_ERR_CONFIG_READ or PROW_ERR_CONFIG_INVALID (every issue, with file:line:col). */
export async function loadDashboardsConfig(file: string): Promise<{ config: Configuration; issues: ConfigIssue[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ProwError('PROW_ERR_CONFIG_READ', file, err instanceof Error ? err.message : String(err));
  }
  const { config, issues } = parseDashboardsConfig(file, text);
  if (config === undefined) throw new ProwError('PROW_ERR_CONFIG_INVALID', issues.map(formatIssue).join('\n'));
  return { config, issues };
}
