import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitIdentity, GitStore, MergeMethod } from './types.ts';
import { createGitStore } from './git-store.ts';
import { GitMergeConflict } from './errors.ts';

const alice = { name: 'Alice', email: 'alice@example.com' };
const bob = { name: 'Bob', email: 'bob@example.com' };
const merger = { name: 'Merge Bot', email: 'bot@example.com' };
let root: string;
let store: GitStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'prow-git-merge-'));
  store = createGitStore(root);
  await store.createRepo('acme', 'widgets', 'main');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function commit(branch: string, files: Record<string, string | null>, message: string, author: GitIdentity = alice, from?: string) {
  return store.commitFiles('acme', 'widgets', { branch, files, message, author, ...(from === undefined ? {} : { from }) });
}

const lines = (n: number, change?: [number, string]) =>
  Array.from({ length: n }, (_, i) => (change?.[0] === i ? change[1] : `line ${i + 1}`)).join('\n') + '\n';

/** main: base, then one unrelated commit; feature (from base): two commits by Alice and Bob. */
async function diverged() {
  const base = await commit('main', { 'shared.txt': lines(10), 'moved.txt': lines(20) }, 'base');
  const mainTip = await commit('main', { 'main-only.txt': 'm\n' }, 'main work');
  const f1 = await commit('feature', { 'feature.txt': 'f\n' }, 'feature one', alice, base);
  const f2 = await commit('feature', { 'shared.txt': lines(10, [9, 'changed on feature']) }, 'feature two\n\nbody', bob);
  return { base, mainTip, f1, f2 };
}

describe('mergeability', () => {
  it('is clean for disjoint changes and names the paths that conflict', async () => {
    const { base } = await diverged();
    expect(await store.mergeability('acme', 'widgets', 'main', 'feature')).toEqual({ mergeable: true, conflicts: [] });

    await commit('main', { 'shared.txt': lines(10, [9, 'changed on main']) }, 'clash');
    await commit('other', { 'feature.txt': 'unrelated\n' }, 'noop', alice, base);
    expect(await store.mergeability('acme', 'widgets', 'main', 'feature')).toEqual({ mergeable: false, conflicts: ['shared.txt'] });
    expect(await store.mergeability('acme', 'widgets', 'main', 'other')).toEqual({ mergeable: true, conflicts: [] });
  });
});

describe('merge', () => {
  const request = (method: MergeMethod) => ({
    base: 'main',
    head: 'feature',
    method,
    title: 'Add feature (#1)',
    message: 'Details here',
    committer: merger,
  });

  it('merge: a two-parent commit with the merged tree, and the branch moves to it', async () => {
    const { mainTip, f2 } = await diverged();
    const { sha } = await store.merge('acme', 'widgets', request('merge'));
    const info = await store.commit('acme', 'widgets', sha);
    expect(info?.parents).toEqual([mainTip, f2]);
    expect(info?.message).toBe('Add feature (#1)\n\nDetails here');
    expect(info?.committer).toMatchObject(merger);
    expect(await store.resolve('acme', 'widgets', 'main')).toBe(sha);
    expect((await store.readFile('acme', 'widgets', sha, 'shared.txt'))?.toString()).toContain('changed on feature');
    expect((await store.readFile('acme', 'widgets', sha, 'main-only.txt'))?.toString()).toBe('m\n');
  });

  it('squash: one single-parent commit holding every change', async () => {
    const { mainTip } = await diverged();
    const { sha } = await store.merge('acme', 'widgets', { ...request('squash'), author: alice });
    const info = await store.commit('acme', 'widgets', sha);
    expect(info?.parents).toEqual([mainTip]);
    expect(info?.author).toMatchObject(alice);
    expect(info?.committer).toMatchObject(merger);
    expect(await store.resolve('acme', 'widgets', 'main')).toBe(sha);
    expect((await store.readFile('acme', 'widgets', sha, 'feature.txt'))?.toString()).toBe('f\n');
    expect((await store.readFile('acme', 'widgets', sha, 'shared.txt'))?.toString()).toContain('changed on feature');
  });

  it('rebase: replays each commit with its author and message onto the base tip', async () => {
    const { mainTip, f1, f2 } = await diverged();
    const { sha } = await store.merge('acme', 'widgets', request('rebase'));
    const top = await store.commit('acme', 'widgets', sha);
    const bottom = await store.commit('acme', 'widgets', top?.parents[0] ?? '');
    expect(bottom?.parents).toEqual([mainTip]);
    expect([bottom?.message, top?.message]).toEqual(['feature one', 'feature two\n\nbody']);
    expect([bottom?.author.name, top?.author.name]).toEqual(['Alice', 'Bob']);
    expect(top?.committer).toMatchObject(merger);
    expect([bottom?.sha, top?.sha]).not.toContain(f1);
    expect(top?.sha).not.toBe(f2);
    expect(await store.resolve('acme', 'widgets', 'main')).toBe(sha);
    expect((await store.readFile('acme', 'widgets', sha, 'main-only.txt'))?.toString()).toBe('m\n');
    expect((await store.readFile('acme', 'widgets', sha, 'shared.txt'))?.toString()).toContain('changed on feature');
    expect((await store.readFile('acme', 'widgets', bottom?.sha ?? '', 'shared.txt'))?.toString()).toBe(lines(10));
  });

  it('rebase: a conflict at a later step throws and moves nothing', async () => {
    const { f2 } = await diverged();
    const clash = await commit('main', { 'shared.txt': lines(10, [9, 'changed on main']) }, 'clash');
    const attempt = store.merge('acme', 'widgets', request('rebase'));
    await expect(attempt).rejects.toBeInstanceOf(GitMergeConflict);
    await expect(attempt).rejects.toMatchObject({ conflicts: ['shared.txt'], commit: f2 });
    expect(await store.resolve('acme', 'widgets', 'main')).toBe(clash);
  });

  it('merge and squash refuse conflicts and leave the branch', async () => {
    await diverged();
    const clash = await commit('main', { 'shared.txt': lines(10, [9, 'changed on main']) }, 'clash');
    for (const method of ['merge', 'squash'] as const) {
      await expect(store.merge('acme', 'widgets', request(method))).rejects.toBeInstanceOf(GitMergeConflict);
      expect(await store.resolve('acme', 'widgets', 'main')).toBe(clash);
    }
  });
});
