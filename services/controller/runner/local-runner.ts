import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProwJob } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';
import { RunRejectedError, type RunPhase, type Runner } from './runner.ts';

/** One process of a run: what to execute, with which environment, where. */
export interface RunStep {
  name: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * How a job becomes processes: the steps run one after another (`serial`: clonerefs, initupload), then the
 * `main` step (the test, under entrypoint) with the `beside` steps (sidecar) running alongside it. The run
 * fails when a serial step or the main step exits non-zero; `beside` steps are waited for.
 */
export interface RunPlan {
  serial: RunStep[];
  main: RunStep;
  beside: RunStep[];
}

/** Turns a job into the plan of its processes, in `dir` (the run's own directory). */
export type PlanRun = (job: ProwJob, dir: string) => Promise<RunPlan> | RunPlan;

export interface LocalRunnerOptions {
  /** Where each run gets its directory (default: a new temp directory). */
  root?: string;
  plan: PlanRun;
  log: Logger;
  /** Keep run directories after `stop` (default false). */
  keepDirs?: boolean;
}

interface LocalRun {
  dir: string;
  phase: RunPhase;
  children: Set<ChildProcess>;
  stopped: boolean;
  done: Promise<void>;
}

/** Streams a step's output to the log, line by line, without holding more than a line. */
function logLines(stream: NodeJS.ReadableStream | null, log: Logger, fields: Record<string, string>): void {
  let rest = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) log.debug({ ...fields, line }, 'run output');
  });
}

/**
 * The runner of local mode: each job runs as processes on this machine, in a directory of its own. There is
 * no isolation at all: a job's command runs as this user with this machine's files and network, and the
 * image is ignored. Runs live in this process's memory, so after a restart plank finds none and starts
 * pending jobs again.
 */
export async function createLocalRunner(opts: LocalRunnerOptions): Promise<Runner> {
  const root = opts.root ?? (await mkdtemp(join(tmpdir(), 'prow-runs-')));
  const runs = new Map<string, LocalRun>();
  const listeners: ((name: string) => void)[] = [];
  const changed = (name: string): void => {
    for (const l of listeners) l(name);
  };

  const exec = (name: string, run: LocalRun, step: RunStep): Promise<number> =>
    new Promise((resolve) => {
      if (run.stopped) {
        resolve(130);
        return;
      }
      const [command = '', ...args] = step.argv;
      // Its own process group, so stopping the run reaches whatever the step started.
      const child = spawn(command, args, { cwd: step.cwd, env: step.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      run.children.add(child);
      logLines(child.stdout, opts.log, { prowjob: name, step: step.name });
      logLines(child.stderr, opts.log, { prowjob: name, step: step.name });
      child.once('error', (err) => {
        opts.log.warn({ prowjob: name, step: step.name, err: err.message }, 'step cannot start');
        run.children.delete(child);
        resolve(127);
      });
      child.once('close', (code, signal) => {
        run.children.delete(child);
        resolve(code ?? (signal ? 130 : 1));
      });
    });

  const drive = async (name: string, run: LocalRun, plan: RunPlan): Promise<void> => {
    for (const step of plan.serial) {
      const code = await exec(name, run, step);
      if (code !== 0) {
        run.phase = { phase: 'failed', reason: `${step.name} exited with ${String(code)}` };
        changed(name);
        return;
      }
    }
    run.phase = { phase: 'running', since: new Date().toISOString() };
    changed(name);
    const [mainCode] = await Promise.all([exec(name, run, plan.main), ...plan.beside.map((s) => exec(name, run, s))]);
    if (run.stopped) return;
    run.phase = mainCode === 0 ? { phase: 'succeeded' } : { phase: 'failed', reason: `${plan.main.name} exited with ${String(mainCode)}` };
    changed(name);
  };

  const runner: Runner = {
    kind: 'local',

    async start(job) {
      const name = job.metadata.name;
      if (runs.has(name)) return;
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      let plan: RunPlan;
      try {
        plan = await opts.plan(job, dir);
      } catch (err) {
        throw new RunRejectedError(err instanceof Error ? err.message : String(err));
      }
      const run: LocalRun = { dir, phase: { phase: 'pending', scheduled: true, since: new Date().toISOString() }, children: new Set(), stopped: false, done: Promise.resolve() };
      runs.set(name, run);
      run.done = drive(name, run, plan).catch((err: unknown) => {
        run.phase = { phase: 'error', reason: `the run broke: ${err instanceof Error ? err.message : String(err)}` };
        changed(name);
      });
      changed(name);
    },

    phase(name) {
      return Promise.resolve(runs.get(name)?.phase);
    },

    async stop(name) {
      const run = runs.get(name);
      if (!run) return;
      run.stopped = true;
      for (const child of run.children) {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      const killer = setTimeout(() => {
        for (const child of run.children) {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }, 5_000);
      await run.done;
      clearTimeout(killer);
      runs.delete(name);
      if (opts.keepDirs !== true) await rm(run.dir, { recursive: true, force: true });
    },

    list() {
      return Promise.resolve([...runs.keys()]);
    },

    onChange(listener) {
      listeners.push(listener);
    },

    async close() {
      await Promise.all([...runs.keys()].map((name) => runner.stop(name)));
    },
  };
  return runner;
}
