import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';

describe('branches, commits, compare and contents', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let gh: ReturnType<typeof octokitFor>;
  const repo = { owner: 'reader', repo: 'docs' };
  let base: string;
  let head: string;

  beforeAll(async () => {
    emu = await startTestEmulator();
    gh = octokitFor(emu.url, (await emu.control.createUser({ login: 'reader' })).token);
    ({ sha: base } = await emu.control.createRepo({ ...repo, name: 'docs', files: { 'README.md': '# docs\n', 'guide/intro.md': 'intro\n' } }));
    ({ sha: head } = await emu.control.commitFiles({ ...repo, branch: 'next', from: 'main', files: { 'guide/intro.md': 'intro\nmore\n', 'README.md': null }, message: 'Rework docs' }));
  });

  afterAll(async () => {
    await emu.close();
  });

  it('lists branches and reads one with its commit', async () => {
    expect((await gh.repos.listBranches(repo)).data.map((b) => [b.name, b.commit.sha, b.protected])).toEqual([
      ['main', base, false],
      ['next', head, false],
    ]);
    const { data } = await gh.repos.getBranch({ ...repo, branch: 'next' });
    expect([data.commit.sha, data.commit.commit.message, data.commit.parents.map((p) => p.sha)]).toEqual([head, 'Rework docs', [base]]);
    expect((await failure(gh.repos.getBranch({ ...repo, branch: 'gone' }))).status).toBe(404);
  });

  it('reads branches and refs whose names hold slashes', async () => {
    const { sha } = await emu.control.commitFiles({ ...repo, branch: 'feature/deep', from: 'main', files: { 'd.txt': 'd\n' }, message: 'Deep' });
    expect((await gh.repos.getBranch({ ...repo, branch: 'feature/deep' })).data.commit.sha).toBe(sha);
    expect((await gh.git.getRef({ ...repo, ref: 'heads/feature/deep' })).data.object.sha).toBe(sha);
    expect((await gh.repos.getCombinedStatusForRef({ ...repo, ref: 'feature/deep' })).data.sha).toBe(sha);
    expect((await gh.repos.getCommit({ ...repo, ref: 'feature/deep' })).data.sha).toBe(sha);
  });

  it('reads a commit with its stats and files, and compares two refs', async () => {
    const { data: commit } = await gh.repos.getCommit({ ...repo, ref: 'next' });
    expect([commit.sha, commit.stats]).toEqual([head, { total: 2, additions: 1, deletions: 1 }]);
    expect(commit.files?.map((f) => [f.filename, f.status])).toEqual([
      ['README.md', 'removed'],
      ['guide/intro.md', 'modified'],
    ]);
    const { data: cmp } = await gh.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...next' });
    expect([cmp.status, cmp.ahead_by, cmp.behind_by, cmp.total_commits, cmp.merge_base_commit.sha]).toEqual(['ahead', 1, 0, 1, base]);
    expect((await gh.repos.compareCommitsWithBasehead({ ...repo, basehead: 'next...main' })).data.status).toBe('behind');
    expect((await failure(gh.repos.getCommit({ ...repo, ref: 'nope' }))).status).toBe(422);
  });

  it('serves files base64-encoded and directories as listings, at any ref', async () => {
    const { data: file } = await gh.repos.getContent({ ...repo, path: 'guide/intro.md', ref: 'next' });
    if (Array.isArray(file) || file.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe('intro\nmore\n');
    expect([file.name, file.path, file.size]).toEqual(['intro.md', 'guide/intro.md', 11]);
    const { data: dir } = await gh.repos.getContent({ ...repo, path: 'guide' });
    expect(Array.isArray(dir) ? dir.map((e) => [e.path, e.type]) : []).toEqual([['guide/intro.md', 'file']]);
    expect((await failure(gh.repos.getContent({ ...repo, path: 'README.md', ref: 'next' }))).status).toBe(404);
  });
});
