import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import { createGitHubClient } from '../../../lib/github/github-client.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { applicableBlockers, blockersFromIssues, findBlockers, type BlockerIssue } from './blockers.ts';

const issue = (number: number, title: string, repo = 'widgets'): BlockerIssue => ({
  number,
  title,
  url: `https://github.com/acme/${repo}/issues/${number}`,
  repository: { name: repo, owner: { login: 'acme' } },
});

describe('blockersFromIssues', () => {
  it('scopes a blocker to the branches its title names, and strips those tokens from the title', () => {
    const blockers = blockersFromIssues([
      issue(7, 'Freeze everything'),
      issue(3, 'Release freeze branch:release-1.0 and Branch: release-1.1.'),
      issue(5, 'Broken CI branch:main'),
    ]);
    expect(applicableBlockers(blockers, 'acme', 'widgets', 'release-1.0').map((b) => [b.number, b.title])).toEqual([
      [3, 'Release freeze  and .'],
      [7, 'Freeze everything'],
    ]);
    expect(applicableBlockers(blockers, 'acme', 'widgets', 'release-1.1').map((b) => b.number)).toEqual([3, 7]);
    expect(applicableBlockers(blockers, 'acme', 'widgets', 'main').map((b) => b.number)).toEqual([5, 7]);
    expect(applicableBlockers(blockers, 'acme', 'widgets', 'dev').map((b) => b.number)).toEqual([7]);
    expect(applicableBlockers(blockers, 'acme', 'gadgets', 'main')).toEqual([]);
  });
});

describe('findBlockers, against the emulator', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let github: ProwOctokit;
  let alice: Octokit;
  const queries = [{ repos: ['acme/widgets'], labels: ['lgtm'] }];

  const openIssue = async (repo: string, title: string, labels: string[]): Promise<number> =>
    (await alice.rest.issues.create({ owner: 'acme', repo, title, labels })).data.number;

  beforeAll(async () => {
    emu = await startTestEmulator();
    const botToken = (await emu.control.createUser({ login: 'tide-bot' })).token;
    alice = octokitFor(emu.url, (await emu.control.createUser({ login: 'alice' })).token);
    await emu.control.createOrg({ login: 'acme', admins: ['tide-bot'], members: ['alice'], defaultRepoPermission: 'write' });
    await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
    await emu.control.createRepo({ owner: 'acme', name: 'gadgets' });
    github = createGitHubClient({ credentials: { kind: 'token', token: botToken }, logger: memoryLogger('warn').logger, baseUrl: emu.url, retries: { retries: 0 } }).octokit;
  });

  afterAll(async () => {
    await emu.close();
  });

  it('finds the open labelled issues of the repos the queries cover, and only those', async () => {
    const whole = await openIssue('widgets', 'Outage', ['tide/merge-blocker']);
    const branch = await openIssue('widgets', 'Freeze branch:release-1.0', ['tide/merge-blocker']);
    const closed = await openIssue('widgets', 'Old outage', ['tide/merge-blocker']);
    await alice.rest.issues.update({ owner: 'acme', repo: 'widgets', issue_number: closed, state: 'closed' });
    await openIssue('widgets', 'Unlabelled', ['bug']);
    await openIssue('gadgets', 'Elsewhere', ['tide/merge-blocker']);
    const pr = await emu.control.createPullRequest({ owner: 'acme', repo: 'widgets', author: 'alice', head: 'fix', title: 'A PR', files: { 'f.txt': 'f' } });
    await alice.rest.issues.addLabels({ owner: 'acme', repo: 'widgets', issue_number: pr.number, labels: ['tide/merge-blocker'] });

    const blockers = await findBlockers(github, 'tide/merge-blocker', queries);
    expect(applicableBlockers(blockers, 'acme', 'widgets', 'main').map((b) => b.number)).toEqual([whole]);
    expect(applicableBlockers(blockers, 'acme', 'widgets', 'release-1.0')).toEqual([
      { number: whole, title: 'Outage', url: expect.stringContaining(`/acme/widgets/issues/${whole}`) as unknown },
      { number: branch, title: 'Freeze ', url: expect.stringContaining(`/acme/widgets/issues/${branch}`) as unknown },
    ]);
    expect(blockers.repo.has('acme/gadgets')).toBe(false);
  });

  it('finds nothing, and asks nothing, when no blocker label is configured', async () => {
    const before = await emu.control.usage();
    const blockers = await findBlockers(github, undefined, queries);
    expect([blockers.repo.size, blockers.branch.size]).toEqual([0, 0]);
    expect(await emu.control.usage()).toEqual(before);
  });
});
