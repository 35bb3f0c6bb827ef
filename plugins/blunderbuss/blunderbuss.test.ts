import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeWidgets, botCommentsOf, lastWebhook, openPull, runWebhook } from '../owners/owners-test-kit.ts';
import { parseOwnersFile } from '../owners/owners-file.ts';
import { RepoOwners } from '../owners/repo-owners.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { blunderbussPlugin } from './index.ts';
import { reviewersOf, selectReviewers } from './select-reviewers.ts';

type Config = Parameters<PluginHarness['context']>[0];
let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
  for (const login of ['r1', 'r2', 'r3']) await h.emu.control.createUser({ login });
  await h.emu.control.addOrgMembers('acme', ['r1', 'r2', 'r3']);
  await h.emu.control.commitFiles({
    ...acmeWidgets,
    branch: 'main',
    message: 'owners',
    files: {
      OWNERS: 'approvers: [admin]\nreviewers: [r3]\n',
      'svc/OWNERS': 'approvers: [admin]\nreviewers: [collab, r1, r2]\n',
      'solo/OWNERS': 'options:\n  no_parent_owners: true\napprovers: [member]\nreviewers: [collab]\n',
      'alone/OWNERS': 'options:\n  no_parent_owners: true\napprovers: [collab]\nreviewers: [collab]\n',
    },
  });
});
afterAll(async () => {
  await h.close();
});

async function requested(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.pulls.listRequestedReviewers({ ...acmeWidgets, pull_number: number });
  return data.users.map((u) => u.login).sort();
}

async function opened(files: Record<string, string>, config?: Config, body?: string): Promise<number> {
  const { number } = await openPull(h, 'collab', files, body === undefined ? {} : { body });
  await runWebhook(blunderbussPlugin, h.context(config), 'pull_request.opened', await lastWebhook(h, 'pull_request.opened', number));
  return number;
}

describe('reviewer selection', () => {
  const owners = new RepoOwners(new Map([['', parseOwnersFile('reviewers: [a, b, c, d, e, author]\n', new Map())]]));

  it('is reproducible for a seed and never picks the author', () => {
    const pick = (seed: number): string[] => selectReviewers(reviewersOf(owners), 'Author', ['x.go'], 2, seededRandom(seed)).reviewers;
    expect(pick(7)).toEqual(pick(7));
    for (let seed = 0; seed < 50; seed++) {
      const chosen = pick(seed);
      expect(chosen).toHaveLength(2);
      expect(chosen).not.toContain('author');
    }
    expect(new Set(Array.from({ length: 50 }, (_, s) => pick(s).join())).size).toBeGreaterThan(1);
  });
});

describe('blunderbuss', () => {
  it('requests reviews from the OWNERS reviewers of the changed files, never the author', async () => {
    const number = await opened({ 'svc/api.go': 'package svc\n' });
    expect(await requested(number)).toEqual(['r1', 'r2']);
  });

  it('honours request_count', async () => {
    const number = await opened({ 'svc/one.go': 'package svc\n' }, { plugins: { blunderbuss: { request_count: 1 } } });
    const asked = await requested(number);
    expect(asked).toHaveLength(1);
    expect(['r1', 'r2']).toContain(asked[0]);
  });

  it('falls back to approvers when reviewers run out, unless exclude_approvers', async () => {
    expect(await requested(await opened({ 'solo/x.go': 'package solo\n' }))).toEqual(['member']);
    expect(await requested(await opened({ 'solo/y.go': 'package solo\n' }, { plugins: { blunderbuss: { exclude_approvers: true } } }))).toEqual([]);
  });

  it('leaves a PR whose body already has /cc alone', async () => {
    expect(await requested(await opened({ 'svc/cc.go': 'package svc\n' }, undefined, 'please look\n/cc @r3'))).toEqual([]);
  });

  it('requests again on /auto-cc, and says so when nobody but the author is listed', async () => {
    const number = await opened({ 'svc/again.go': 'package svc\n' }, { plugins: { blunderbuss: { request_count: 0 } } });
    expect(await requested(number)).toEqual([]);
    await blunderbussPlugin.genericComment?.(h.context(), await h.comment('outsider', number, '/auto-cc'));
    expect(await requested(number)).toEqual(['r1', 'r2']);

    const lonely = await opened({ 'alone/z.go': 'package alone\n' });
    expect(await requested(lonely)).toEqual([]);
    await blunderbussPlugin.genericComment?.(h.context(), await h.comment('collab', lonely, '/auto-cc'));
    const replies = await botCommentsOf(h, lonely);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^@collab: no reviewers or approvers other than the author/);
  });
});
