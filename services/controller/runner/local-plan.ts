import type { ProwJob } from '../../../lib/jobs/index.ts';
import type { RunPlan } from './local-runner.ts';

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

/** An undecorated job in local mode: its command, run in the run's directory, with `downward` (Prow's job variables). */
export function undecoratedPlan(job: ProwJob, dir: string, downward: Record<string, string>): RunPlan {
  const container = testContainer(job);
  return {
    serial: [],
    main: { name: 'test', argv: commandLine(job, container), env: { ...hostEnv(), ...downward, ...containerEnv(container) }, cwd: dir },
    beside: [],
  };
}
