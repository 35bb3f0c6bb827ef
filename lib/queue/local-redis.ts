import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRedisReachable } from './redis.ts';

/** A redis-server this process started and owns for as long as it runs. */
export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** Where `redis-server` is on PATH, or undefined. */
export async function findRedisServer(): Promise<string | undefined> {
  const { access } = await import('node:fs/promises');
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Starts `redis-server` on 127.0.0.1:`port` with no persistence, in a temp dir, and waits until it answers.
 * Rejects with the server's own words when it exits early (port taken, bad option).
 */
export async function startLocalRedis(binary: string, port: number, timeoutMs = 5_000): Promise<LocalRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'prow-redis-'));
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`redis-server exited with code ${code ?? 'null'}: ${output.trim().split('\n').slice(-2).join(' ')}`));
    });
  });
  exited.catch(() => undefined);
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.race([assertRedisReachable(url, 300), exited]);
      break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
