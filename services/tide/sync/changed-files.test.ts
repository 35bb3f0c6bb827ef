import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { createChangedFilesAgent } from './changed-files.ts';

describe('the changed-files agent, against the emulator', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let github: ProwOctokit;
  let botToken: string;
  let pr: { org: string; repo: string; number: number; headSha: string };

  /** Requests the bot has made so far. */
  const requests = async (): Promise<number> => (await emu.control.usage(botToken))[botToken]?.requests ?? 0;

  beforeAll(async () => {
    emu = await startTestEmulator();
    botToken = (await emu.control.createUser({ login: 'tide-bot' })).token;
    await emu.control.createUser({ login: 'alice' });
    await emu.control.createOrg({ login: 'acme', admins: ['tide-bot'], members: ['alice'], defaultRepoPermission: 'write' });
    await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
    const made = await emu.control.createPullRequest({
      owner: 'acme',
      repo: 'widgets',
      author: 'alice',
      head: 'docs',
      title: 'Docs',
      files: { 'docs/guide.md': 'guide', 'pkg/a.go': 'package a' },
    });
    pr = { org: 'acme', repo: 'widgets', ...made };
    github = createGitHubClient({ credentials: { kind: 'token', token: botToken }, logger: memoryLogger('warn').logger, baseUrl: emu.url, retries: { retries: 0 }, rateLimits: { enabled: false } }).octokit;
  });

  afterAll(async () => {
    await emu.close();
  });

  it('reads a head once, keeps it while syncs use it, and forgets it after a sync that does not', async () => {
    const agent = createChangedFilesAgent(github);
    const before = await requests();
    const lazy = agent.forPull(pr);
    expect(await requests()).toBe(before);
    expect([...(await lazy())].sort()).toEqual(['docs/guide.md', 'pkg/a.go']);
    await agent.forPull(pr)();
    expect(await requests()).toBe(before + 1);

    agent.prune();
    await agent.forPull(pr)();
    expect(await requests()).toBe(before + 1);

    agent.prune();
    agent.prune();
    await agent.forPull(pr)();
    expect(await requests()).toBe(before + 2);
  });

  it('reads again when the head moves', async () => {
    const agent = createChangedFilesAgent(github);
    await agent.forPull(pr)();
    const { sha } = await emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch: 'docs', files: { 'pkg/b.go': 'package b' }, message: 'more' });
    const before = await requests();
    expect([...(await agent.forPull({ ...pr, headSha: sha })())].sort()).toEqual(['docs/guide.md', 'pkg/a.go', 'pkg/b.go']);
    expect(await requests()).toBe(before + 1);
  });

  it('does not keep a failed read', async () => {
    const agent = createChangedFilesAgent(github);
    await emu.control.faults({ method: 'GET', pathPrefix: `/repos/acme/widgets/pulls/${String(pr.number)}/files`, status: 502, count: 1 });
    await expect(agent.forPull(pr)()).rejects.toThrow();
    expect((await agent.forPull(pr)()).length).toBeGreaterThan(0);
  });
});
