import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';

describe('commit statuses and check runs', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let token: string;
  let sha: string;
  let ci: Octokit;
  const repo = { owner: 'ci-org', repo: 'svc' };
  const gh = (): Octokit => octokitFor(emu.url, token);

  beforeAll(async () => {
    emu = await startTestEmulator();
    token = (await emu.control.createUser({ login: 'ops' })).token;
    await emu.control.createOrg({ login: 'ci-org', admins: ['ops'] });
    ({ sha } = await emu.control.createRepo({ ...repo, name: 'svc' }));
    const app = await emu.control.createApp({ slug: 'ci-app', permissions: { checks: 'write', statuses: 'write', contents: 'read' } });
    const { installationId } = await emu.control.installApp({ appId: app.appId, account: 'ci-org' });
    ci = new Octokit({
      baseUrl: emu.url,
      authStrategy: createAppAuth,
      auth: { appId: app.appId, privateKey: app.privateKey, installationId },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  });

  afterAll(async () => {
    await emu.close();
  });

  const combined = async (ref: string): Promise<[string, number, string[]]> => {
    const { data } = await gh().repos.getCombinedStatusForRef({ ...repo, ref });
    return [data.state, data.total_count, data.statuses.map((s) => `${s.context}=${s.state}`)];
  };

  it('combines the latest status of each context by GitHub rules', async () => {
    expect(await combined('main')).toEqual(['pending', 0, []]);
    const { data: first } = await gh().repos.createCommitStatus({ ...repo, sha, state: 'success' });
    expect([first.context, first.creator?.login]).toEqual(['default', 'ops']);
    expect(await combined(sha)).toEqual(['success', 1, ['default=success']]);
    await gh().repos.createCommitStatus({ ...repo, sha, state: 'pending', context: 'build' });
    expect((await combined('main'))[0]).toBe('pending');
    await gh().repos.createCommitStatus({ ...repo, sha, state: 'failure', context: 'test' });
    expect((await combined('main'))[0]).toBe('failure');
    await gh().repos.createCommitStatus({ ...repo, sha, state: 'success', context: 'test' });
    await gh().repos.createCommitStatus({ ...repo, sha, state: 'error', context: 'build' });
    expect(await combined('main')).toEqual(['failure', 3, ['build=error', 'test=success', 'default=success']]);
    await gh().repos.createCommitStatus({ ...repo, sha, state: 'success', context: 'build', target_url: 'https://ci.example/1' });
    expect((await combined('main'))[0]).toBe('success');
    const { data: all } = await gh().repos.listCommitStatusesForRef({ ...repo, ref: sha });
    expect(all.map((s) => s.context)).toEqual(['build', 'build', 'test', 'test', 'build', 'default']);
    const missing = await failure(gh().repos.createCommitStatus({ ...repo, sha: 'f'.repeat(40), state: 'success' }));
    expect([missing.status, (missing.response?.data as { message: string }).message]).toEqual([422, `No commit found for SHA: ${'f'.repeat(40)}`]);
  });

  it('lets only GitHub Apps create check runs, and only their own App update them', async () => {
    const asUser = await failure(gh().checks.create({ ...repo, name: 'lint', head_sha: sha }));
    expect([asUser.status, (asUser.response?.data as { message: string }).message]).toEqual([403, 'You must authenticate via a GitHub App.']);
    const { data: run } = await ci.checks.create({ ...repo, name: 'lint', head_sha: sha, status: 'in_progress' });
    expect([run.status, run.conclusion, run.app?.slug]).toEqual(['in_progress', null, 'ci-app']);
    const { data: done } = await ci.checks.update({ ...repo, check_run_id: run.id, conclusion: 'success', output: { title: 'ok', summary: 'all good' } });
    expect([done.status, done.conclusion, done.output.title]).toEqual(['completed', 'success', 'ok']);
    expect((await failure(gh().checks.update({ ...repo, check_run_id: run.id, conclusion: 'failure' }))).status).toBe(403);
    await ci.checks.create({ ...repo, name: 'lint', head_sha: sha, conclusion: 'failure' });
    const { data: latest } = await gh().checks.listForRef({ ...repo, ref: 'main' });
    expect([latest.total_count, latest.check_runs.map((r) => r.conclusion)]).toEqual([1, ['failure']]);
    const { data: every } = await gh().checks.listForRef({ ...repo, ref: 'main', filter: 'all' });
    expect(every.total_count).toBe(2);
    expect((await gh().checks.get({ ...repo, check_run_id: run.id })).data.name).toBe('lint');
  });

  it('makes a PR unstable while its head has a failing status', async () => {
    const { number, headSha } = await emu.control.createPullRequest({ ...repo, author: 'ops', head: 'topic', title: 'T', files: { 'x.txt': 'x\n' } });
    expect((await gh().pulls.get({ ...repo, pull_number: number })).data.mergeable_state).toBe('clean');
    await gh().repos.createCommitStatus({ ...repo, sha: headSha, state: 'failure', context: 'ci' });
    expect((await gh().pulls.get({ ...repo, pull_number: number })).data.mergeable_state).toBe('unstable');
  });
});
