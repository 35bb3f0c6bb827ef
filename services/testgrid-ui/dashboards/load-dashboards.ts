import { formatIssue, type ProwConfig } from '../../../lib/config/index.ts';
import type { Configuration } from './config-types.ts';
import { loadDashboardsConfig } from './dashboards-config.ts';
import { configFromProwJobs } from './prow-annotations.ts';

/** Where the dashboard's configuration comes from. */
export interface DashboardSources {
  /** A TestGrid configuration file (YAML); none means only what Prow's annotations make. */
  file?: string;
  /** Prow's loaded configuration, whose job annotations add test groups and tabs. */
  prow?: Pick<ProwConfig, 'presubmits' | 'postsubmits' | 'periodics'>;
}

/**
 * The dashboard's configuration: the file (PROW_ERR_CONFIG_INVALID with file:line:col when it is wrong)
 * plus the test groups and tabs Prow's annotations make; `warnings` carries ignored keys and bad annotations.
 */
export async function loadDashboards(sources: DashboardSources): Promise<{ config: Configuration; warnings: string[] }> {
  let config: Configuration = { test_groups: [], dashboards: [], dashboard_groups: [] };
  const warnings: string[] = [];
  if (sources.file !== undefined) {
    const loaded = await loadDashboardsConfig(sources.file);
    config = loaded.config;
    warnings.push(...loaded.issues.map(formatIssue));
  }
  if (sources.prow !== undefined) {
    const derived = configFromProwJobs(sources.prow, config);
    config = derived.config;
    warnings.push(...derived.issues);
  }
  return { config, warnings };
}
