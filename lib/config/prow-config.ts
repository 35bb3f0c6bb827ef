import type { Preset, RawPeriodic, RawPostsubmit, RawPresubmit } from './schema/job.ts';
import type { PluginConfigFile } from './schema/plugins.ts';
import type { ProwConfigFile } from './schema/prow.ts';

export type { DecorationConfig, Preset, Refs } from './schema/job.ts';
export type { MergeMethod, MergeMethodConfig, TideQuery } from './schema/prow.ts';

/** Fields every job has once Prow's defaults are applied. */
interface JobDefaults {
  agent: 'kubernetes' | 'jenkins' | 'tekton-pipeline';
  cluster: string;
  namespace: string;
  decorate: boolean;
}

/** A presubmit with Prow's defaults applied (context, trigger, rerun_command, ...). */
export type Presubmit = RawPresubmit &
  JobDefaults & { context: string; trigger: string; rerun_command: string; always_run: boolean; optional: boolean; skip_report: boolean };

/** A postsubmit with Prow's defaults applied; `always_run` stays unset when not written, as Prow reads it. */
export type Postsubmit = RawPostsubmit & JobDefaults & { context: string; skip_report: boolean };

/** A periodic with Prow's defaults applied. */
export type Periodic = RawPeriodic & JobDefaults;

/** The whole Prow configuration: config.yaml plus every job-config file, defaults applied. */
export type ProwConfig = Omit<ProwConfigFile, 'presubmits' | 'postsubmits' | 'periodics' | 'presets' | 'prow_ignored'> & {
  presubmits: Record<string, Presubmit[]>;
  postsubmits: Record<string, Postsubmit[]>;
  periodics: Periodic[];
  presets: Preset[];
  prowjob_namespace: string;
  pod_namespace: string;
};

/** Plugins enabled for one org or repo, in the one form Prow accepts both spellings as. */
export interface EnabledPlugins {
  plugins: string[];
  excluded_repos: string[];
}

/** plugins.yaml, with the per-repo plugin lists normalised. */
export type PluginConfig = Omit<PluginConfigFile, 'plugins'> & { plugins: Record<string, EnabledPlugins> };
