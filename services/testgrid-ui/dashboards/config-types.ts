/** A TestGrid column_header entry: an extra header row from the build's metadata. */
export interface ColumnHeader {
  label?: string | undefined;
  property?: string | undefined;
  configuration_value?: string | undefined;
}

/** One job's history, as TestGrid's TestGroup proto names it. */
export interface TestGroup {
  name: string;
  /** `bucket/path` (or gs://, s3://, a local directory) holding one directory per build. */
  gcs_prefix: string;
  days_of_results: number;
  num_columns_recent: number;
  num_failures_to_alert: number;
  alert_stale_results_hours: number;
  num_passes_to_disable_alert: number;
  ignore_pending: boolean;
  ignore_skip: boolean;
  disable_prowjob_analysis: boolean;
  column_header: ColumnHeader[];
  /** Hours a build may run before its Overall row is a timeout (TestGrid: 24). */
  max_test_runtime_hours: number;
}

/** A URL template (open_test_template, results_url_template ...). */
export interface LinkTemplate {
  url: string;
  options?: { key: string; value: string }[] | undefined;
}

/** A tab's alerting, as TestGrid's AlertOptions. */
export interface AlertOptions {
  alert_stale_results_hours?: number | undefined;
  num_failures_to_alert?: number | undefined;
  num_passes_to_disable_alert?: number | undefined;
  alert_mail_to_addresses?: string | undefined;
  subject?: string | undefined;
  debug_url?: string | undefined;
  debug_message?: string | undefined;
  wait_minutes_between_emails?: number | undefined;
  alert_mail_failure_message?: string | undefined;
}

/** One tab of a dashboard: a view of a test group. */
export interface DashboardTab {
  name: string;
  test_group_name: string;
  description: string;
  /** URL fragment options applied by default, e.g. `include-filter-by-regex=Kubectl`. */
  base_options: string;
  num_columns_recent?: number | undefined;
  alert_options?: AlertOptions | undefined;
  open_test_template?: LinkTemplate | undefined;
  results_url_template?: LinkTemplate | undefined;
  code_search_url_template?: LinkTemplate | undefined;
  file_bug_template?: LinkTemplate | undefined;
  status_customization_options?: { max_acceptable_flakiness?: number | undefined; min_acceptable_runs?: number | undefined } | undefined;
  /** A recent column with more failing cells than this fraction makes the tab BROKEN. */
  broken_column_threshold?: number | undefined;
  health_analysis_options?: { enable?: boolean | undefined; days_of_analysis?: number | undefined } | undefined;
}

/** A dashboard: tabs, one per test group view. */
export interface Dashboard {
  name: string;
  dashboard_tab: DashboardTab[];
  description: string;
  default_tab?: string | undefined;
  downplay_failing_tabs: boolean;
  highlight_today: boolean;
}

/** A group of dashboards shown together. */
export interface DashboardGroup {
  name: string;
  dashboard_names: string[];
  description: string;
}

/** TestGrid's Configuration: test groups, dashboards and dashboard groups. */
export interface Configuration {
  test_groups: TestGroup[];
  dashboards: Dashboard[];
  dashboard_groups: DashboardGroup[];
}

/**
 * The defaults a test group gets for what it leaves out: Kubernetes' testgrids/default.yaml, which
 * test-infra's configurator applies to Prow jobs (days_of_results 15, num_columns_recent 10,
 * num_failures_to_alert 3, num_passes_to_disable_alert 1, alert_stale_results_hours 0).
 */
export const testGroupDefaults: Omit<TestGroup, 'name' | 'gcs_prefix'> = {
  days_of_results: 15,
  num_columns_recent: 10,
  num_failures_to_alert: 3,
  alert_stale_results_hours: 0,
  num_passes_to_disable_alert: 1,
  ignore_pending: false,
  ignore_skip: false,
  disable_prowjob_analysis: false,
  column_header: [{ configuration_value: 'Commit' }],
  max_test_runtime_hours: 24,
};
