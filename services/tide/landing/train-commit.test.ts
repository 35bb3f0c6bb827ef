import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLandingWorld, type LandingWorld } from './testing/landing-world.ts';
import type { LandingPull, MergeMethod, TrainMember } from './types.ts';

describe('building a train commit with git, against the emulator', () => {
  let world: LandingWorld;
  let seq = 0;
  /** A repo of the test's own, so trains of one test never meet another's. */
  const freshRepo = async (files?: Record<string, string>): Promise<{ repo: string; base: string }> => {
    const repo = `widgets-${++seq}`;
    return { repo, base: await world.createRepo(repo, files) };
  };
  const members = (method: MergeMethod, ...pulls: LandingPull[]): TrainMember[] => pulls.map((pull) => ({ pull, method }));
  const commit = async (repo: string, sha: string): Promise<{ sha: string; parents: { sha: string }[]; message: string; author: string; committer: string }> => {
    const { data } = await world.alice.rest.repos.getCommit({ owner: 'acme', repo, ref: sha });
    return { sha: data.sha, parents: data.parents, message: data.commit.message, author: data.commit.author?.name ?? '', committer: data.commit.committer?.name ?? '' };
  };
  const isAncestor = async (repo: string, ancestor: string, of: string): Promise<boolean> => {
    const { data } = await world.alice.rest.repos.compareCommits({ owner: 'acme', repo, base: ancestor, head: of });
    return data.status === 'ahead' || data.status === 'identical';
  };
  const fileAt = async (repo: string, path: string, ref: string): Promise<string> => {
    const { data } = await world.alice.rest.repos.getContent({ owner: 'acme', repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} is not a file`);
    return Buffer.from(data.content, 'base64').toString('utf8');
  };

  beforeAll(async () => {
    world = await startLandingWorld();
  });

  afterAll(async () => {
    await world.close();
  });

  it('merges three PRs onto the base with merge commits and pushes the result to tide/<branch>/<trainId>', async () => {
    const { repo, base } = await freshRepo();
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' }, 'Add a');
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' }, 'Add b');
    const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' }, 'Add c');
    const result = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 't1', parentSha: base, members: members('merge', a, b, c) });
    if (result.kind !== 'built') throw new Error(`expected a train, got ${result.kind}`);
    expect(result).toMatchObject({ ref: 'refs/heads/tide/main/t1', pulls: [a.number, b.number, c.number], skipped: [] });
    expect(await world.tip(repo, 'tide/main/t1')).toBe(result.sha);

    // Three merge commits in a first-parent chain from the base, each bringing one PR head.
    const third = await commit(repo, result.sha);
    const second = await commit(repo, third.parents[0]?.sha ?? '');
    const first = await commit(repo, second.parents[0]?.sha ?? '');
    expect([first, second, third].map((m) => m.parents.map((p) => p.sha))).toEqual([
      [base, a.headSha],
      [first.sha, b.headSha],
      [second.sha, c.headSha],
    ]);
    expect(first.message).toBe(`Merge pull request #${a.number} from a\n\nAdd a`);
    expect(third.committer).toBe('prow-tide');
    for (const file of ['a.txt', 'b.txt', 'c.txt']) expect(await fileAt(repo, file, result.sha)).toBe(`${file[0] ?? ''}\n`);
  });

  it('builds a train on the previous one: T2 = T1 + its PRs, and rebuilding under the same id replaces the ref', async () => {
    const { repo, base } = await freshRepo();
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
    const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' });
    const t1 = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 't1', parentSha: base, members: members('merge', a) });
    if (t1.kind !== 'built') throw new Error('t1 not built');
    const t2 = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 't2', parentSha: t1.sha, members: members('merge', b, c) });
    if (t2.kind !== 'built') throw new Error('t2 not built');
    expect(await isAncestor(repo, t1.sha, t2.sha)).toBe(true);
    expect(await fileAt(repo, 'a.txt', t2.sha)).toBe('a\n');
    expect(await fileAt(repo, 'c.txt', t2.sha)).toBe('c\n');

    const again = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 't2', parentSha: t1.sha, members: members('merge', b) });
    if (again.kind !== 'built') throw new Error('t2 not rebuilt');
    expect(await world.tip(repo, 'tide/main/t2')).toBe(again.sha);
  });

  it('answers a PR that conflicts with the ones before it, naming it and the file, and pushes nothing', async () => {
    const { repo, base } = await freshRepo({ 'shared.txt': 'one\n' });
    const a = await world.openPull(repo, 'a', { 'shared.txt': 'from a\n' });
    const b = await world.openPull(repo, 'b', { 'shared.txt': 'from b\n' });
    const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' });
    for (const method of ['merge', 'squash', 'rebase'] as const) {
      const trainId = `conflict-${method}`;
      const result = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId, parentSha: base, members: members(method, a, b, c) });
      expect(result).toEqual({ kind: 'rejected', pull: b.number, reason: 'conflict', files: ['shared.txt'], applied: [a.number] });
      expect((await world.alice.rest.git.listMatchingRefs({ owner: 'acme', repo, ref: `heads/tide/main/${trainId}` })).data).toEqual([]);
    }

    const skipping = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 'skip', parentSha: base, members: members('merge', a, b, c), onConflict: 'skip' });
    expect(skipping).toMatchObject({ kind: 'built', pulls: [a.number, c.number], skipped: [{ pull: b.number, reason: 'conflict', files: ['shared.txt'] }] });
  });

  it('builds on a parent another builder pushed, fetching it by SHA into an empty cache', async () => {
    const { repo, base } = await freshRepo();
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
    const t1 = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 't1', parentSha: base, members: members('merge', a) });
    if (t1.kind !== 'built') throw new Error('t1 not built');
    const elsewhere = await world.newBuilder();
    const t2 = await elsewhere.build({ org: 'acme', repo, branch: 'main', trainId: 't2', parentSha: t1.sha, members: members('merge', b) });
    if (t2.kind !== 'built') throw new Error('t2 not built');
    expect((await commit(repo, t2.sha)).parents.map((p) => p.sha)).toEqual([t1.sha, b.headSha]);
  });

  it('answers head-missing for a PR whose pinned head the remote no longer has', async () => {
    const { repo, base } = await freshRepo();
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const gone = { ...a, headSha: 'f'.repeat(40) };
    const result = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 'gone', parentSha: base, members: members('merge', gone) });
    expect(result).toEqual({ kind: 'rejected', pull: a.number, reason: 'head-missing', files: [], applied: [] });
  });

  it('squashes a PR into one commit on the parent, credited to its author, with GitHub’s default message', async () => {
    const { repo, base } = await freshRepo();
    const first = await world.openPull(repo, 'topic', { 'x.txt': 'x\n' }, 'Add x');
    await world.push(repo, 'topic', { 'y.txt': 'y\n' }, 'add y too');
    const pull = { ...first, headSha: await world.tip(repo, 'topic') };
    const result = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 'squash', parentSha: base, members: members('squash', pull) });
    if (result.kind !== 'built') throw new Error('not built');
    const squashed = await commit(repo, result.sha);
    expect(squashed.parents.map((p) => p.sha)).toEqual([base]);
    expect(squashed.message).toBe(`Add x (#${pull.number})\n\n* Add x\n\n* add y too`);
    expect(squashed.author).toBe('Alice');
    expect(await fileAt(repo, 'y.txt', result.sha)).toBe('y\n');
  });

  it('replays a PR’s commits for a rebase: new commits with the same messages and authors, in order', async () => {
    const { repo, base } = await freshRepo();
    const other = await world.openPull(repo, 'other', { 'o.txt': 'o\n' }, 'Add o');
    const first = await world.openPull(repo, 'topic', { 'x.txt': 'x\n' }, 'Add x');
    await world.push(repo, 'topic', { 'y.txt': 'y\n' }, 'add y too');
    const pull = { ...first, headSha: await world.tip(repo, 'topic') };
    const train = [{ pull: other, method: 'merge' as const }, { pull, method: 'rebase' as const }];
    const result = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 'rebase', parentSha: base, members: train });
    if (result.kind !== 'built') throw new Error('not built');
    const top = await commit(repo, result.sha);
    const below = await commit(repo, top.parents[0]?.sha ?? '');
    const merge = await commit(repo, below.parents[0]?.sha ?? '');
    expect([below.message, top.message]).toEqual(['Add x', 'add y too']);
    expect([below.author, top.author]).toEqual(['Alice', 'Alice']);
    expect([top.parents.length, below.parents.length]).toEqual([1, 1]);
    expect(merge.parents.map((p) => p.sha)).toEqual([base, other.headSha]);
    expect(top.sha).not.toBe(pull.headSha);
    expect(await isAncestor(repo, pull.headSha, result.sha)).toBe(false);
  });

  it('writes merge and squash messages from Prow’s merge_commit_template over Tide’s PR fields', async () => {
    const { repo, base } = await freshRepo();
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' }, 'Add a', 'Why a matters.');
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' }, 'Add b', 'Why b matters.');
    const template = { title: '{{.Title}} (#{{.Number}})', body: '{{.Body}}\n\nBy @{{.AuthorLogin}} from {{.HeadRefName}} into {{.GitHub.BaseRef.Name}}' };
    const train = [{ pull: a, method: 'merge' as const }, { pull: b, method: 'squash' as const }];
    const result = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 'tpl', parentSha: base, members: train, template });
    if (result.kind !== 'built') throw new Error('not built');
    const squash = await commit(repo, result.sha);
    const merge = await commit(repo, squash.parents[0]?.sha ?? '');
    expect(merge.message).toBe(`Add a (#${a.number})\n\nWhy a matters.\n\nBy @alice from a into main`);
    expect(squash.message).toBe(`Add b (#${b.number})\n\nWhy b matters.\n\nBy @alice from b into main`);
  });

  it('never writes the token into logs or the clone’s config', async () => {
    const { repo, base } = await freshRepo();
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    await world.builder.build({ org: 'acme', repo, branch: 'main', trainId: 'quiet', parentSha: base, members: members('merge', a) });
    expect(world.logs.text()).not.toContain(world.botToken);
    expect(world.logs.lines.some((l) => l.msg === 'train commit pushed')).toBe(true);
    expect(await readFile(join(world.workDir, 'main', 'acme', repo, '.git', 'config'), 'utf8')).not.toContain(world.botToken);
  });
});
