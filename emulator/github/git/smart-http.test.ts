import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitStore, RefUpdate } from './types.ts';
import { createGitStore } from './git-store.ts';
import { ZERO_SHA } from './plumbing.ts';
import { createSmartHttpHandler, parseGitHttpPath, type GitService } from './smart-http.ts';

const run = promisify(execFile);
const alice = { name: 'Alice', email: 'alice@example.com' };

let tmp: string;
let store: GitStore;
let server: http.Server;
let base: string;
let pushes: { owner: string; repo: string; updates: RefUpdate[]; pusher: string | undefined }[];
let authorized: { service: GitService; user: string | undefined }[];

/** A client-side git with its own identity and no access to the machine's git config. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmp,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Carol',
    GIT_AUTHOR_EMAIL: 'carol@example.com',
    GIT_COMMITTER_NAME: 'Carol',
    GIT_COMMITTER_EMAIL: 'carol@example.com',
  };
  const { stdout } = await run('git', args, { cwd, env });
  return stdout.trim();
}

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'prow-git-http-'));
  store = createGitStore(path.join(tmp, 'repos'));
  await store.createRepo('acme', 'widgets', 'main');
  await store.commitFiles('acme', 'widgets', { branch: 'main', files: { 'README.md': 'hello\n' }, message: 'init', author: alice });
  pushes = [];
  authorized = [];
  const handler = createSmartHttpHandler({
    root: store.root,
    authorize: (_owner, _repo, service, authorization) => {
      const user = authorization === `Basic ${Buffer.from('alice:secret').toString('base64')}` ? 'alice' : undefined;
      authorized.push({ service, user });
      // Anyone may fetch; pushing needs the right password.
      return user ?? (service === 'git-upload-pack' ? undefined : false);
    },
    onPush: (owner, repo, updates, pusher) => {
      pushes.push({ owner, repo, updates, pusher });
    },
  });
  server = http.createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

describe('smart HTTP', () => {
  it('clones, pushes a new branch (reporting it) and fetches a pull ref set through the store', async () => {
    const work = path.join(tmp, 'work');
    await git(tmp, 'clone', '--quiet', `${base}/acme/widgets.git`, work);
    expect(await readFile(path.join(work, 'README.md'), 'utf8')).toBe('hello\n');
    const mainSha = await git(work, 'rev-parse', 'HEAD');
    expect(mainSha).toBe(await store.resolve('acme', 'widgets', 'main'));

    await git(work, 'checkout', '--quiet', '-b', 'feature');
    await writeFile(path.join(work, 'feature.txt'), 'new\n');
    await git(work, 'add', 'feature.txt');
    await git(work, 'commit', '--quiet', '-m', 'add feature');
    const featureSha = await git(work, 'rev-parse', 'HEAD');
    await git(work, 'push', '--quiet', `${base.replace('http://', 'http://alice:secret@')}/acme/widgets.git`, 'feature');

    expect(await store.resolve('acme', 'widgets', 'feature')).toBe(featureSha);
    expect((await store.commit('acme', 'widgets', featureSha))?.author.name).toBe('Carol');
    expect(pushes).toEqual([
      { owner: 'acme', repo: 'widgets', updates: [{ ref: 'refs/heads/feature', before: ZERO_SHA, after: featureSha }], pusher: 'alice' },
    ]);

    const prHead = await store.commitFiles('acme', 'widgets', {
      branch: 'pr-source',
      from: 'main',
      files: { 'pr.txt': 'pr\n' },
      message: 'pr work',
      author: alice,
    });
    await store.updateRef('acme', 'widgets', 'refs/pull/1/head', prHead, true);
    await git(work, 'fetch', '--quiet', 'origin', 'refs/pull/1/head');
    expect(await git(work, 'rev-parse', 'FETCH_HEAD')).toBe(prHead);
    expect(await git(work, 'show', 'FETCH_HEAD:pr.txt')).toBe('pr');
  });

  it('refuses a push without valid credentials and reports nothing', async () => {
    const work = path.join(tmp, 'work');
    await git(tmp, 'clone', '--quiet', `${base}/acme/widgets`, work);
    await git(work, 'commit', '--quiet', '--allow-empty', '-m', 'empty');
    const wrong = `${base.replace('http://', 'http://alice:wrong@')}/acme/widgets`;
    await expect(git(work, 'push', '--quiet', wrong, 'HEAD:refs/heads/sneaky')).rejects.toThrow(/Authentication failed/);
    expect(await store.resolve('acme', 'widgets', 'sneaky')).toBeUndefined();
    expect(pushes).toEqual([]);
    expect(authorized.some((a) => a.service === 'git-receive-pack' && a.user === undefined)).toBe(true);
  });

  it('reports deletes and force-pushes with their before and after', async () => {
    const work = path.join(tmp, 'work');
    const remote = `${base.replace('http://', 'http://alice:secret@')}/acme/widgets.git`;
    const mainSha = await store.resolve('acme', 'widgets', 'main');
    await store.updateRef('acme', 'widgets', 'refs/heads/old', mainSha ?? '', false);
    await git(tmp, 'clone', '--quiet', remote, work);
    await git(work, 'commit', '--quiet', '--amend', '-m', 'rewritten');
    const rewritten = await git(work, 'rev-parse', 'HEAD');
    await git(work, 'push', '--quiet', '--force', 'origin', 'HEAD:main', ':old');
    await expect(git(work, 'push', '--quiet', 'origin', 'HEAD:refs/pull/9/head')).rejects.toThrow(/hidden ref/);
    expect(await store.resolve('acme', 'widgets', 'refs/pull/9/head')).toBeUndefined();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.updates).toEqual([
      { ref: 'refs/heads/main', before: mainSha, after: rewritten },
      { ref: 'refs/heads/old', before: mainSha, after: ZERO_SHA },
    ]);
  });

  it('answers 404 for unknown repos and leaves other paths to the caller', async () => {
    const res = await fetch(`${base}/acme/nope.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(404);
    expect((await fetch(`${base}/repos/acme/widgets`)).status).toBe(404);
    const refs = await fetch(`${base}/acme/widgets/info/refs?service=git-upload-pack`);
    expect(refs.status).toBe(200);
    expect(refs.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    expect(await refs.text()).toContain('# service=git-upload-pack');
  });
});

describe('parseGitHttpPath', () => {
  it('accepts both spellings of the repo and only the smart endpoints', () => {
    expect(parseGitHttpPath('/o/r.git/info/refs?service=git-receive-pack')).toEqual({
      owner: 'o',
      repo: 'r',
      service: 'git-receive-pack',
      endpoint: 'info/refs',
    });
    expect(parseGitHttpPath('/o/r/git-upload-pack')).toMatchObject({ repo: 'r', endpoint: 'git-upload-pack' });
    expect(parseGitHttpPath('/o/r.git/info/refs')).toBeUndefined();
    expect(parseGitHttpPath('/o/r.git/HEAD')).toBeUndefined();
    expect(parseGitHttpPath('/%E0%A4%A/r.git/git-upload-pack')).toBeUndefined();
  });
});
