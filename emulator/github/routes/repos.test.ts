import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';

describe('repository settings', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  const tokens: Record<string, string> = {};
  const as = (login: string): ReturnType<typeof octokitFor> => octokitFor(emu.url, tokens[login]);
  const repo = { owner: 'tools', repo: 'hammer' };

  beforeAll(async () => {
    emu = await startTestEmulator();
    for (const login of ['boss', 'dev']) tokens[login] = (await emu.control.createUser({ login })).token;
    await emu.control.createOrg({ login: 'tools', admins: ['boss'] });
    await emu.control.createRepo({ owner: 'tools', name: 'hammer', collaborators: { dev: 'write' } });
  });

  afterAll(async () => {
    await emu.close();
  });

  it('are changed by admins only, and the merge route obeys the merge methods they allow', async () => {
    expect((await failure(as('dev').repos.update({ ...repo, allow_merge_commit: false }))).status).toBe(403);
    const { data } = await as('boss').repos.update({ ...repo, allow_merge_commit: false, description: 'Hits nails' });
    expect([data.allow_merge_commit, data.allow_squash_merge, data.description]).toEqual([false, true, 'Hits nails']);

    const { number } = await emu.control.createPullRequest({ ...repo, author: 'dev', head: 'nail', title: 'Nail', files: { 'nail.txt': 'nail\n' } });
    const refused = await failure(as('boss').pulls.merge({ ...repo, pull_number: number, merge_method: 'merge' }));
    expect([refused.status, (refused.response?.data as { message: string }).message]).toEqual([405, 'Merge commits are not allowed on this repository.']);
    expect((await as('boss').pulls.merge({ ...repo, pull_number: number, merge_method: 'squash' })).data.merged).toBe(true);
  });
});
