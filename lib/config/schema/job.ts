import { z } from 'zod';
import { goDuration, goRegexp, kubeObject, stringList, stringMap } from './common.ts';

const secretKey = z.strictObject({ name: z.string(), key: z.string() });

/** Prow's DecorationConfig: how the pod utilities wrap a job (plank defaults, overridden per job). */
export const decorationConfigSchema = z.strictObject({
  timeout: goDuration.optional(),
  grace_period: goDuration.optional(),
  utility_images: z
    .strictObject({ clonerefs: z.string(), initupload: z.string(), entrypoint: z.string(), sidecar: z.string() })
    .partial()
    .optional(),
  resources: z
    .strictObject({ clonerefs: kubeObject, initupload: kubeObject, place_entrypoint: kubeObject, sidecar: kubeObject })
    .partial()
    .optional(),
  gcs_configuration: z
    .strictObject({
      bucket: z.string(),
      path_prefix: z.string(),
      path_strategy: z.enum(['legacy', 'single', 'explicit']),
      default_org: z.string(),
      default_repo: z.string(),
      mediaTypes: stringMap,
      job_url_prefix: z.string(),
      local_output_dir: z.string(),
      compress_file_types: stringList,
    })
    .partial()
    .optional(),
  gcs_credentials_secret: z.string().optional(),
  s3_credentials_secret: z.string().optional(),
  default_service_account_name: z.string().optional(),
  ssh_key_secrets: stringList.optional(),
  ssh_host_fingerprints: stringList.optional(),
  blobless_fetch: z.boolean().optional(),
  sparse_checkout_files: stringList.optional(),
  skip_cloning: z.boolean().optional(),
  cookiefile_secret: z.string().optional(),
  oauth_token_secret: secretKey.optional(),
  github_api_endpoints: stringList.optional(),
  github_app_id: z.string().optional(),
  github_app_private_key_secret: secretKey.optional(),
  censor_secrets: z.boolean().optional(),
  censoring_options: z
    .strictObject({
      censoring_concurrency: z.number().int(),
      censoring_buffer_size: z.number().int(),
      include_directories: stringList,
      exclude_directories: stringList,
      minimum_secret_length: z.number().int(),
    })
    .partial()
    .optional(),
  upload_ignores_interrupts: z.boolean().optional(),
  set_limit_equals_memory_request: z.boolean().optional(),
  default_memory_request: z.union([z.string(), z.number()]).optional(),
  scheduling_options: z.strictObject({ affinity: kubeObject, tolerations: z.array(kubeObject) }).partial().optional(),
  pod_pending_timeout: goDuration.optional(),
  pod_running_timeout: goDuration.optional(),
  pod_unscheduled_timeout: goDuration.optional(),
  run_as_user: z.number().int().optional(),
  run_as_group: z.number().int().optional(),
  fs_group: z.number().int().optional(),
});
export type DecorationConfig = z.output<typeof decorationConfigSchema>;

/** Prow's Refs as written in `extra_refs`: another repository to clone next to the job's own. */
export const refsSchema = z.strictObject({
  org: z.string(),
  repo: z.string(),
  repo_link: z.string().optional(),
  base_ref: z.string().optional(),
  base_sha: z.string().optional(),
  base_link: z.string().optional(),
  pulls: z.array(kubeObject).optional(),
  path_alias: z.string().optional(),
  workdir: z.boolean().optional(),
  auxiliary: z.boolean().optional(),
  clone_uri: z.string().optional(),
  skip_submodules: z.boolean().optional(),
  clone_depth: z.number().int().optional(),
  skip_fetch_head: z.boolean().optional(),
  blobless_fetch: z.boolean().optional(),
  sparse_checkout_files: stringList.optional(),
});
export type Refs = z.output<typeof refsSchema>;

/** Who may `/retest` or rerun a job from the dashboard. */
export const rerunAuthConfigSchema = z.strictObject({
  allow_anyone: z.boolean().optional(),
  github_team_ids: z.array(z.number().int()).optional(),
  github_team_slugs: z.array(z.strictObject({ slug: z.string(), org: z.string() })).optional(),
  github_users: stringList.optional(),
  github_orgs: stringList.optional(),
});

const reporterConfigSchema = z.strictObject({
  slack: z
    .strictObject({
      host: z.string(),
      channel: z.string(),
      job_states_to_report: stringList,
      report_template: z.string(),
      report: z.boolean(),
    })
    .partial()
    .optional(),
});

const jobBase = {
  name: z.string().regex(/^[A-Za-z0-9-._]+$/, 'job names may only contain letters, digits, "-", "." and "_"'),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  max_concurrency: z.number().int().nonnegative().optional(),
  agent: z.enum(['kubernetes', 'jenkins', 'tekton-pipeline']).optional(),
  cluster: z.string().optional(),
  namespace: z.string().optional(),
  error_on_eviction: z.boolean().optional(),
  spec: kubeObject.optional(),
  reporter_config: reporterConfigSchema.optional(),
  rerun_auth_config: rerunAuthConfigSchema.optional(),
  hidden: z.boolean().optional(),
  job_queue_name: z.string().optional(),
  decorate: z.boolean().optional(),
  decoration_config: decorationConfigSchema.optional(),
  path_alias: z.string().optional(),
  clone_uri: z.string().optional(),
  skip_submodules: z.boolean().optional(),
  clone_depth: z.number().int().optional(),
  skip_fetch_head: z.boolean().optional(),
  extra_refs: z.array(refsSchema).optional(),
};

const brancher = {
  branches: z.array(goRegexp).optional(),
  skip_branches: z.array(goRegexp).optional(),
};

const changeMatcher = {
  run_if_changed: goRegexp.optional(),
  skip_if_only_changed: goRegexp.optional(),
};

/** A presubmit as written in config. */
export const presubmitSchema = z.strictObject({
  ...jobBase,
  ...brancher,
  ...changeMatcher,
  always_run: z.boolean().optional(),
  optional: z.boolean().optional(),
  trigger: goRegexp.optional(),
  rerun_command: z.string().optional(),
  run_before_merge: z.boolean().optional(),
  context: z.string().optional(),
  skip_report: z.boolean().optional(),
});

/** A postsubmit as written in config. */
export const postsubmitSchema = z.strictObject({
  ...jobBase,
  ...brancher,
  ...changeMatcher,
  always_run: z.boolean().optional(),
  context: z.string().optional(),
  skip_report: z.boolean().optional(),
});

/** A periodic as written in config. */
export const periodicSchema = z.strictObject({
  ...jobBase,
  interval: goDuration.optional(),
  minimum_interval: goDuration.optional(),
  cron: z.string().optional(),
  tags: stringList.optional(),
  retry: z.strictObject({ attempts: z.number().int(), interval: goDuration, run_all: z.boolean() }).partial().optional(),
});

/** A preset: env, volumes and mounts added to every job whose labels include all of the preset's. */
export const presetSchema = z.strictObject({
  labels: stringMap.optional(),
  env: z.array(kubeObject).optional(),
  volumes: z.array(kubeObject).optional(),
  volumeMounts: z.array(kubeObject).optional(),
  tolerations: z.array(kubeObject).optional(),
});
export type Preset = z.output<typeof presetSchema>;

/** The job part of the configuration: what a job-config file holds, and what config.yaml may hold too. */
export const jobConfigShape = {
  presubmits: z.record(z.string(), z.array(presubmitSchema)).optional(),
  postsubmits: z.record(z.string(), z.array(postsubmitSchema)).optional(),
  periodics: z.array(periodicSchema).optional(),
  presets: z.array(presetSchema).optional(),
  /** Prow's well-known place for YAML anchors and generator input; never read. */
  prow_ignored: z.unknown().optional(),
};

/** One file in the job-config directory. */
export const jobConfigFileSchema = z.strictObject(jobConfigShape);

export type RawPresubmit = z.output<typeof presubmitSchema>;
export type RawPostsubmit = z.output<typeof postsubmitSchema>;
export type RawPeriodic = z.output<typeof periodicSchema>;
