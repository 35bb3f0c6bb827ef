import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../../lib/log.ts';
import { buildEmulatorApp } from './app.ts';
import { EmulatorControl } from './control/emulator-control.ts';
import { createGitStore } from './git/git-store.ts';
import { Urls } from './render/urls.ts';
import { EmulatorState } from './state/state.ts';

export { buildEmulatorApp, type EmulatorDeps } from './app.ts';
export type { EmulatorContext } from './context.ts';
export { EmulatorControl, EmulatorControlError } from './control/emulator-control.ts';
export { EmulatorState } from './state/state.ts';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where the bare git repositories live; a temp dir removed on close when absent. */
  dataDir?: string;
  /** Requests per token per hour; GitHub's 5000 by default. */
  rateLimit?: number;
  logger?: Logger;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: REST at the root, GraphQL at /graphql. */
  url: string;
  /** Clone URL of a repo (git smart HTTP). */
  gitUrl(owner: string, repo: string): string;
  control: EmulatorControl;
  state: EmulatorState;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the GitHub emulator on a port; `close()` stops it and removes its temp dir. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const logger = opts.logger ?? createLogger({ level: 'warn', name: 'github-emulator' });
  const tempDir = opts.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'prow-gh-emulator-')) : undefined;
  const dataDir = opts.dataDir ?? tempDir ?? '';
  const state = new EmulatorState();
  const urls = new Urls();
  const app = await buildEmulatorApp({
    git: createGitStore(join(dataDir, 'git')),
    logger,
    state,
    urls,
    ...(opts.rateLimit === undefined ? {} : { rateLimit: opts.rateLimit }),
  });
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 0);
  urls.base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: urls.base,
    gitUrl: (owner, repo) => urls.git(owner, repo),
    control: new EmulatorControl(urls.base),
    state,
    app,
    async close() {
      await app.emu.webhooks.idle();
      await app.close();
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    },
  };
}
