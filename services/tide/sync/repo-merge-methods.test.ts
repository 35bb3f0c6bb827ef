import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { createRepoMergeMethodsReader, repoSettingsTtlMs } from './repo-merge-methods.ts';

describe('repo merge methods, against the emulator', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let github: ProwOctokit;
  let botToken: string;
  const requests = async (): Promise<number> => (await emu.control.usage(botToken))[botToken]?.requests ?? 0;

  beforeAll(async () => {
    emu = await startTestEmulator();
    botToken = (await emu.control.createUser({ login: 'tide-bot' })).token;
    await emu.control.createOrg({ login: 'acme', admins: ['tide-bot'] });
    await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
    github = createGitHubClient({ credentials: { kind: 'token', token: botToken }, logger: memoryLogger('warn').logger, baseUrl: emu.url, retries: { retries: 0 }, rateLimits: { enabled: false } }).octokit;
    await github.rest.repos.update({ owner: 'acme', repo: 'widgets', allow_squash_merge: false });
  });

  afterAll(async () => {
    await emu.close();
  });

  it('reads what the settings allow once an hour, and again after a failed read', async () => {
    let now = 0;
    const read = createRepoMergeMethodsReader(github, { now: () => now });
    const before = await requests();
    expect(await read('acme', 'widgets')).toEqual({ merge: true, squash: false, rebase: true });
    now = repoSettingsTtlMs - 1;
    await read('acme', 'widgets');
    expect(await requests()).toBe(before + 1);

    await github.rest.repos.update({ owner: 'acme', repo: 'widgets', allow_squash_merge: true, allow_rebase_merge: false });
    now = repoSettingsTtlMs;
    expect(await read('acme', 'widgets')).toEqual({ merge: true, squash: true, rebase: false });

    await emu.control.faults({ method: 'GET', pathPrefix: '/repos/acme/gadgets', status: 502, count: 1 });
    await expect(read('acme', 'gadgets')).rejects.toThrow();
    await emu.control.createRepo({ owner: 'acme', name: 'gadgets' });
    expect(await read('acme', 'gadgets')).toEqual({ merge: true, squash: true, rebase: true });
  });
});
