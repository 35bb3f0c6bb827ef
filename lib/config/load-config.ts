import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProwError } from '../errors.ts';
import { compareIssues, formatIssue, type ConfigIssue } from './config-issue.ts';
import type { DefaultingContext } from './job-defaults.ts';
import { mergeJobs, type JobSource } from './merge-jobs.ts';
import { pluginNameIssues } from './plugin-names.ts';
import { jobConfigKeys, pluginConfigKeys, prowConfigKeys } from './keys/known-keys.ts';
import type { PluginConfig, ProwConfig } from './prow-config.ts';
import { jobConfigFileSchema, type Preset } from './schema/job.ts';
import { pluginConfigFileSchema, pluginPassthroughSections } from './schema/plugins.ts';
import { passthroughSections, prowConfigFileSchema, type ProwConfigFile } from './schema/prow.ts';
import { validateDocument } from './validate-document.ts';
import { readYaml, type YamlFile } from './yaml-file.ts';

/** Where the configuration lives, as Prow's `--config-path`, `--job-config-path` and `--plugin-config` name it. */
export interface LoadOptions {
  configPath: string;
  jobConfigPath?: string | undefined;
  pluginConfigPath?: string | undefined;
  /**
   * The plugin names prow-ts runs (plugins/index.ts): when given, plugins.yaml names outside it are errors,
   * or warnings for Prow plugins not implemented yet. lib/ cannot import plugins/, so callers pass it.
   */
  implementedPlugins?: readonly string[] | undefined;
}

/** Everything loading found: the typed configuration (trust it only when `errors` is empty) and the issues. */
export interface LoadResult {
  config: ProwConfig;
  plugins: PluginConfig;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /** Every file that was read, for watchers and for messages. */
  files: string[];
}

const jobKeys = ['presubmits', 'postsubmits', 'periodics', 'presets', 'prow_ignored'] as const;
type JobKey = (typeof jobKeys)[number];

async function load(file: string): Promise<{ yaml?: YamlFile; issues: ConfigIssue[] }> {
  try {
    return await readYaml(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    return { issues: [{ file, line: 0, col: 0, path: '', message: `cannot read: ${reason}`, severity: 'error' }] };
  }
}

/** Every `*.yaml`/`*.yml` below `dir`, in a stable order; Kubernetes' `..data` ConfigMap links are skipped as Prow does. */
async function jobFiles(dir: string): Promise<string[]> {
  if (!(await stat(dir)).isDirectory()) return [dir];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !path.relative(dir, f).split(path.sep).some((part) => part.startsWith('..')))
    .sort();
}

function normalisePlugins(file: ReturnType<typeof pluginConfigFileSchema.parse> | undefined): PluginConfig {
  const plugins: PluginConfig['plugins'] = {};
  for (const [key, value] of Object.entries(file?.plugins ?? {})) {
    plugins[key] = { plugins: value.plugins ?? [], excluded_repos: value.excluded_repos ?? [] };
  }
  return { ...file, plugins };
}

/**
 * Loads config.yaml, the job-config directory and plugins.yaml the way Prow does, validates them against
 * Prow's keys and rules, and applies Prow's defaults. Never throws for a bad file: it reports issues.
 */
export async function loadConfig(opts: LoadOptions): Promise<LoadResult> {
  const issues: ConfigIssue[] = [];
  const files = [opts.configPath];

  const main = await load(opts.configPath);
  issues.push(...main.issues);
  const core = main.yaml ? validateDocument(main.yaml, prowConfigFileSchema, prowConfigKeys, passthroughSections) : undefined;
  issues.push(...(core?.issues ?? []));

  const jobSources: (JobSource & { jobs: Pick<ProwConfigFile, 'presets'> })[] = [];
  if (main.yaml && core?.value) jobSources.push({ yaml: main.yaml, jobs: core.value });
  if (opts.jobConfigPath !== undefined) {
    let list: string[] = [];
    try {
      list = await jobFiles(opts.jobConfigPath);
    } catch {
      issues.push({ file: opts.jobConfigPath, line: 0, col: 0, path: '', message: 'cannot read: directory not found', severity: 'error' });
    }
    for (const file of list) {
      if (path.resolve(file) === path.resolve(opts.configPath)) continue;
      files.push(file);
      const loaded = await load(file);
      issues.push(...loaded.issues);
      if (!loaded.yaml) continue;
      const jobs = validateDocument(loaded.yaml, jobConfigFileSchema, jobConfigKeys);
      issues.push(...jobs.issues);
      if (jobs.value) jobSources.push({ yaml: loaded.yaml, jobs: jobs.value });
    }
  }

  const presets: Preset[] = jobSources.flatMap((s) => s.jobs.presets ?? []);
  const rest: Omit<ProwConfigFile, JobKey> = { ...core?.value };
  for (const key of jobKeys) Reflect.deleteProperty(rest, key);
  const ctx: DefaultingContext = {
    podNamespace: rest.pod_namespace ?? 'default',
    decorateAllJobs: rest.decorate_all_jobs ?? false,
    plank: rest.plank,
    presets,
  };

  const merged = mergeJobs(jobSources, ctx);
  issues.push(...merged.issues);
  const config: ProwConfig = {
    ...rest,
    ...merged.jobs,
    prowjob_namespace: rest.prowjob_namespace ?? 'default',
    pod_namespace: ctx.podNamespace,
    presets,
  };

  let plugins = normalisePlugins(undefined);
  if (opts.pluginConfigPath !== undefined) {
    files.push(opts.pluginConfigPath);
    const loaded = await load(opts.pluginConfigPath);
    issues.push(...loaded.issues);
    if (loaded.yaml) {
      const validated = validateDocument(loaded.yaml, pluginConfigFileSchema, pluginConfigKeys, pluginPassthroughSections);
      issues.push(...validated.issues);
      if (opts.implementedPlugins) issues.push(...pluginNameIssues(loaded.yaml, opts.implementedPlugins));
      plugins = normalisePlugins(validated.value);
    }
  }

  issues.sort(compareIssues);
  return {
    config,
    plugins,
    errors: issues.filter((i) => i.severity === 'error'),
    warnings: issues.filter((i) => i.severity === 'warning'),
    files,
  };
}

/** Like loadConfig, for services: throws PROW_ERR_CONFIG_INVALID listing every error, else returns the result. */
export async function loadConfigOrThrow(opts: LoadOptions): Promise<LoadResult> {
  const result = await loadConfig(opts);
  if (result.errors.length > 0) throw new ProwError('PROW_ERR_CONFIG_INVALID', result.errors.map(formatIssue).join('\n'));
  return result;
}
