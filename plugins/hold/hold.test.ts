import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { holdIntent } from './hold-label.ts';
import { holdPlugin } from './index.ts';

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
let branch = 0;

async function openPull(author: string): Promise<number> {
  branch += 1;
  const { number } = await h.emu.control.createPullRequest({ ...repo, author, head: `hold-${branch}`, title: `change ${branch}`, files: { [`h${branch}.txt`]: 'x\n' } });
  return number;
}

async function run(login: string, number: number, body: string): Promise<void> {
  await holdPlugin.genericComment?.(ctx, await h.comment(login, number, body));
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name);
}

async function botReplies(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('hold', () => {
  it.each(['/hold cancel', '/unhold', '/remove-hold'])('lets anyone hold a PR, and lift it with %s', async (cancel) => {
    const n = await openPull('collab');
    await run('outsider', n, 'not yet\n/hold until the release is cut');
    expect(await labels(n)).toEqual(['do-not-merge/hold']);
    await run('outsider', n, '/hold');
    expect(await labels(n)).toEqual(['do-not-merge/hold']);
    await run('member', n, cancel);
    expect(await labels(n)).toEqual([]);
    expect(await botReplies(n)).toEqual([]);
  });

  it('lets a cancel win over a hold in the same comment, as Prow', async () => {
    const n = await openPull('collab');
    await h.as('admin').rest.issues.addLabels({ ...repo, issue_number: n, labels: ['do-not-merge/hold'] });
    await run('collab', n, '/hold\n/hold cancel');
    expect(await labels(n)).toEqual([]);
  });

  it('does nothing for words that only look like the command', async () => {
    const n = await openPull('collab');
    await run('outsider', n, 'we should /hold this\n/holdup');
    expect(await labels(n)).toEqual([]);
    expect(await botReplies(n)).toEqual([]);
  });

  it('answers /hold on an issue with one reply instead of ignoring it', async () => {
    const { data: issue } = await h.as('outsider').rest.issues.create({ ...repo, title: 'an issue' });
    await run('outsider', issue.number, '/hold');
    expect(await labels(issue.number)).toEqual([]);
    const replies = await botReplies(issue.number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('@outsider: The `do-not-merge/hold` label can only be applied to pull requests.');
    expect(replies[0]).toContain('> /hold');
  });

  it('reads the commands with Prow regexes', () => {
    expect(holdIntent('/HOLD')).toBe('hold');
    expect(holdIntent('/hold  cancel')).toBe('cancel');
    expect(holdIntent('/unhold please')).toBe(undefined);
    expect(holdIntent(' /hold')).toBe(undefined);
  });

  it('has help for /plugin-help', () => {
    expect(holdPlugin.help.commands[0]).toMatchObject({ usage: '/[remove-][un]hold [cancel]', examples: ['/hold', '/hold cancel', '/unhold', '/remove-hold'] });
  });
});
