import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { constants } from 'node:os';
import { formatGoDuration } from './clone-record.ts';
import { abortedErrorCode, internalErrorCode, previousErrorCode, waitForMarkers, writeMarker } from './marker.ts';
import { durationMs, type EntrypointOptions } from './options.ts';

/** Prow's defaults: SIGINT after two hours, SIGKILL fifteen seconds later. */
export const defaultTimeoutMs = 2 * 60 * 60 * 1000;
export const defaultGracePeriodMs = 15 * 1000;

/** What `runEntrypoint` runs with besides its options. */
export interface EntrypointDeps {
  /** Aborting it is a SIGTERM or SIGINT to entrypoint: the command is interrupted and the job marked aborted. */
  interrupt?: AbortSignal;
  /** Where the command's output is copied besides the process log; this process's stdout by default. */
  stdout?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** How the wrapped command ended. */
export interface EntrypointResult {
  /** The code written to the marker file: the command's, or 127 (could not run, timed out), 130 (aborted). */
  code: number;
  /** What entrypoint exits with: the code, or 0 with always_zero. */
  exitCode: number;
}

/** Output that goes to the process log and to stdout, with entrypoint's own notes as JSON lines among it. */
class Tee {
  private readonly file: WriteStream;
  private readonly out: NodeJS.WritableStream;

  constructor(file: WriteStream, out: NodeJS.WritableStream) {
    this.file = file;
    this.out = out;
  }

  write(chunk: Buffer | string): void {
    this.file.write(chunk);
    this.out.write(chunk);
  }

  note(level: 'info' | 'error', msg: string): void {
    this.write(`${JSON.stringify({ component: 'entrypoint', level, msg, time: new Date().toISOString() })}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.file.end(resolve));
  }
}

function openLog(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.once('open', () => {
      // A later write error (a full disk) must not kill entrypoint before it writes the marker.
      stream.on('error', (err) => {
        process.stderr.write(`${JSON.stringify({ component: 'entrypoint', level: 'error', msg: `process log: ${err.message}` })}\n`);
      });
      resolve(stream);
    });
    stream.once('error', reject);
  });
}

/** Signals the command's whole process group, so what it started stops with it. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function signalName(reason: unknown): NodeJS.Signals | undefined {
  return typeof reason === 'string' && reason in constants.signals ? (reason as NodeJS.Signals) : undefined;
}

/** setTimeout's longest wait (about 24.8 days); longer ones would fire at once. */
const maxTimer = 2 ** 31 - 1;

type Outcome = { kind: 'exited'; code: number } | { kind: 'timeout' | 'aborted'; code: number };

/** Runs the started child to its end: timeout or interrupt stop it with SIGINT, then SIGKILL after the grace period. */
function supervise(child: ChildProcess, tee: Tee, timeoutMs: number, graceMs: number, interrupt: AbortSignal | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    let stopping: 'timeout' | 'aborted' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const closed = new Promise((done) => child.once('close', done));
    const exited = new Promise<number>((done) => {
      child.once('exit', (code, signal) => {
        done(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
      });
    });
    const stop = (why: 'timeout' | 'aborted', extra?: NodeJS.Signals): void => {
      if (stopping !== undefined) return;
      stopping = why;
      signalGroup(child, 'SIGINT');
      if (extra !== undefined && extra !== 'SIGINT') signalGroup(child, extra);
      killTimer = setTimeout(() => {
        tee.note('error', `Process did not exit before ${formatGoDuration(graceMs * 1e6)} grace period`);
        signalGroup(child, 'SIGKILL');
      }, graceMs);
    };
    const timer = setTimeout(() => {
      tee.note('error', `Process did not finish before ${formatGoDuration(timeoutMs * 1e6)} timeout`);
      stop('timeout');
    }, Math.min(timeoutMs, maxTimer));
    const onInterrupt = (): void => {
      const signal = signalName(interrupt?.reason);
      tee.note('error', `Entrypoint received interrupt: ${signal ?? 'abort'}`);
      stop('aborted', signal);
    };
    if (interrupt?.aborted === true) onInterrupt();
    else interrupt?.addEventListener('abort', onInterrupt, { once: true });
    void exited.then(async (code) => {
      clearTimeout(timer);
      interrupt?.removeEventListener('abort', onInterrupt);
      if (killTimer !== undefined) {
        clearTimeout(killTimer);
        if (child.signalCode !== 'SIGKILL') tee.note('error', `Process gracefully exited before ${formatGoDuration(graceMs * 1e6)} grace period`);
      }
      // What the command left running would hold the pipes open; in a Pod it dies with the container anyway.
      signalGroup(child, 'SIGKILL');
      await Promise.race([closed, new Promise((done) => setTimeout(done, 1000).unref())]);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(stopping === undefined ? { kind: 'exited', code } : { kind: stopping, code });
    });
  });
}

/** Starts the command; resolves to the child once it runs, or to the reason it could not. */
function start(args: readonly string[], deps: EntrypointDeps): Promise<ChildProcess | Error> {
  const [command = '', ...rest] = args;
  return new Promise((resolve) => {
    const child = spawn(command, rest, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: deps.env ?? process.env, ...(deps.cwd ? { cwd: deps.cwd } : {}) });
    child.once('spawn', () => {
      resolve(child);
    });
    child.once('error', (err) => {
      resolve(err);
    });
  });
}

async function execute(options: EntrypointOptions, tee: Tee, deps: EntrypointDeps): Promise<number> {
  if (options.previous_marker !== undefined && options.previous_marker !== '') {
    const previous = (await waitForMarkers([options.previous_marker], { signal: deps.interrupt })).get(options.previous_marker);
    if (previous === undefined || 'error' in previous) {
      tee.note('error', `wait for previous marker ${options.previous_marker}: ${previous && 'error' in previous ? previous.error : 'no result'}`);
      return internalErrorCode;
    }
    if (previous.code !== 0) {
      tee.note('info', `Skipping as previous step exited ${previous.code}`);
      return previousErrorCode;
    }
  }
  const child = await start(options.args, deps);
  if (child instanceof Error) {
    tee.write(`could not start the process: ${child.message}`);
    return internalErrorCode;
  }
  child.stdout?.on('data', (d: Buffer) => {
    tee.write(d);
  });
  child.stderr?.on('data', (d: Buffer) => {
    tee.write(d);
  });
  const timeoutMs = durationMs(options.timeout, defaultTimeoutMs);
  const graceMs = durationMs(options.grace_period, defaultGracePeriodMs);
  const outcome = await supervise(child, tee, timeoutMs, graceMs, deps.interrupt);
  if (outcome.kind === 'exited' || options.propagate_error_code === true) return outcome.code;
  return outcome.kind === 'aborted' ? abortedErrorCode : internalErrorCode;
}

/**
 * Prow's entrypoint: runs the test command with its output copied to the process log and stdout, stops it
 * at the timeout (SIGINT to its process group, SIGKILL after the grace period), and writes its exit code to
 * the marker file for the sidecar.
 */
export async function runEntrypoint(options: EntrypointOptions, deps: EntrypointDeps = {}): Promise<EntrypointResult> {
  let code: number;
  let tee: Tee | undefined;
  try {
    if (options.artifact_dir !== undefined && options.artifact_dir !== '') await mkdir(options.artifact_dir, { recursive: true });
    await mkdir(dirname(options.process_log), { recursive: true });
    tee = new Tee(await openLog(options.process_log), deps.stdout ?? process.stdout);
    code = await execute(options, tee, deps);
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ component: 'entrypoint', level: 'error', msg: `Error executing test process: ${(err as Error).message}` })}\n`);
    code = internalErrorCode;
  } finally {
    await tee?.close();
  }
  try {
    await writeMarker(options.marker_file, code, options.container_name);
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ component: 'entrypoint', level: 'error', msg: `Error writing exit code to marker file: ${(err as Error).message}` })}\n`);
    // The real code must reach the marker before always_zero may hide it.
    return { code, exitCode: internalErrorCode };
  }
  return { code, exitCode: options.always_zero === true ? 0 : code };
}
