import { z } from 'zod';
import { goRegexpError } from '../go/go-regexp.ts';
import { goDuration, goRegexp, kubeObject, stringList, stringMap } from './common.ts';
import { decorationConfigSchema, jobConfigShape, rerunAuthConfigSchema } from './job.ts';

const plankSchema = z.strictObject({
  job_url_template: z.string().optional(),
  job_url_prefix_config: stringMap.optional(),
  report_template: z.string().optional(),
  report_templates: stringMap.optional(),
  default_decoration_config_entries: z
    .array(z.strictObject({ repo: z.string().optional(), cluster: z.string().optional(), config: decorationConfigSchema.optional() }))
    .optional(),
  default_decoration_configs: z.record(z.string(), decorationConfigSchema).optional(),
  job_queue_capacities: z.record(z.string(), z.number().int()).optional(),
  max_revivals: z.number().int().nonnegative().optional(),
  pod_pending_timeout: goDuration.optional(),
  pod_running_timeout: goDuration.optional(),
  pod_unscheduled_timeout: goDuration.optional(),
});

const sinkerSchema = z.strictObject({
  resync_period: goDuration.optional(),
  max_prowjob_age: goDuration.optional(),
  max_pod_age: goDuration.optional(),
  terminated_pod_ttl: goDuration.optional(),
  exclude_clusters: stringList.optional(),
});

/** One GitHub search Tide runs to find mergeable PRs. */
export const tideQuerySchema = z.strictObject({
  orgs: stringList.optional(),
  repos: stringList.optional(),
  excludedRepos: stringList.optional(),
  author: z.string().optional(),
  labels: stringList.optional(),
  missingLabels: stringList.optional(),
  excludedBranches: stringList.optional(),
  includedBranches: stringList.optional(),
  milestone: z.string().optional(),
  reviewApprovedRequired: z.boolean().optional(),
});
export type TideQuery = z.output<typeof tideQuerySchema>;

const contextPolicy = {
  'skip-unknown-contexts': z.boolean().optional(),
  'required-contexts': stringList.optional(),
  'required-if-present-contexts': stringList.optional(),
  'optional-contexts': stringList.optional(),
  'optional-regex-contexts': z.array(goRegexp).optional(),
  'from-branch-protection': z.boolean().optional(),
  'overwrite-pending-contexts': stringList.optional(),
};
const repoContextPolicy = z.strictObject({ ...contextPolicy, branches: z.record(z.string(), z.strictObject(contextPolicy)).optional() });
const orgContextPolicy = z.strictObject({ ...contextPolicy, repos: z.record(z.string(), repoContextPolicy).optional() });

const mergeMethod = z.enum(['merge', 'squash', 'rebase']);
export type MergeMethod = z.output<typeof mergeMethod>;

/** `merge_method` once checked: org, org/repo or org/repo@branch to a method, or an org to its repos. */
export type MergeMethodConfig = Record<string, MergeMethod | Record<string, MergeMethod | Record<string, MergeMethod>>>;

const methodNames = mergeMethod.options.join(', ');

/**
 * Prow's `merge_method`: `org: method`, `org/repo: method`, `org/repo@branch: method`, or
 * `org: {repo: method | {branch-regex: method}}` (repo `*` stands for every repo of the org; branch keys are
 * Go regexps matched anywhere in the branch name). Checked by hand so each mistake is named at its own key.
 */
const mergeMethodConfig = z.record(z.string(), z.unknown()).superRefine((config, ctx) => {
  const isMethod = (v: unknown): boolean => typeof v === 'string' && (mergeMethod.options as readonly string[]).includes(v);
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const bad = (path: string[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  for (const [key, value] of Object.entries(config)) {
    if (isMethod(value)) continue;
    if (key.includes('/') || !isMap(value)) {
      bad([key], `must be one of ${methodNames}${key.includes('/') ? '' : ', or a map of repos'}`);
      continue;
    }
    for (const [repo, repoValue] of Object.entries(value)) {
      if (isMethod(repoValue)) continue;
      if (!isMap(repoValue)) {
        bad([key, repo], `must be one of ${methodNames}, or a map of branch regexps`);
        continue;
      }
      for (const [branch, method] of Object.entries(repoValue)) {
        const problem = goRegexpError(branch);
        if (problem !== undefined) bad([key, repo, branch], problem);
        else if (!isMethod(method)) bad([key, repo, branch], `must be one of ${methodNames}`);
      }
    }
  }
}).transform((checked) => checked as MergeMethodConfig);

const tideSchema = z.strictObject({
  sync_period: goDuration.optional(),
  status_update_period: goDuration.optional(),
  queries: z.array(tideQuerySchema).optional(),
  max_goroutines: z.number().int().positive().optional(),
  merge_method: mergeMethodConfig.optional(),
  merge_commit_template: z.record(z.string(), z.strictObject({ title: z.string().optional(), body: z.string().optional() })).optional(),
  squash_label: z.string().optional(),
  rebase_label: z.string().optional(),
  merge_label: z.string().optional(),
  blocker_label: z.string().optional(),
  batch_size_limit: z.record(z.string(), z.number().int()).optional(),
  context_options: z.strictObject({ ...contextPolicy, orgs: z.record(z.string(), orgContextPolicy).optional() }).optional(),
  priority: z.array(z.strictObject({ labels: stringList.optional() })).optional(),
  prioritize_existing_batches: z.record(z.string(), z.boolean()).optional(),
  /** What Tide does with a PR GitHub reports as BLOCKED, by `*`, org or org/repo (Prow's default: permit). */
  github_merge_blocks_policy: z.record(z.string(), z.enum(['ignore', 'permit', 'block'])).optional(),
  target_url: z.string().optional(),
  target_urls: stringMap.optional(),
  pr_status_base_url: z.string().optional(),
  pr_status_base_urls: stringMap.optional(),
  display_all_tide_queries_in_status: z.boolean().optional(),
  /** prow-ts's merge queue beyond Tide: how green trains land and how far the queue speculates (README: Tide). */
  merge_queue: z
    .strictObject({
      landing: z.enum(['fast-forward', 'api']).optional(),
      min_window: z.number().int().positive().optional(),
      max_window: z.number().int().positive().optional(),
      ci_budget: z.number().int().positive().optional(),
      speculation_threshold: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

const deckSchema = z.strictObject({
  branding: z.strictObject({ logo: z.string(), favicon: z.string(), background_color: z.string(), header_color: z.string() }).partial().optional(),
  hidden_repos: stringList.optional(),
  tide_update_period: goDuration.optional(),
  rerun_auth_configs: z.record(z.string(), rerunAuthConfigSchema).optional(),
  default_rerun_auth_configs: z.array(z.strictObject({ repo: z.string().optional(), cluster: z.string().optional(), config: rerunAuthConfigSchema.optional() })).optional(),
});

const jobType = z.enum(['presubmit', 'postsubmit', 'periodic', 'batch']);

/** config.yaml as written: Prow's core configuration, possibly with jobs inline. */
export const prowConfigFileSchema = z.strictObject({
  ...jobConfigShape,
  decorate_all_jobs: z.boolean().optional(),
  prowjob_namespace: z.string().optional(),
  pod_namespace: z.string().optional(),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic']).optional(),
  plank: plankSchema.optional(),
  sinker: sinkerSchema.optional(),
  horologium: z.strictObject({ tick_interval: goDuration.optional() }).optional(),
  default_job_timeout: goDuration.optional(),
  tide: tideSchema.optional(),
  deck: deckSchema.optional(),
  github_reporter: z
    .strictObject({ job_types_to_report: z.array(jobType), no_comment_repos: stringList, summary_comment_repos: stringList })
    .partial()
    .optional(),
  in_repo_config: z
    .strictObject({ enabled: z.record(z.string(), z.boolean()), allowed_clusters: z.record(z.string(), stringList) })
    .partial()
    .optional(),
  /** Accepted as written and kept for later use; nothing in prow-ts applies it yet. */
  'branch-protection': kubeObject.optional(),
});

/** Sections kept as written though prow-ts does not act on them: warned about, their keys still checked. */
export const passthroughSections = ['branch-protection'] as const;

export type ProwConfigFile = z.output<typeof prowConfigFileSchema>;
