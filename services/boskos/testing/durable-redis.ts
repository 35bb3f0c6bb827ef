import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A redis-server child with the append-only file fsynced on every write, as starter.yaml runs it. */
export interface DurableRedis {
  url: string;
  /** Kills the server (SIGKILL: a crash, nothing flushed beyond what AOF already has). */
  crash(): Promise<void>;
  /** Starts it again on the same port and directory, and waits until it has loaded the AOF and answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    // While it loads the AOF Redis answers LOADING, which rejects.
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Starts `redis-server --appendonly yes --appendfsync always` on a free port in a temp dir. */
export async function startDurableRedis(): Promise<DurableRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'boskos-aof-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    child = started;
    for (let i = 0; !(await answers(url)); i++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited with code ${String(started.exitCode)}`);
      if (i > 200) throw new Error('redis-server did not answer within 10 s');
      await sleep(50);
    }
  };
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running?.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    await gone;
  };
  await launch();
  return {
    url,
    crash: () => kill('SIGKILL'),
    start: launch,
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
