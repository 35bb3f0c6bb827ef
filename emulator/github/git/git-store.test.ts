import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileChanges, GitStore } from './types.ts';
import { createGitStore } from './git-store.ts';
import { GitInvalidName, GitNotFastForward, GitRefNotFound, GitRepoExists, GitRepoNotFound } from './errors.ts';

const alice = { name: 'Alice', email: 'alice@example.com' };
let root: string;
let store: GitStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'prow-git-store-'));
  store = createGitStore(root, { now: () => new Date('2024-05-01T12:00:00Z') });
  await store.createRepo('acme', 'widgets', 'main');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const lines = (n: number, change?: [number, string]) =>
  Array.from({ length: n }, (_, i) => (change?.[0] === i ? change[1] : `line ${i + 1}`)).join('\n') + '\n';

function commit(branch: string, files: FileChanges, message = 'change', from?: string): Promise<string> {
  return store.commitFiles('acme', 'widgets', { branch, files, message, author: alice, ...(from === undefined ? {} : { from }) });
}

describe('createRepo and commitFiles', () => {
  it('starts empty and makes the root commit on the default branch', async () => {
    expect(await store.branches('acme', 'widgets')).toEqual([]);
    expect(await store.resolve('acme', 'widgets', 'main')).toBeUndefined();

    const sha = await commit('main', { 'README.md': '# widgets\n', 'src/deep/a.ts': 'export {};\n' }, 'Initial commit');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await store.branches('acme', 'widgets')).toEqual([{ name: 'main', sha }]);
    const info = await store.commit('acme', 'widgets', sha);
    expect(info).toMatchObject({
      sha,
      parents: [],
      message: 'Initial commit',
      author: { ...alice, date: '2024-05-01T12:00:00Z' },
      committer: { ...alice, date: '2024-05-01T12:00:00Z' },
    });
    expect((await store.readFile('acme', 'widgets', 'main', 'src/deep/a.ts'))?.toString()).toBe('export {};\n');
    expect(await store.readFile('acme', 'widgets', 'main', 'src/deep')).toBeUndefined();
    expect(await store.readFile('acme', 'widgets', 'main', 'missing.txt')).toBeUndefined();
  });

  it('refuses a second repo of the same name and unsafe names', async () => {
    await expect(store.createRepo('acme', 'widgets', 'main')).rejects.toBeInstanceOf(GitRepoExists);
    await expect(store.createRepo('..', 'x', 'main')).rejects.toBeInstanceOf(GitInvalidName);
    await expect(store.resolve('acme', 'nope', 'main')).rejects.toBeInstanceOf(GitRepoNotFound);
  });

  it('updates, deletes files and directories, and branches from another ref', async () => {
    const first = await commit('main', { 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'dir/c/d.txt': 'd\n' });
    const second = await commit('feature', { 'a.txt': 'A\n', dir: null, 'bin.dat': new Uint8Array([0, 1, 2]) }, 'edit', 'main');
    expect((await store.commit('acme', 'widgets', second))?.parents).toEqual([first]);
    expect((await store.readFile('acme', 'widgets', 'feature', 'a.txt'))?.toString()).toBe('A\n');
    expect(await store.readFile('acme', 'widgets', 'feature', 'dir/c/d.txt')).toBeUndefined();
    expect([...((await store.readFile('acme', 'widgets', 'feature', 'bin.dat')) ?? [])]).toEqual([0, 1, 2]);
    expect((await store.readFile('acme', 'widgets', first, 'dir/b.txt'))?.toString()).toBe('b\n');
    await expect(commit('other', { x: 'x' }, 'm', 'no-such-branch')).rejects.toBeInstanceOf(GitRefNotFound);
    await expect(commit('main', { '../escape': 'x' })).rejects.toBeInstanceOf(GitInvalidName);
  });

  it('replaces a file with a directory of the same name', async () => {
    await commit('main', { thing: 'file\n' });
    await commit('main', { thing: null, 'thing/inner.txt': 'inner\n' });
    expect((await store.readFile('acme', 'widgets', 'main', 'thing/inner.txt'))?.toString()).toBe('inner\n');
  });

  it('serializes concurrent commits to one branch so none is lost', async () => {
    await commit('main', { base: 'x' });
    await Promise.all(Array.from({ length: 5 }, (_, i) => commit('main', { [`f${i}.txt`]: `${i}\n` })));
    for (let i = 0; i < 5; i++) expect((await store.readFile('acme', 'widgets', 'main', `f${i}.txt`))?.toString()).toBe(`${i}\n`);
  });
});

describe('resolve', () => {
  it('resolves branch names, full refs and full or short shas', async () => {
    const sha = await commit('main', { a: 'a' });
    expect(await store.resolve('acme', 'widgets', 'main')).toBe(sha);
    expect(await store.resolve('acme', 'widgets', 'refs/heads/main')).toBe(sha);
    expect(await store.resolve('acme', 'widgets', 'HEAD')).toBe(sha);
    expect(await store.resolve('acme', 'widgets', sha)).toBe(sha);
    expect(await store.resolve('acme', 'widgets', sha.slice(0, 8))).toBe(sha);
    expect(await store.resolve('acme', 'widgets', 'refs/heads/nope')).toBeUndefined();
    expect(await store.resolve('acme', 'widgets', '--all')).toBeUndefined();
    expect(await store.resolve('acme', 'widgets', '0'.repeat(40))).toBeUndefined();
  });
});

describe('updateRef and deleteRef', () => {
  it('fast-forwards without force, refuses otherwise, and forces when asked', async () => {
    const a = await commit('main', { f: '1' });
    const b = await commit('main', { f: '2' });
    const side = await commit('side', { g: '1' }, 'side', a);

    await store.updateRef('acme', 'widgets', 'refs/pull/1/head', a, false);
    await store.updateRef('acme', 'widgets', 'refs/pull/1/head', b, false);
    expect(await store.resolve('acme', 'widgets', 'refs/pull/1/head')).toBe(b);

    const refusal = store.updateRef('acme', 'widgets', 'refs/pull/1/head', side, false);
    await expect(refusal).rejects.toBeInstanceOf(GitNotFastForward);
    await expect(refusal).rejects.toMatchObject({ ref: 'refs/pull/1/head', current: b, requested: side });
    expect(await store.resolve('acme', 'widgets', 'refs/pull/1/head')).toBe(b);

    await store.updateRef('acme', 'widgets', 'refs/pull/1/head', side, true);
    expect(await store.resolve('acme', 'widgets', 'refs/pull/1/head')).toBe(side);

    await store.deleteRef('acme', 'widgets', 'refs/pull/1/head');
    expect(await store.resolve('acme', 'widgets', 'refs/pull/1/head')).toBeUndefined();
    await expect(store.deleteRef('acme', 'widgets', 'refs/pull/1/head')).rejects.toBeInstanceOf(GitRefNotFound);
    await expect(store.updateRef('acme', 'widgets', 'refs/heads/x', '1'.repeat(40), true)).rejects.toBeInstanceOf(GitRefNotFound);
  });

  it('answers isAncestor for related, unrelated and missing commits', async () => {
    const a = await commit('main', { f: '1' });
    const b = await commit('main', { f: '2' });
    expect(await store.isAncestor('acme', 'widgets', a, b)).toBe(true);
    expect(await store.isAncestor('acme', 'widgets', b, a)).toBe(false);
    expect(await store.isAncestor('acme', 'widgets', 'nope', b)).toBe(false);
  });

  it('deletes the repository', async () => {
    await store.deleteRepo('acme', 'widgets');
    await expect(store.branches('acme', 'widgets')).rejects.toBeInstanceOf(GitRepoNotFound);
  });
});

describe('compare', () => {
  it('lists head-only commits oldest first and the files changed since the merge base', async () => {
    const base = await commit('main', { 'a.txt': lines(5), 'old-name.txt': lines(20), 'gone.txt': 'bye\n' }, 'base');
    const mainTip = await commit('main', { 'main-only.txt': 'x\n' }, 'main moves on');
    const c1 = await commit('topic', { 'a.txt': lines(5, [1, 'two']), 'new.txt': 'n1\nn2\n' }, 'first', base);
    const c2 = await commit('topic', { 'old-name.txt': null, 'new-name.txt': lines(20, [19, 'last']), 'gone.txt': null }, 'second');

    const cmp = await store.compare('acme', 'widgets', 'main', 'topic');
    expect(cmp.mergeBase).toBe(base);
    expect(cmp.aheadBy).toBe(2);
    expect(cmp.behindBy).toBe(1);
    expect(cmp.commits.map((c) => c.sha)).toEqual([c1, c2]);
    expect(cmp.files.map((f) => f.filename)).not.toContain('main-only.txt');

    const byName = new Map(cmp.files.map((f) => [f.filename, f]));
    expect(byName.get('a.txt')).toMatchObject({ status: 'modified', additions: 1, deletions: 1, changes: 2 });
    expect(byName.get('a.txt')?.patch).toBe('@@ -1,5 +1,5 @@\n line 1\n-line 2\n+two\n line 3\n line 4\n line 5');
    expect(byName.get('new.txt')).toMatchObject({ status: 'added', additions: 2, deletions: 0, patch: '@@ -0,0 +1,2 @@\n+n1\n+n2' });
    expect(byName.get('gone.txt')).toMatchObject({ status: 'removed', additions: 0, deletions: 1 });
    expect(byName.get('new-name.txt')).toMatchObject({ status: 'renamed', previous_filename: 'old-name.txt', additions: 1, deletions: 1 });
    expect(byName.has('old-name.txt')).toBe(false);

    const newBlob = (await store.readFile('acme', 'widgets', 'topic', 'new.txt'))?.toString();
    expect(newBlob).toBe('n1\nn2\n');
    expect(byName.get('new.txt')?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(byName.get('gone.txt')?.sha).not.toBe('0'.repeat(40));
    expect((await store.compare('acme', 'widgets', 'topic', 'main')).commits.map((c) => c.sha)).toEqual([mainTip]);
  });
});

describe('listTree', () => {
  it('lists a directory, the whole tree recursively, and nothing for files or missing refs', async () => {
    await commit('main', { 'README.md': 'hi\n', 'src/a.ts': 'a\n', 'src/lib/b.ts': 'bb\n' });
    const root = await store.listTree('acme', 'widgets', 'main', '', false);
    expect(root?.map((e) => [e.path, e.type, e.size])).toEqual([
      ['README.md', 'blob', 3],
      ['src', 'tree', undefined],
    ]);
    const src = await store.listTree('acme', 'widgets', 'main', '/src/', false);
    expect(src?.map((e) => e.path)).toEqual(['src/a.ts', 'src/lib']);
    const all = await store.listTree('acme', 'widgets', 'main', '', true);
    expect(all?.map((e) => e.path)).toEqual(['README.md', 'src', 'src/a.ts', 'src/lib', 'src/lib/b.ts']);
    const tree = root?.find((e) => e.path === 'src')?.sha ?? '';
    expect((await store.listTree('acme', 'widgets', tree, '', false))?.map((e) => e.path)).toEqual(['a.ts', 'lib']);
    expect(await store.listTree('acme', 'widgets', 'main', 'README.md', false)).toBeUndefined();
    expect(await store.listTree('acme', 'widgets', 'nope', '', false)).toBeUndefined();
  });
});
