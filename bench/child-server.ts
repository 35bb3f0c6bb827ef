import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Runs `file` again as a child process with `env`, and resolves once it prints `READY <where>` (a port or a
 * URL): each server of a benchmark gets an event loop the load generator does not share.
 */
export function startChildServer(file: string, env: Record<string, string>, label: string): Promise<{ child: ChildProcess; ready: string }> {
  const child = spawn(process.execPath, [...process.execArgv, file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) resolve({ child, ready: m[1] });
    });
    child.once('exit', (code) => {
      reject(new Error(`${label} exited with code ${code ?? 'null'} before listening`));
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
