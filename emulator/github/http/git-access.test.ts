import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../testing/test-emulator.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';

const run = promisify(execFile);
const gitEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };

function git(cwd: string, ...args: string[]): Promise<{ stdout: string }> {
  return run('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], { cwd, env: gitEnv });
}

function withToken(url: string, token: string): string {
  return url.replace('http://', `http://x-access-token:${token}@`);
}

describe('git over HTTP', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let work: string;
  let devToken: string;
  let readerToken: string;

  beforeAll(async () => {
    emu = await startTestEmulator();
    receiver = await startWebhookReceiver();
    work = await mkdtemp(join(tmpdir(), 'prow-gh-git-'));
    devToken = (await emu.control.createUser({ login: 'dev' })).token;
    readerToken = (await emu.control.createUser({ login: 'reader' })).token;
    await emu.control.createRepo({ owner: 'dev', name: 'code', private: true, files: { 'a.txt': 'a\n' }, collaborators: { reader: 'read' } });
    await emu.control.addWebhook({ owner: 'dev', repo: 'code', url: receiver.url, secret: 's', events: ['push'] });
  });

  afterAll(async () => {
    await emu.close();
    await receiver.close();
    await rm(work, { recursive: true, force: true });
  });

  it('clones private repos only with a token that can read them', async () => {
    await expect(git(work, 'clone', emu.gitUrl('dev', 'code'), 'anon')).rejects.toThrow();
    await git(work, 'clone', withToken(emu.gitUrl('dev', 'code'), readerToken), 'reader');
    const { stdout } = await git(join(work, 'reader'), 'log', '--format=%s');
    expect(stdout.trim()).toBe('Initial commit');
  });

  it('takes pushes from writers, emits push, and refuses readers', async () => {
    const dir = join(work, 'dev');
    await git(work, 'clone', withToken(emu.gitUrl('dev', 'code'), devToken), 'dev');
    await writeFile(join(dir, 'b.txt'), 'b\n');
    await git(dir, 'add', 'b.txt');
    await git(dir, 'commit', '-m', 'Add b');
    await git(dir, 'push', 'origin', 'HEAD:refs/heads/topic');
    const sha = (await git(dir, 'rev-parse', 'HEAD')).stdout.trim();
    await emu.control.waitForDeliveries();
    const push = JSON.parse(receiver.received.at(-1)?.body ?? '{}') as { ref: string; after: string; sender: { login: string }; commits: { message: string }[] };
    expect([push.ref, push.after, push.sender.login, push.commits.map((c) => c.message)]).toEqual(['refs/heads/topic', sha, 'dev', ['Add b']]);
    const branch = await octokitFor(emu.url, devToken).repos.get({ owner: 'dev', repo: 'code' });
    expect(branch.data.pushed_at).not.toBeNull();

    await git(join(work, 'reader'), 'commit', '--allow-empty', '-m', 'nope');
    await expect(git(join(work, 'reader'), 'push', 'origin', 'HEAD:refs/heads/reader')).rejects.toThrow();
  });
});
