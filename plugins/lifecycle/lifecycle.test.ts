import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { closeRefusal } from './close-command.ts';
import { lifecyclePlugin } from './index.ts';
import { reopenRefusal } from './reopen-command.ts';

let h: PluginHarness;
let ctx: PluginContextBase;
beforeAll(async () => {
  h = await startPluginHarness();
  ctx = h.context();
});
afterAll(async () => {
  await h.close();
});

const repo = { owner: 'acme', repo: 'widgets' };

async function openIssue(author: string, labels: string[] = []): Promise<number> {
  const { data } = await h.as(author).rest.issues.create({ ...repo, title: `by ${author}` });
  if (labels.length > 0) await h.as('admin').rest.issues.addLabels({ ...repo, issue_number: data.number, labels });
  return data.number;
}

let branch = 0;
async function openPull(author: string): Promise<number> {
  branch += 1;
  const { number } = await h.emu.control.createPullRequest({ ...repo, author, head: `lifecycle-${branch}`, title: `change ${branch}`, files: { [`f${branch}.txt`]: 'x\n' } });
  return number;
}

async function run(login: string, number: number, body: string): Promise<void> {
  await lifecyclePlugin.genericComment?.(ctx, await h.comment(login, number, body));
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name).sort();
}

async function issue(number: number): Promise<{ state: string; state_reason?: string | null | undefined }> {
  const { data } = await h.as('admin').rest.issues.get({ ...repo, issue_number: number });
  return data;
}

async function botReplies(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('/close', () => {
  it.each([
    ['the author', 'outsider', 'outsider'],
    ['an org member (a collaborator through the org)', 'member', 'admin'],
    ['an outside collaborator', 'collab', 'admin'],
  ])('lets %s close an active issue, and says so', async (_who, commenter, author) => {
    const n = await openIssue(author);
    await run(commenter, n, '/close');
    expect(await issue(n)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    const replies = await botReplies(n);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`@${commenter}: Closing this issue.`);
  });

  it('refuses anyone else on an active issue with one reply that quotes the command and says who may', async () => {
    const n = await openIssue('member');
    const comment = await h.comment('outsider', n, 'please\n/close');
    await lifecyclePlugin.genericComment?.(ctx, comment);
    // A retried delivery must not reply twice.
    await lifecyclePlugin.genericComment?.(ctx, comment);
    expect((await issue(n)).state).toBe('open');
    const replies = await botReplies(n);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`@outsider: ${closeRefusal}`);
    expect(replies[0]).toContain('> please\n> /close');
  });

  it.each(['lifecycle/stale', 'lifecycle/rotten'])('lets anyone close an item that is %s', async (label) => {
    const n = await openIssue('member', [label]);
    await run('outsider', n, '/close');
    expect((await issue(n)).state).toBe('closed');
  });

  it('closes an issue as not planned', async () => {
    const n = await openIssue('member');
    await run('collab', n, '/close not-planned');
    expect(await issue(n)).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(await botReplies(n)).toEqual([expect.stringContaining('@collab: Closing this issue, marking it as "Not Planned".')]);
  });

  it('closes a PR, but not as not planned', async () => {
    const n = await openPull('collab');
    await run('collab', n, '/close not-planned');
    expect((await issue(n)).state).toBe('open');
    await run('member', n, '/close');
    expect((await issue(n)).state).toBe('closed');
    const replies = await botReplies(n);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('@collab: PRs cannot be closed as Not Planned.');
    expect(replies[1]).toContain('@member: Closed this PR.');
  });

  it('ignores /close with other words on the line, and on an item already closed', async () => {
    const n = await openIssue('member');
    await run('member', n, '/close this later');
    expect((await issue(n)).state).toBe('open');
    await h.as('admin').rest.issues.update({ ...repo, issue_number: n, state: 'closed' });
    await run('member', n, '/close');
    expect(await botReplies(n)).toEqual([]);
  });
});

describe('/reopen', () => {
  it('lets the author and collaborators reopen, and refuses anyone else with one reply', async () => {
    const n = await openIssue('outsider');
    await h.as('admin').rest.issues.update({ ...repo, issue_number: n, state: 'closed' });
    await run('member', n, '/reopen');
    expect((await issue(n)).state).toBe('open');

    const other = await openIssue('member');
    await h.as('admin').rest.issues.update({ ...repo, issue_number: other, state: 'closed' });
    await run('outsider', other, '/reopen');
    expect((await issue(other)).state).toBe('closed');
    await run('member', other, '/reopen');
    expect((await issue(other)).state).toBe('open');
    const replies = await botReplies(other);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain(`@outsider: ${reopenRefusal}`);
    expect(replies[0]).toContain('> /reopen');
    expect(replies[1]).toContain('@member: Reopened this issue.');
  });

  it('reopens a PR, and reports GitHub refusing it', async () => {
    const n = await openPull('outsider');
    await h.as('admin').rest.pulls.update({ ...repo, pull_number: n, state: 'closed' });
    await h.emu.control.faults({ count: 1, status: 422, method: 'PATCH', pathPrefix: `/repos/acme/widgets/pulls/${n}`, message: 'state cannot be changed. The head branch was deleted.' });
    await run('outsider', n, '/reopen');
    expect((await issue(n)).state).toBe('closed');
    await run('outsider', n, '/reopen\n');
    expect((await issue(n)).state).toBe('open');
    const replies = await botReplies(n);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('@outsider: Failed to re-open PR: state cannot be changed. The head branch was deleted.');
    expect(replies[1]).toContain('@outsider: Reopened this PR.');
  });
});

describe('/lifecycle', () => {
  it('lets anyone set a lifecycle label, each one replacing the others, and remove it', async () => {
    const n = await openIssue('member', ['kind/bug']);
    await run('outsider', n, '/lifecycle stale');
    expect(await labels(n)).toEqual(['kind/bug', 'lifecycle/stale']);
    await run('outsider', n, '/lifecycle rotten');
    expect(await labels(n)).toEqual(['kind/bug', 'lifecycle/rotten']);
    await run('collab', n, '/lifecycle active\n/lifecycle frozen');
    expect(await labels(n)).toEqual(['kind/bug', 'lifecycle/frozen']);
    await run('outsider', n, '/remove-lifecycle frozen');
    expect(await labels(n)).toEqual(['kind/bug']);
    // Removing a label that is not there changes nothing and says nothing.
    await run('outsider', n, '/remove-lifecycle rotten');
    expect(await labels(n)).toEqual(['kind/bug']);
    expect(await botReplies(n)).toEqual([]);
  });

  it('refuses lifecycle/frozen on a PR with one reply, and still allows the others', async () => {
    const n = await openPull('collab');
    await run('member', n, '/lifecycle frozen');
    expect(await labels(n)).toEqual([]);
    await run('member', n, '/lifecycle stale');
    expect(await labels(n)).toEqual(['lifecycle/stale']);
    const replies = await botReplies(n);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('@member: The `lifecycle/frozen` label cannot be applied to Pull Requests.');
    expect(replies[0]).toContain('> /lifecycle frozen');
  });

  it('reopens and freezes in one comment, in Prow order', async () => {
    const n = await openIssue('member');
    await h.as('admin').rest.issues.update({ ...repo, issue_number: n, state: 'closed' });
    await run('member', n, '/reopen\n/lifecycle frozen');
    expect((await issue(n)).state).toBe('open');
    expect(await labels(n)).toEqual(['lifecycle/frozen']);
  });

  it('lists its commands and who may use them for /plugin-help', () => {
    expect(lifecyclePlugin.help.commands.map((c) => c.usage)).toEqual(['/close [not-planned]', '/reopen', '/[remove-]lifecycle <active|frozen|stale|rotten>']);
    expect(lifecyclePlugin.help.commands.every((c) => c.whoCanUse.length > 0 && c.examples.length > 0)).toBe(true);
  });
});
