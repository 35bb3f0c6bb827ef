import type { Periodic, Postsubmit, Presubmit, ProwConfig } from './prow-config.ts';
import type { DecorationConfig, Preset, RawPeriodic, RawPostsubmit, RawPresubmit } from './schema/job.ts';

/** Prow's default trigger for a presubmit: matches `/test <name>` among other job names (config.go DefaultTriggerFor). */
export function defaultTriggerFor(name: string): string {
  return `(?m)^/test( | .* )${name},?($|\\s.*)`;
}

/** Prow's default rerun command for a presubmit. */
export function defaultRerunCommandFor(name: string): string {
  return `/test ${name}`;
}

/** What defaulting a job needs from the rest of the configuration. */
export interface DefaultingContext {
  podNamespace: string;
  decorateAllJobs: boolean;
  plank: ProwConfig['plank'];
  presets: readonly Preset[];
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep-merges plain objects; `over` wins, lists are replaced whole (Prow's DecorationConfig.ApplyDefault). */
function merge<T>(base: T | undefined, over: T | undefined): T | undefined {
  if (!isPlain(base) || !isPlain(over)) return over ?? base;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

function matches(entry: string | undefined, ...candidates: string[]): boolean {
  return entry === undefined || entry === '' || entry === '*' || candidates.includes(entry);
}

/** Plank's default decoration config for a repo and cluster: every matching entry, later ones winning. */
export function defaultDecorationFor(plank: ProwConfig['plank'], repo: string, cluster: string): DecorationConfig | undefined {
  const org = repo.split('/')[0] ?? '';
  let out: DecorationConfig | undefined;
  const legacy = plank?.default_decoration_configs ?? {};
  for (const key of ['*', org, repo]) {
    if (key !== '' && legacy[key]) out = merge(out, legacy[key]);
  }
  for (const entry of plank?.default_decoration_config_entries ?? []) {
    if (matches(entry.repo, org, repo) && matches(entry.cluster, cluster)) out = merge(out, entry.config);
  }
  return out;
}

function containersOf(spec: Plain | undefined): Plain[] {
  const list = spec?.containers;
  return Array.isArray(list) ? list.filter(isPlain) : [];
}

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);

const named = (items: unknown, name: unknown): boolean => Array.isArray(items) && items.some((i) => isPlain(i) && i.name === name);

/**
 * Adds matching presets' env, volumes and volumeMounts to a job's pod spec (Prow's mergePreset). A preset
 * matches when the job has all its labels; one with no labels matches every job. Returns the conflicts found.
 */
export function applyPresets(labels: Record<string, string> | undefined, spec: Plain | undefined, presets: readonly Preset[]): string[] {
  if (!spec) return [];
  const problems: string[] = [];
  for (const preset of presets) {
    if (!Object.entries(preset.labels ?? {}).every(([k, v]) => labels?.[k] === v)) continue;
    for (const container of containersOf(spec)) {
      for (const env of preset.env ?? []) {
        if (named(container.env, env.name)) problems.push(`env var ${String(env.name)} is set by both a preset and the pod spec`);
        else container.env = [...listOf(container.env), env];
      }
      for (const mount of preset.volumeMounts ?? []) {
        if (named(container.volumeMounts, mount.name)) problems.push(`volume mount ${String(mount.name)} is set by both a preset and the pod spec`);
        else container.volumeMounts = [...listOf(container.volumeMounts), mount];
      }
    }
    for (const volume of preset.volumes ?? []) {
      if (named(spec.volumes, volume.name)) problems.push(`volume ${String(volume.name)} is set by both a preset and the pod spec`);
      else spec.volumes = [...listOf(spec.volumes), volume];
    }
  }
  return problems;
}

type Base = RawPresubmit | RawPostsubmit | RawPeriodic;

function defaultBase<J extends Base>(raw: J, repo: string, ctx: DefaultingContext, problems: string[]): J & {
  agent: Presubmit['agent'];
  cluster: string;
  namespace: string;
  decorate: boolean;
} {
  const job = structuredClone(raw);
  const cluster = job.cluster ?? 'default';
  const decorate = job.decorate ?? ctx.decorateAllJobs;
  problems.push(...applyPresets(job.labels, job.spec, ctx.presets));
  const decoration = decorate ? merge(defaultDecorationFor(ctx.plank, repo, cluster), job.decoration_config) : job.decoration_config;
  return {
    ...job,
    agent: job.agent ?? 'kubernetes',
    cluster,
    namespace: job.namespace ?? ctx.podNamespace,
    decorate,
    ...(decoration === undefined ? {} : { decoration_config: decoration }),
  };
}

/** A presubmit with Prow's defaults; `problems` collects what Prow would refuse. */
export function defaultPresubmit(raw: RawPresubmit, repo: string, ctx: DefaultingContext, problems: string[]): Presubmit {
  const job = defaultBase(raw, repo, ctx, problems);
  const bothEmpty = (raw.trigger ?? '') === '' && (raw.rerun_command ?? '') === '';
  return {
    ...job,
    context: raw.context ?? raw.name,
    trigger: bothEmpty ? defaultTriggerFor(raw.name) : (raw.trigger ?? ''),
    rerun_command: bothEmpty ? defaultRerunCommandFor(raw.name) : (raw.rerun_command ?? ''),
    always_run: raw.always_run ?? false,
    optional: raw.optional ?? false,
    skip_report: raw.skip_report ?? false,
  };
}

/** A postsubmit with Prow's defaults. */
export function defaultPostsubmit(raw: RawPostsubmit, repo: string, ctx: DefaultingContext, problems: string[]): Postsubmit {
  return { ...defaultBase(raw, repo, ctx, problems), context: raw.context ?? raw.name, skip_report: raw.skip_report ?? false };
}

/** A periodic with Prow's defaults; its repo for decoration is its first extra ref. */
export function defaultPeriodic(raw: RawPeriodic, ctx: DefaultingContext, problems: string[]): Periodic {
  const ref = raw.extra_refs?.[0];
  return defaultBase(raw, ref ? `${ref.org}/${ref.repo}` : '', ctx, problems);
}
