import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { GitRefMoved } from './errors.ts';
import { compareAndDeleteRef, compareAndSwapRef, refValue, ZERO_SHA } from './plumbing.ts';
import { gitText, runGit } from './run-git.ts';

let dir: string;
let a: string;
let b: string;

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'prow-git-plumbing-')), 'r.git');
  await runGit(dir, ['init', '--quiet', '--bare', dir]);
  const tree = await gitText(dir, ['mktree'], { input: '' });
  const who = { name: 'T', email: 't@example.com', date: '1700000000 +0000' };
  const env = { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
  a = await gitText(dir, ['commit-tree', tree], { input: 'a\n', env });
  b = await gitText(dir, ['commit-tree', tree, '-p', a], { input: 'b\n', env });
});

afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

it('moves a ref only from the value the caller saw, and says so when it lost the race', async () => {
  await compareAndSwapRef(dir, 'refs/heads/main', a, undefined);
  await expect(compareAndSwapRef(dir, 'refs/heads/main', b, undefined)).rejects.toBeInstanceOf(GitRefMoved);
  await compareAndSwapRef(dir, 'refs/heads/main', b, a);
  const stale = compareAndSwapRef(dir, 'refs/heads/main', a, a);
  await expect(stale).rejects.toMatchObject({ name: 'GitRefMoved', ref: 'refs/heads/main', expected: a, status: 409 });
  await expect(compareAndDeleteRef(dir, 'refs/heads/main', a)).rejects.toBeInstanceOf(GitRefMoved);
  expect(await refValue(dir, 'refs/heads/main')).toBe(b);
  await compareAndDeleteRef(dir, 'refs/heads/main', b);
  expect(await refValue(dir, 'refs/heads/main')).toBeUndefined();
  expect(ZERO_SHA).toHaveLength(40);
});
