import { posix } from 'node:path';
import type { Periodic, Postsubmit, Presubmit, ProwConfig } from '../../../lib/config/index.ts';
import { storageBucket } from '../../../lib/storage/index.ts';
import { testGroupDefaults, type Configuration, type Dashboard, type DashboardTab, type TestGroup } from './config-types.ts';

/** The Prow job annotations test-infra's configurator reads. */
export const testgridAnnotations = {
  dashboards: 'testgrid-dashboards',
  tabName: 'testgrid-tab-name',
  alertEmail: 'testgrid-alert-email',
  description: 'description',
  numColumnsRecent: 'testgrid-num-columns-recent',
  numFailuresToAlert: 'testgrid-num-failures-to-alert',
  alertStaleResultsHours: 'testgrid-alert-stale-results-hours',
  daysOfResults: 'testgrid-days-of-results',
  createTestGroup: 'testgrid-create-test-group',
  disableProwjobAnalysis: 'testgrid-disable-prowjob-analysis',
  baseOptions: 'testgrid-base-options',
  brokenColumnThreshold: 'testgrid-broken-column-threshold',
} as const;

type JobType = 'presubmit' | 'postsubmit' | 'periodic';
type Job = Presubmit | Postsubmit | Periodic;

/**
 * Where TestGrid finds a job's builds, as the configurator derives it: the job's (defaulted)
 * gcs_configuration bucket and path_prefix, then `logs/<job>` for postsubmits and periodics or
 * `pr-logs/directory/<job>` (Prow's symlinks) for presubmits. A bucket with another scheme than gs keeps it.
 */
export function gcsPrefixFor(job: Job, type: JobType): string | undefined {
  const gcs = job.decoration_config?.gcs_configuration;
  if (gcs?.bucket === undefined || gcs.bucket === '') return undefined;
  const { provider, bucketPath } = storageBucket(gcs.bucket);
  const path = posix.join(bucketPath, gcs.path_prefix ?? '', type === 'presubmit' ? 'pr-logs/directory' : 'logs', job.name);
  return provider === 'gs' ? path : `${provider}://${path}`;
}

/**
 * Adds the test groups and tabs Prow's job annotations ask for to `base`, as test-infra's configurator:
 * every postsubmit and periodic gets a test group named after it (unless `testgrid-create-test-group:
 * "false"`); a presubmit only with `testgrid-create-test-group: "true"` or `testgrid-dashboards`. Each
 * dashboard `testgrid-dashboards` names gets a tab (created when the file has no such dashboard); the alert
 * email goes on the first one only. Groups and tabs already in `base` win. Problems come back as lines.
 */
export function configFromProwJobs(prow: Pick<ProwConfig, 'presubmits' | 'postsubmits' | 'periodics'>, base: Configuration): { config: Configuration; issues: string[] } {
  const issues: string[] = [];
  const groups = new Map(base.test_groups.map((g) => [g.name, g]));
  const dashboards = new Map<string, Dashboard>(base.dashboards.map((d) => [d.name, { ...d, dashboard_tab: [...d.dashboard_tab] }]));
  const jobs: [Job, JobType][] = [
    ...Object.values(prow.presubmits).flat().map((j): [Job, JobType] => [j, 'presubmit']),
    ...Object.values(prow.postsubmits).flat().map((j): [Job, JobType] => [j, 'postsubmit']),
    ...prow.periodics.map((j): [Job, JobType] => [j, 'periodic']),
  ];
  for (const [job, type] of jobs) {
    const ann = job.annotations ?? {};
    const number = (key: string, max = Infinity): number | undefined => {
      const raw = ann[key];
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) {
        issues.push(`${type} ${job.name}: annotation ${key}: "${raw}" is not a number${max === 1 ? ' between 0 and 1' : ' of 0 or more'}; fix or remove it`);
        return undefined;
      }
      return n;
    };
    const create = ann[testgridAnnotations.createTestGroup];
    const listed = ann[testgridAnnotations.dashboards];
    if (create !== undefined && create !== 'true' && create !== 'false') issues.push(`${type} ${job.name}: annotation ${testgridAnnotations.createTestGroup} must be "true" or "false", not "${create}"`);
    const makeGroup = (create === 'true' || listed !== undefined || type !== 'presubmit') && create !== 'false';
    const daysOfResults = number(testgridAnnotations.daysOfResults);
    const numFailures = number(testgridAnnotations.numFailuresToAlert);
    const staleHours = number(testgridAnnotations.alertStaleResultsHours);
    const recent = number(testgridAnnotations.numColumnsRecent);
    const broken = number(testgridAnnotations.brokenColumnThreshold, 1);
    if (makeGroup && !groups.has(job.name)) {
      const gcsPrefix = gcsPrefixFor(job, type);
      if (gcsPrefix === undefined) {
        issues.push(`${type} ${job.name}: no decoration_config.gcs_configuration.bucket, so TestGrid cannot find its results; decorate it or set plank's default bucket`);
        continue;
      }
      const group: TestGroup = { ...testGroupDefaults, name: job.name, gcs_prefix: gcsPrefix };
      if (daysOfResults !== undefined) group.days_of_results = daysOfResults;
      if (numFailures !== undefined) group.num_failures_to_alert = numFailures;
      if (staleHours !== undefined) group.alert_stale_results_hours = staleHours;
      if (recent !== undefined) group.num_columns_recent = recent;
      if (ann[testgridAnnotations.disableProwjobAnalysis] === 'true') group.disable_prowjob_analysis = true;
      groups.set(job.name, group);
    }
    if (listed === undefined) continue;
    const names = listed.split(',').map((d) => d.trim()).filter((d) => d !== '');
    names.forEach((dashboardName, i) => {
      let dashboard = dashboards.get(dashboardName);
      if (dashboard === undefined) {
        dashboard = { name: dashboardName, dashboard_tab: [], description: '', downplay_failing_tabs: false, highlight_today: false };
        dashboards.set(dashboardName, dashboard);
      }
      const tabName = ann[testgridAnnotations.tabName] ?? job.name;
      if (dashboard.dashboard_tab.some((t) => t.name === tabName)) return;
      const tab: DashboardTab = { name: tabName, test_group_name: job.name, description: ann[testgridAnnotations.description] ?? job.name, base_options: ann[testgridAnnotations.baseOptions] ?? '' };
      const alert: NonNullable<DashboardTab['alert_options']> = {};
      const email = ann[testgridAnnotations.alertEmail];
      if (email !== undefined && i === 0) alert.alert_mail_to_addresses = email;
      if (numFailures !== undefined) alert.num_failures_to_alert = numFailures;
      if (staleHours !== undefined) alert.alert_stale_results_hours = staleHours;
      if (Object.keys(alert).length > 0) tab.alert_options = alert;
      if (recent !== undefined) tab.num_columns_recent = recent;
      if (broken !== undefined) tab.broken_column_threshold = broken;
      dashboard.dashboard_tab.push(tab);
    });
  }
  return { config: { test_groups: [...groups.values()], dashboards: [...dashboards.values()], dashboard_groups: base.dashboard_groups }, issues };
}
