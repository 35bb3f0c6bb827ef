import { pluginConfigKeyPaths, prowConfigKeyPaths } from './documented-keys.ts';
import { buildKeyTree, type KeyTree } from './key-tree.ts';

/**
 * Keys Prow reads that its generated documentation leaves out (fields whose Go types the generator skips, and
 * the job config that is inlined into config.yaml). Found by loading Kubernetes' own config and Prow's jobs.go.
 */
const prowUndocumented = [
  'deck.spyglass.size_limit',
  'deck.spyglass.lenses[].lens.config.**',
  'decorate_all_jobs',
  // Job fields Prow has and prow-ts does not run; they are warned about, never silently dropped.
  ...['presubmits.*[]', 'postsubmits.*[]', 'periodics[]'].flatMap((job) =>
    ['jenkins_spec.**', 'pipeline_run_spec.**', 'tekton_pipeline_run_spec.**', 'prowjob_defaults.**'].map((k) => `${job}.${k}`),
  ),
];

/** Keys prow-ts adds to Prow's config.yaml (documented in README); Prow itself would refuse them. */
const prowTsExtensions = ['tide.merge_queue', ...['landing', 'min_window', 'max_window', 'ci_budget', 'speculation_threshold'].map((k) => `tide.merge_queue.${k}`)];

const pluginUndocumented = [
  'size.s',
  'size.m',
  'size.l',
  'size.xl',
  'size.xxl',
  'blunderbuss.max_request_count',
  'project_config.project_org_configs.*.org_maintainers_team_id',
  'project_config.project_org_configs.*.project_repo_configs.*.repo_maintainers_team_id',
];

/** Every key Prow knows in config.yaml and job config files. */
export const prowConfigKeys: KeyTree = buildKeyTree([...prowConfigKeyPaths, ...prowUndocumented, ...prowTsExtensions]);

/** Every key Prow knows in plugins.yaml. */
export const pluginConfigKeys: KeyTree = buildKeyTree([...pluginConfigKeyPaths, ...pluginUndocumented]);

const jobFileKeys = new Set(['presubmits', 'postsubmits', 'periodics', 'presets', 'prow_ignored']);

/** The keys Prow reads from a job-config file: the job part of config.yaml only. */
export const jobConfigKeys: KeyTree = {
  open: false,
  children: new Map([...prowConfigKeys.children].filter(([key]) => jobFileKeys.has(key))),
};
