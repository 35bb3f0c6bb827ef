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

  it('refuses bad arguments with a usage error', async () => {
    await expect(emulator.run(['create-repo', '--repo', 'no-slash', '--url', emu.url])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE'));
    await expect(emulator.run(['frobnicate', '--url', emu.url])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE'));
    await expect(emulator.run(['create-user', '--bogus'])).rejects.toSatisfy((err) => isProwError(err, 'PROW_ERR_USAGE'));
  });
});
