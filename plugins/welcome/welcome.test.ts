import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginConfig } from '../../lib/config/index.ts';
import { isProwError } from '../../lib/errors.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { welcomePlugin } from './index.ts';

type Payload = EmitterWebhookEvent<'pull_request.opened'>['payload'];

let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
});
afterAll(async () => {
  await h.close();
});

const repo = { owner: 'acme', repo: 'widgets' };
let branch = 0;

async function openPull(author: string): Promise<number> {
  branch += 1;
  const { number } = await h.emu.control.createPullRequest({ ...repo, author, head: `welcome-${branch}`, title: `change ${branch}`, files: { [`welcome-${branch}.txt`]: 'x\n' } });
  return number;
}

async function opened(number: number): Promise<Payload> {
  const found = (await h.events()).find((e) => e.event === 'pull_request' && e.payload.action === 'opened' && e.payload.number === number);
  if (!found) throw new Error(`no pull_request.opened webhook for #${number}`);
  return found.payload as unknown as Payload;
}

/** Runs welcome for PR `number`'s real `opened` webhook, as hook would. */
async function handle(number: number, plugins?: Partial<PluginConfig>, payload?: Payload): Promise<void> {
  const handler = welcomePlugin.handlers?.['pull_request.opened'];
  if (!handler) throw new Error('welcome does not handle pull_request.opened');
  const ctx = h.context(plugins === undefined ? undefined : { plugins });
  await handler({ ...ctx, event: 'pull_request.opened', payload: payload ?? (await opened(number)) });
}

async function botComments(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('welcome', () => {
  it("greets an outsider's first PR once, even when the delivery is retried, and not their second", async () => {
    await h.emu.control.createUser({ login: 'newcomer' });
    const first = await openPull('newcomer');
    await handle(first);
    await handle(first);
    expect(await botComments(first)).toEqual(['Welcome @newcomer! It looks like this is your first PR to acme/widgets 🎉']);
    const second = await openPull('newcomer');
    await handle(second);
    expect(await botComments(second)).toEqual([]);
  });

  it('does not greet trusted authors or bots, unless always_post for trusted ones', async () => {
    const byCollab = await openPull('collab');
    await handle(byCollab);
    const byMember = await openPull('member');
    await handle(byMember);
    expect([await botComments(byCollab), await botComments(byMember)]).toEqual([[], []]);
    await handle(byCollab, { welcome: [{ repos: ['acme'], always_post: true }] });
    expect(await botComments(byCollab)).toEqual(['Welcome @collab! It looks like this is your first PR to acme/widgets 🎉']);
    await h.emu.control.createUser({ login: 'robot' });
    const byRobot = await openPull('robot');
    const payload = await opened(byRobot);
    await handle(byRobot, { welcome: [{ repos: ['acme'], always_post: true }] }, { ...payload, pull_request: { ...payload.pull_request, user: { ...payload.pull_request.user, type: 'Bot' } } });
    expect(await botComments(byRobot)).toEqual([]);
  });

  it("reads trust from the repo's triggers entry: only_org_members and trusted_org", async () => {
    // In a repo of their own, so each author's PR there is their first.
    for (const login of ['helper', 'helper2', 'friend', 'friend2']) await h.emu.control.createUser({ login });
    await h.emu.control.createOrg({ login: 'friends', admins: ['friend'], members: ['friend2'] });
    await h.emu.control.createRepo({ owner: 'acme', name: 'gadgets', collaborators: { helper: 'write', helper2: 'write' } });
    const gadgets = { owner: 'acme', repo: 'gadgets' };
    const run = async (author: string, plugins: Partial<PluginConfig>): Promise<string[]> => {
      branch += 1;
      const { number } = await h.emu.control.createPullRequest({ ...gadgets, author, head: `welcome-${branch}`, title: 'first', files: { [`g-${branch}.txt`]: 'x\n' } });
      const sent = (await h.events()).find((e) => e.event === 'pull_request' && e.payload.action === 'opened' && e.payload.number === number && (e.payload.repository as { name: string }).name === 'gadgets');
      if (!sent) throw new Error(`no pull_request.opened webhook for gadgets#${number}`);
      await welcomePlugin.handlers?.['pull_request.opened']?.({ ...h.context({ plugins }), repo: 'gadgets', event: 'pull_request.opened', payload: sent.payload as unknown as Payload });
      const { data } = await h.as('admin').rest.issues.listComments({ ...gadgets, issue_number: number });
      return data.map((c) => `${c.user?.login ?? ''}: ${c.body ?? ''}`);
    };
    const welcomed = (login: string): string[] => [`prow-bot: Welcome @${login}! It looks like this is your first PR to acme/gadgets 🎉`];
    // Collaborators who are no org members are trusted by default, not with only_org_members.
    expect(await run('helper', { triggers: [{ repos: ['acme/gadgets'], only_org_members: true }] })).toEqual(welcomed('helper'));
    expect(await run('helper2', {})).toEqual([]);
    expect(await run('friend', { triggers: [{ repos: ['acme'], trusted_org: 'friends' }] })).toEqual([]);
    // The triggers entry of another repo does not apply.
    expect(await run('friend2', { triggers: [{ repos: ['acme/widgets'], trusted_org: 'friends' }] })).toEqual(welcomed('friend2'));
  });

  it("uses the repo's message template over the org's, with the author's name", async () => {
    await h.emu.control.createUser({ login: 'ada', name: "Ada O'Hara" });
    const pr = await openPull('ada');
    await handle(pr, {
      welcome: [
        { repos: ['acme'], message_template: 'org-wide hello' },
        { repos: ['acme/widgets'], message_template: 'Hello {{.AuthorName}} (@{{ .AuthorLogin }}), thanks for {{.Org}}/{{.Repo}}!' },
      ],
    });
    expect(await botComments(pr)).toEqual(['Hello Ada O&#39;Hara (@ada), thanks for acme/widgets!']);
  });

  it('fails with a coded error naming the setting when the template cannot be rendered', async () => {
    await h.emu.control.createUser({ login: 'grace' });
    const pr = await openPull('grace');
    const err = await handle(pr, { welcome: [{ repos: ['acme/widgets'], message_template: 'Hi {{.Login}}' }] }).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_TEMPLATE_INVALID')).toBe(true);
    expect(String(err)).toContain('welcome[0].message_template');
    expect(await botComments(pr)).toEqual([]);
  });
});
