import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProwJob } from '../../../lib/jobs/index.ts';
import { decoratedWorkdir, decorationEnv, downwardApiEnv, jobSpecOf, type DecorationDirs } from '../../../pod-utils/decoration-env.ts';
import { optionsEnv } from '../../../pod-utils/options.ts';
import type { RunPlan, RunStep } from './local-runner.ts';

interface Container {
  name?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  workingDir?: string;
}

/** The job's test container: the first in its pod spec, as Prow runs (and renames to `test`). */
export function testContainer(job: ProwJob): Container {
  const containers = (job.spec.pod_spec as { containers?: Container[] } | undefined)?.containers ?? [];
  const container = containers[0];
  if (container === undefined) throw new Error('the job has no container in spec.pod_spec.containers');
  return container;
}

/** The container's `env` entries that carry a plain value; `valueFrom` needs a cluster and is skipped. */
export function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

/** The command line of the container: `command` then `args`, which local mode needs since it has no image. */
export function commandLine(job: ProwJob, container: Container): string[] {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0) {
    throw new Error(`job ${job.spec.job} has no command: local mode runs no images, so give its container a \`command:\``);
  }
  return argv;
}

/** The few variables of this machine a job's processes inherit; the rest of the environment stays out. */
export function hostEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SHELL', 'USER'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]]])));
}

/** An undecorated job in local mode: its command, run in the run's directory, with Prow's job variables. */
export function undecoratedPlan(job: ProwJob, dir: string): RunPlan {
  const container = testContainer(job);
  const env = { ...hostEnv(), ...downwardApiEnv(jobSpecOf(job)), ...containerEnv(container) };
  return { serial: [], main: { name: 'test', argv: commandLine(job, container), env, cwd: dir }, beside: [] };
}

// `prow <utility>` as this checkout runs it, from any working directory: tsx's loader by absolute URL.
const prowBin = fileURLToPath(new URL('../../../bin/prow.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const prow = (utility: string): string[] => [process.execPath, '--import', tsxLoader, prowBin, utility];

/** Where local mode's decorated runs get their pod-utils settings from. */
export interface DecoratedPlanOptions {
  /** The storage location every job uploads to (a directory in local mode), overriding gcs_configuration.bucket. */
  bucket: string;
  /** Where refs without a clone URI are cloned from: the emulator in local mode. */
  githubBaseUrl?: string;
}

/**
 * A decorated job in local mode: the steps a decorated Pod runs, as `prow <utility>` processes in the run's
 * directory (`logs/`, `code/`, `logs/artifacts/` standing for /logs, /home/prow/go and /logs/artifacts):
 * clonerefs (when there is something to clone) and initupload one after the other, then the test under
 * entrypoint with the sidecar beside it.
 */
export async function decoratedPlan(job: ProwJob, dir: string, opts: DecoratedPlanOptions): Promise<RunPlan> {
  const dirs: DecorationDirs = { logs: join(dir, 'logs'), code: join(dir, 'code'), artifacts: join(dir, 'logs', 'artifacts') };
  commandLine(job, testContainer(job));
  const env = { ...hostEnv(), ...decorationEnv(job, dirs, { bucket: opts.bucket, ...(opts.githubBaseUrl === undefined ? {} : { githubBaseUrl: opts.githubBaseUrl }) }) };
  await Promise.all([mkdir(dirs.artifacts, { recursive: true }), mkdir(dirs.code, { recursive: true })]);
  const step = (name: string, cwd = dir): RunStep => ({ name, argv: prow(name), env, cwd });
  const serial = [...(env[optionsEnv.clonerefs] === undefined ? [] : [step('clonerefs')]), step('initupload')];
  return { serial, main: step('entrypoint', decoratedWorkdir(job, dirs) ?? dir), beside: [step('sidecar')] };
}
