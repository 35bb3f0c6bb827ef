import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BoskosHttpError, isTransient, type BoskosClient } from '../../../services/boskos/client.ts';

export interface HeartbeatOptions {
  client: BoskosClient;
  name: string;
  state: string;
  periodMs: number;
  /** Stop after this long (boskosctl's --timeout, 5h); with a command, the command is stopped. */
  timeoutMs: number | undefined;
  /** Failed heartbeats in a row to tolerate before giving up (boskosctl's --retries). */
  retries: number;
  /** Run this while heartbeating; the heartbeat ends with it. */
  command?: string[] | undefined;
  /** Release the resource to this state when the command ends (or heartbeats stop). */
  releaseTo?: string | undefined;
  print: (line: string) => void;
  error: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: without a command, heartbeats stop; with one, the signal goes to it. */
  signal: AbortSignal;
}

/** The lease is gone when Boskos says it is someone else's, in another state, or no longer there. */
function leaseLost(err: unknown): boolean {
  return err instanceof BoskosHttpError && (err.kind === 'owner-mismatch' || err.kind === 'state-mismatch' || err.kind === 'not-found');
}

const killGraceMs = 10_000;

/**
 * Keeps a lease: `/update` now and every period, so the reaper does not take it back. Ends at the timeout,
 * on a signal, when the command ends, or (exit 1) when the lease is lost or heartbeats fail `retries` times in
 * a row; a command still running then is stopped, since what it holds is no longer its own.
 * Resolves to the exit code: the command's own when it ran to its end.
 */
export async function heartbeat(opts: HeartbeatOptions): Promise<number> {
  const { client, name, state } = opts;
  const stop = new AbortController();
  let failures = 0;
  // Set once, from callbacks (the command's exit, a lost lease, the timeout, a signal); read after the loop.
  const end: { outcome?: { code: number; why: string } } = {};
  const stopped = (): boolean => stop.signal.aborted;
  const outcome = (): { code: number; why: string } | undefined => end.outcome;
  const finish = (code: number, why: string): void => {
    end.outcome ??= { code, why };
    stop.abort();
  };
  const beat = async (): Promise<void> => {
    try {
      await client.update(name, state);
      failures = 0;
      if (opts.command === undefined) opts.print(JSON.stringify({ heartbeat: name, state, at: new Date().toISOString() }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (leaseLost(err)) {
        finish(1, `lost the lease on ${name}: ${message}`);
        return;
      }
      failures++;
      opts.error(`prow boskos heartbeat: heartbeat ${failures} for ${name} failed: ${message}`);
      if (failures > opts.retries || !isTransient(err)) finish(1, `gave up on ${name} after ${failures} failed heartbeats`);
    }
  };

  await beat();
  const early = outcome();
  if (early !== undefined) {
    opts.error(`prow boskos heartbeat: ${early.why}`);
    return early.code;
  }

  let child: ReturnType<typeof spawn> | undefined;
  if (opts.command !== undefined) {
    const [program = '', ...args] = opts.command;
    const started = spawn(program, args, { stdio: 'inherit' });
    child = started;
    started.once('error', (err) => {
      finish(127, `cannot run ${program}: ${err.message}`);
    });
    started.once('exit', (code, signal) => {
      finish(code ?? (signal === null ? 1 : 128 + (signalNumbers[signal] ?? 0)), `${program} exited`);
    });
    opts.signal.addEventListener('abort', () => started.kill('SIGTERM'), { once: true });
  } else {
    opts.signal.addEventListener('abort', () => { finish(0, `stopped heartbeats for ${name}`); }, { once: true });
  }
  const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => { finish(child === undefined ? 0 : 1, `reached the timeout; stopped heartbeats for ${name}`); }, opts.timeoutMs);

  while (!stopped()) {
    await sleep(opts.periodMs, undefined, { signal: stop.signal }).catch(() => undefined);
    if (!stopped()) await beat();
  }
  clearTimeout(timer);

  if (child?.exitCode === null && child.signalCode === null) {
    const running = child;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const kill = setTimeout(() => running.kill('SIGKILL'), killGraceMs);
    await exited;
    clearTimeout(kill);
  }
  const result = outcome() ?? { code: 1, why: 'stopped' };
  if (result.code !== 0 || child === undefined) opts.error(`prow boskos heartbeat: ${result.why}`);
  if (opts.releaseTo !== undefined) {
    try {
      await client.release(name, opts.releaseTo);
      opts.print(JSON.stringify({ name, state: opts.releaseTo, released: true }));
    } catch (err) {
      opts.error(`prow boskos heartbeat: cannot release ${name}: ${err instanceof Error ? err.message : String(err)}`);
      return result.code === 0 ? 1 : result.code;
    }
  }
  return result.code;
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
