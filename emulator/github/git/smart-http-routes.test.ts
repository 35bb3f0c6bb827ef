import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { fastify, type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { GitStore } from './types.ts';
import { createGitStore } from './git-store.ts';
import { smartHttpRoutes } from './smart-http-routes.ts';

const run = promisify(execFile);
let tmp: string;
let store: GitStore;
let app: FastifyInstance;
let base: string;
let head: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'prow-git-routes-'));
  store = createGitStore(path.join(tmp, 'repos'));
  await store.createRepo('acme', 'widgets', 'main');
  head = await store.commitFiles('acme', 'widgets', {
    branch: 'main',
    files: { 'a.txt': 'a\n' },
    message: 'init',
    author: { name: 'Alice', email: 'alice@example.com' },
  });
  app = fastify();
  app.get('/repos/:owner/:repo', () => ({ api: true }));
  await app.register(smartHttpRoutes, { root: store.root });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterEach(async () => {
  await app.close();
  await rm(tmp, { recursive: true, force: true });
});

const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;

it('serves git clone from a fastify app without disturbing its other routes', async () => {
  const env = { PATH: process.env.PATH ?? '', HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const work = path.join(tmp, 'work');
  await run('git', ['clone', '--quiet', `${base}/acme/widgets.git`, work], { env });
  const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: work, env });
  expect(stdout.trim()).toBe(head);
  expect(await (await fetch(`${base}/repos/acme/widgets`)).json()).toEqual({ api: true });
});

it('accepts a gzip-compressed upload-pack request', async () => {
  const body = gzipSync(`${pkt(`want ${head} ofs-delta\n`)}0000${pkt('done\n')}`);
  const res = await fetch(`${base}/acme/widgets.git/git-upload-pack`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Content-Encoding': 'gzip' },
    body,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
  const reply = Buffer.from(await res.arrayBuffer());
  expect(reply.subarray(0, 8).toString()).toBe('0008NAK\n');
  expect(reply.subarray(8, 12).toString()).toBe('PACK');
});
