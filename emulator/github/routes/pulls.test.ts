import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';

const run = promisify(execFile);

describe('pull requests', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let tmp: string;
  const tokens: Record<string, string> = {};
  const as = (login: string): ReturnType<typeof octokitFor> => octokitFor(emu.url, tokens[login]);
  const repo = { owner: 'alice', repo: 'proj' };
  const gitEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: tmp,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Bob',
    GIT_AUTHOR_EMAIL: 'bob@users.noreply.emulator',
    GIT_COMMITTER_NAME: 'Bob',
    GIT_COMMITTER_EMAIL: 'bob@users.noreply.emulator',
  });
  const git = async (cwd: string, ...args: string[]): Promise<string> => (await run('git', args, { cwd, env: gitEnv() })).stdout.trim();
  /** A fresh clone of alice/proj authenticated as bob. */
  const clone = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmp, 'clone-'));
    const url = emu.gitUrl('alice', 'proj').replace('http://', `http://x-access-token:${tokens.bob ?? ''}@`);
    await git(tmp, 'clone', '--quiet', url, dir);
    return dir;
  };
  const events = async (event: string, action?: string): Promise<Record<string, unknown>[]> => {
    await emu.app.emu.webhooks.idle();
    return receiver.received
      .filter((r) => r.headers['x-github-event'] === event)
      .map((r) => JSON.parse(r.body) as Record<string, unknown>)
      .filter((p) => action === undefined || p.action === action);
  };
  /** Opens a PR from a new branch holding `files`, through the control API. */
  const openPull = (head: string, files: Record<string, string | null>, title = `change ${head}`) =>
    emu.control.createPullRequest({ ...repo, author: 'bob', head, title, files });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'prow-pulls-'));
    emu = await startTestEmulator();
    receiver = await startWebhookReceiver();
    for (const login of ['alice', 'bob', 'carol']) tokens[login] = (await emu.control.createUser({ login })).token;
    await emu.control.createRepo({ ...repo, name: 'proj', files: { 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n' }, collaborators: { bob: 'write' } });
    await emu.control.addWebhook({ ...repo, url: receiver.url, secret: 's' });
  });

  afterAll(async () => {
    await emu.close();
    await receiver.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('opens a PR on the shared number sequence, with its size from git and refs/pull/N/head written', async () => {
    await as('carol').issues.create({ ...repo, title: 'an issue first' });
    await emu.control.commitFiles({ ...repo, branch: 'feature', from: 'main', files: { 'a.txt': 'one\nTWO\nthree\n', 'c.txt': 'new\n' }, message: 'Change a, add c', pusher: 'bob' });
    const { data: created } = await as('bob').pulls.create({ ...repo, head: 'feature', base: 'main', title: 'Feature', body: 'please' });
    expect(created.number).toBe(2);
    const { data: pull } = await as('carol').pulls.get({ ...repo, pull_number: 2 });
    expect([pull.state, pull.merged, pull.mergeable, pull.mergeable_state]).toEqual(['open', false, true, 'clean']);
    expect([pull.commits, pull.additions, pull.deletions, pull.changed_files]).toEqual([1, 2, 1, 2]);
    const { data: files } = await as('carol').pulls.listFiles({ ...repo, pull_number: 2 });
    expect(files.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ['a.txt', 'modified', 1, 1],
      ['c.txt', 'added', 1, 0],
    ]);
    const { data: commits } = await as('carol').pulls.listCommits({ ...repo, pull_number: 2 });
    expect(commits.map((c) => c.commit.message)).toEqual(['Change a, add c']);
    expect((await as('carol').issues.get({ ...repo, issue_number: 2 })).data.pull_request).toBeDefined();
    const remote = await git(tmp, 'ls-remote', emu.gitUrl('alice', 'proj'), 'refs/pull/2/head');
    expect(remote.split('\t')[0]).toBe(pull.head.sha);
    const opened = await events('pull_request', 'opened');
    expect(opened.map((p) => p.number)).toEqual([2]);
  });

  it('refuses PRs GitHub refuses with 422', async () => {
    const refused = async (head: string, base: string): Promise<unknown> => {
      const err = await failure(as('bob').pulls.create({ ...repo, head, base, title: 't' }));
      expect(err.status).toBe(422);
      return err.response?.data;
    };
    expect(await refused('feature', 'main')).toMatchObject({ errors: [{ message: 'A pull request already exists for alice:feature.' }] });
    expect(await refused('nope', 'main')).toMatchObject({ errors: [{ field: 'head', code: 'invalid' }] });
    expect(await refused('feature', 'nope')).toMatchObject({ errors: [{ field: 'base', code: 'invalid' }] });
    expect(await refused('main', 'main')).toMatchObject({ errors: [{ message: 'No commits between main and main' }] });
  });

  it('refuses a control createPullRequest GitHub would refuse, with the reason', async () => {
    const err = await emu.control.createPullRequest({ ...repo, author: 'bob', head: 'main', title: 'nothing' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, message: expect.stringContaining('No commits between main and main') as unknown });
  });

  it('lists PRs by state, head and base, and edits title and base', async () => {
    const { data: open } = await as('carol').pulls.list({ ...repo, head: 'alice:feature' });
    expect(open.map((p) => p.number)).toEqual([2]);
    expect((await as('carol').pulls.list({ ...repo, base: 'other' })).data).toEqual([]);
    const { data: edited } = await as('bob').pulls.update({ ...repo, pull_number: 2, title: 'Feature!' });
    expect(edited.title).toBe('Feature!');
    expect((await failure(as('carol').pulls.update({ ...repo, pull_number: 2, title: 'mine' }))).status).toBe(403);
    expect((await events('pull_request', 'edited')).map((p) => (p.changes as { title?: { from: string } }).title?.from)).toEqual(['Feature']);
    await emu.control.commitFiles({ ...repo, branch: 'release', from: 'main', files: { 'r.md': 'r\n' }, message: 'Release branch' });
    const { data: rebased } = await as('bob').pulls.update({ ...repo, pull_number: 2, base: 'release' });
    expect([rebased.base.ref, rebased.commits]).toEqual(['release', 1]);
    const changes = (await events('pull_request', 'edited')).map((p) => p.changes as { base?: { ref: { from: string } } });
    expect(changes.map((c) => c.base?.ref.from)).toContain('main');
    await as('bob').pulls.update({ ...repo, pull_number: 2, base: 'main' });
    expect((await failure(as('bob').pulls.update({ ...repo, pull_number: 2, base: 'nope' }))).status).toBe(422);
  });

  it('merges with a merge commit, a squash or a rebase, writing real commits', async () => {
    for (const method of ['merge', 'squash', 'rebase'] as const) {
      const { number, headSha } = await openPull(`m-${method}`, { [`${method}.txt`]: `${method}\n` }, `Add ${method}`);
      const baseBefore = (await as('bob').repos.getBranch({ ...repo, branch: 'main' })).data.commit.sha;
      const guard = await failure(as('bob').pulls.merge({ ...repo, pull_number: number, merge_method: method, sha: baseBefore }));
      expect([guard.status, (guard.response?.data as { message: string }).message]).toEqual([409, 'Head branch was modified. Review and try the merge again.']);
      expect((await failure(as('bob').pulls.checkIfMerged({ ...repo, pull_number: number }))).status).toBe(404);
      const { data: merged } = await as('bob').pulls.merge({ ...repo, pull_number: number, merge_method: method, sha: headSha });
      expect(merged.merged).toBe(true);
      expect((await as('bob').pulls.checkIfMerged({ ...repo, pull_number: number })).status).toBe(204);
      const dir = await clone();
      expect(await git(dir, 'rev-parse', 'HEAD')).toBe(merged.sha);
      const parents = (await git(dir, 'log', '-1', '--format=%P')).split(' ');
      const subject = await git(dir, 'log', '-1', '--format=%s');
      if (method === 'merge') {
        expect(parents).toEqual([baseBefore, headSha]);
        expect(subject).toBe(`Merge pull request #${number} from alice/m-merge`);
      } else if (method === 'squash') {
        expect(parents).toEqual([baseBefore]);
        expect(subject).toBe(`Add squash (#${number})`);
      } else {
        expect(parents).toEqual([baseBefore]);
        expect(subject).toBe('Add rebase');
        expect(merged.sha).not.toBe(headSha);
      }
      expect(await git(dir, 'show', `HEAD:${method}.txt`)).toBe(method);
      const { data: pull } = await as('bob').pulls.get({ ...repo, pull_number: number });
      expect([pull.state, pull.merged, pull.merge_commit_sha, pull.merged_by?.login, pull.commits]).toEqual(['closed', true, merged.sha, 'bob', 1]);
      const closed = (await events('pull_request', 'closed')).filter((p) => p.number === number);
      expect(closed.map((p) => (p.pull_request as { merged: boolean }).merged)).toEqual([true]);
      const pushes = (await events('push')).filter((p) => p.after === merged.sha);
      expect(pushes.map((p) => [p.ref, p.before])).toEqual([['refs/heads/main', baseBefore]]);
    }
  });

  it('merges with no body at all, as GitHub does (merge commit by default)', async () => {
    const { number } = await openPull('bodyless', { 'bodyless.txt': 'b\n' });
    const { data } = await as('bob').pulls.merge({ ...repo, pull_number: number });
    expect(data.merged).toBe(true);
    const { data: commit } = await as('bob').repos.getCommit({ ...repo, ref: data.sha });
    expect(commit.parents).toHaveLength(2);
  });

  it('answers 405 for a conflicting PR, a draft, and a method the repo does not allow', async () => {
    const { number } = await openPull('conflict', { 'a.txt': 'one\nmine\nthree\n' });
    await emu.control.commitFiles({ ...repo, branch: 'main', files: { 'a.txt': 'one\ntheirs\nthree\n' }, message: 'Move main' });
    const { data: pull } = await as('bob').pulls.get({ ...repo, pull_number: number });
    expect([pull.mergeable, pull.mergeable_state]).toEqual([false, 'dirty']);
    const err = await failure(as('bob').pulls.merge({ ...repo, pull_number: number, merge_method: 'merge' }));
    expect([err.status, (err.response?.data as { message: string }).message]).toEqual([405, 'Pull Request is not mergeable']);
    const clean = await openPull('no-rebase', { 'r.txt': 'r\n' });
    const stored = emu.state.repoByName('alice', 'proj');
    if (!stored) throw new Error('no repo');
    stored.allowRebaseMerge = false;
    const refused = await failure(as('bob').pulls.merge({ ...repo, pull_number: clean.number, merge_method: 'rebase' }));
    expect([refused.status, (refused.response?.data as { message: string }).message]).toEqual([405, 'Rebase merges are not allowed on this repository.']);
    stored.allowRebaseMerge = true;
    expect((await failure(as('carol').pulls.merge({ ...repo, pull_number: clean.number, merge_method: 'squash' }))).status).toBe(403);
    await emu.control.commitFiles({ ...repo, branch: 'wip', from: 'main', files: { 'w.txt': 'w\n' }, message: 'WIP' });
    const { data: draft } = await as('bob').pulls.create({ ...repo, head: 'wip', base: 'main', title: 'WIP', draft: true });
    expect([draft.draft, draft.mergeable_state]).toEqual([true, 'draft']);
    expect((await failure(as('bob').pulls.merge({ ...repo, pull_number: draft.number, merge_method: 'merge' }))).status).toBe(405);
  });

  it('follows a git push to the head branch: new head sha, refs/pull/N/head and synchronize', async () => {
    const { number, headSha } = await openPull('sync-me', { 's.txt': 's\n' });
    const dir = await clone();
    await git(dir, 'checkout', '--quiet', 'sync-me');
    await writeFile(join(dir, 's.txt'), 's2\n');
    await git(dir, 'commit', '--quiet', '-am', 'Second commit');
    const pushed = await git(dir, 'rev-parse', 'HEAD');
    await git(dir, 'push', '--quiet', 'origin', 'sync-me');
    const { data: pull } = await as('bob').pulls.get({ ...repo, pull_number: number });
    expect([pull.head.sha, pull.commits]).toEqual([pushed, 2]);
    const sync = (await events('pull_request', 'synchronize')).filter((p) => p.number === number);
    expect(sync.map((p) => [p.before, p.after, (p.pull_request as { head: { sha: string } }).head.sha])).toEqual([[headSha, pushed, pushed]]);
    expect((sync[0]?.sender as { login: string }).login).toBe('bob');
    await git(dir, 'fetch', '--quiet', 'origin', `pull/${number}/head`);
    expect(await git(dir, 'rev-parse', 'FETCH_HEAD')).toBe(pushed);
  });

  it('marks a PR merged when its head is pushed into the base by hand', async () => {
    const { number, headSha } = await openPull('by-hand', { 'h.txt': 'h\n' });
    const dir = await clone();
    await git(dir, 'fetch', '--quiet', 'origin', 'by-hand');
    await git(dir, 'merge', '--quiet', '--ff-only', 'FETCH_HEAD');
    await git(dir, 'push', '--quiet', 'origin', 'HEAD:main');
    const { data: pull } = await as('bob').pulls.get({ ...repo, pull_number: number });
    expect([pull.state, pull.merged, pull.merged_by?.login, pull.head.sha]).toEqual(['closed', true, 'bob', headSha]);
    expect((await as('bob').pulls.checkIfMerged({ ...repo, pull_number: number })).status).toBe(204);
  });

  it('moves refs through the git refs API, synchronizing the PR whose branch moved', async () => {
    const { number, headSha } = await openPull('via-refs', { 'v.txt': 'v\n' });
    const main = (await as('bob').git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha;
    const { data: made } = await as('bob').git.createRef({ ...repo, ref: 'refs/heads/copy', sha: headSha });
    expect(made.ref).toBe('refs/heads/copy');
    expect((await failure(as('bob').git.createRef({ ...repo, ref: 'refs/heads/copy', sha: headSha }))).status).toBe(422);
    const notFf = await failure(as('bob').git.updateRef({ ...repo, ref: 'heads/via-refs', sha: main }));
    expect([notFf.status, (notFf.response?.data as { message: string }).message]).toEqual([422, 'Update is not a fast forward']);
    await as('bob').git.updateRef({ ...repo, ref: 'heads/via-refs', sha: main, force: true });
    expect((await events('pull_request', 'synchronize')).filter((p) => p.number === number).map((p) => p.after)).toEqual([main]);
    const matching = await as('bob').git.listMatchingRefs({ ...repo, ref: 'heads/' });
    expect(matching.data.map((r) => r.ref)).toContain('refs/heads/copy');
    await as('bob').git.deleteRef({ ...repo, ref: 'heads/copy' });
    expect((await failure(as('bob').git.getRef({ ...repo, ref: 'heads/copy' }))).status).toBe(404);
    expect((await events('delete')).map((p) => p.ref)).toContain('copy');
  });
});
