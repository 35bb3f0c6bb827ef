import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isProwError } from '../../lib/errors.ts';
import { octokitFor, startTestEmulator } from '../../emulator/github/testing/test-emulator.ts';
import { emulator, seedDemo } from './emulator.ts';

describe('prow emulator', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  const printed: string[] = [];

  beforeAll(async () => {
    emu = await startTestEmulator();
  });

  afterAll(async () => {
    await emu.close();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    printed.length = 0;
  });

  async function run(...argv: string[]): Promise<unknown> {
    printed.length = 0;
    vi.restoreAllMocks();
    vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    expect(await emulator.run([...argv, '--url', emu.url])).toBe(0);
    return JSON.parse(printed.join('\n')) as unknown;
  }

  it('seeds the demo org, users, repo and a branch with a change', async () => {
    const demo = await seedDemo(emu.control);
    expect(demo.repo).toBe('prow-demo/hello');
    const admin = octokitFor(emu.url, demo.tokens['demo-admin']);
    expect((await admin.orgs.getMembershipForUser({ org: 'prow-demo', username: 'demo-contributor' })).data.role).toBe('member');
    const repo = await admin.repos.get({ owner: 'prow-demo', repo: 'hello' });
    expect(repo.data.permissions?.admin).toBe(true);
    const files = await emu.app.emu.git.compare('prow-demo', 'hello', demo.baseBranch, demo.changeBranch);
    expect(files.files.map((f) => [f.filename, f.status])).toEqual([['hello.sh', 'modified']]);
    expect(files.commits.map((c) => c.sha)).toEqual([demo.headSha]);
  });

  it('drives a running emulator with control verbs that print JSON', async () => {
    const user = (await run('create-user', '--login', 'cli-user')) as { login: string; token: string };
    expect(user.login).toBe('cli-user');
    await run('create-org', '--login', 'cli-org', '--admins', 'cli-user');
    const repo = (await run('create-repo', '--repo', 'cli-org/tool', '--private')) as { fullName: string };
    expect(repo.fullName).toBe('cli-org/tool');
    const commit = (await run('commit', '--repo', 'cli-org/tool', '--branch', 'dev', '--from', 'main', '--file', 'a.txt=hello', '--message', 'add a')) as { sha: string };
    expect(commit.sha).toMatch(/^[0-9a-f]{40}$/);
    const gh = octokitFor(emu.url, user.token);
    await gh.issues.create({ owner: 'cli-org', repo: 'tool', title: 'talk to me' });
    const comment = (await run('comment', '--as', 'cli-user', '--repo', 'cli-org/tool', '--number', '1', '--body', '/assign')) as { body: string; user: { login: string } };
    expect([comment.body, comment.user.login]).toEqual(['/assign', 'cli-user']);
    const usage = (await run('usage', '--token', user.token)) as Record<string, { cost: number }>;
    expect(usage[user.token]?.cost).toBe(1);
  });

  it('opens a pull request as a user, reviews it as another, pushes as its author, and makes teams', async () => {
    for (const login of ['pr-author', 'pr-reviewer']) await run('create-user', '--login', login);
    await run('create-org', '--login', 'pr-org', '--admins', 'pr-reviewer', '--members', 'pr-author');
    await run('create-repo', '--repo', 'pr-org/lib', '--collaborator', 'pr-author=write');
    const team = (await run('create-team', '--org', 'pr-org', '--name', 'Reviewers', '--members', 'pr-reviewer', '--team-repo', 'pr-org/lib=maintain')) as { slug: string };
    expect(team.slug).toBe('reviewers');
    const pr = (await run('create-pr', '--as', 'pr-author', '--repo', 'pr-org/lib', '--head', 'feature', '--title', 'Add a feature', '--file', 'feature.txt=new\n')) as { number: number; headSha: string };
    const pushed = (await run('commit', '--repo', 'pr-org/lib', '--branch', 'feature', '--file', 'feature.txt=newer\n', '--as', 'pr-author')) as { sha: string };
    const review = (await run('review', '--as', 'pr-reviewer', '--repo', 'pr-org/lib', '--number', String(pr.number), '--event', 'approve', '--body', 'LGTM')) as { state: string; user: { login: string } };
    expect([review.state, review.user.login]).toEqual(['APPROVED', 'pr-reviewer']);

    const { token } = await emu.control.createToken('pr-reviewer');
    const gh = octokitFor(emu.url, token);
    const { data } = await gh.pulls.get({ owner: 'pr-org', repo: 'lib', pull_number: pr.number });
    expect([data.user.login, data.title, data.head.ref, data.head.sha]).toEqual(['pr-author', 'Add a feature', 'feature', pushed.sha]);
    const { data: files } = await gh.pulls.listFiles({ owner: 'pr-org', repo: 'lib', pull_number: pr.number });
    expect(files.map((f) => f.filename)).toEqual(['feature.txt']);
    const { data: teams } = await gh.teams.listReposInOrg({ org: 'pr-org', team_slug: 'reviewers' });
    expect(teams.map((r) => r.full_name)).toEqual(['pr-org/lib']);
  });

  it('sets the rate limit of a running emulator', async () => {
    const user = (await run('create-user', '--login', 'rl-user')) as { token: string };
    await run('rate-limit', '--limit', '3', '--token', user.token);
    const res = await fetch(`${emu.url}/user`, { headers: { authorization: `token ${user.token}` } });
    expect(res.headers.get('x-ratelimit-limit')).toBe('3');
  });

  it('refuses bad arguments with a usage error', async () => {
    await expect(emulator.run(['create-repo', '--repo', 'no-slash', '--url', emu.url])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE'));
    await expect(emulator.run(['frobnicate', '--url', emu.url])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE'));
    await expect(emulator.run(['create-user', '--bogus'])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE'));
  });
});
