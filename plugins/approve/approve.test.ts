import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeWidgets, commentsOf, labelsOf, lastWebhook, openPull, runWebhook } from '../owners/owners-test-kit.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { approvePlugin, notAnApproverReply } from './index.ts';

type Config = Parameters<PluginHarness['context']>[0];
let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
  h.tokens.rev = (await h.emu.control.createUser({ login: 'rev' })).token;
  await h.emu.control.commitFiles({
    ...acmeWidgets,
    branch: 'main',
    message: 'owners',
    files: {
      OWNERS_ALIASES: 'aliases:\n  app-approvers: [member, rev]\n',
      OWNERS: 'approvers: [admin]\nreviewers: [member]\n',
      'app/OWNERS': 'approvers: [app-approvers]\n',
      'island/OWNERS': 'options:\n  no_parent_owners: true\napprovers: [member]\n',
    },
  });
});
afterAll(async () => {
  await h.close();
});

async function opened(author: string, files: Record<string, string>, config?: Config): Promise<number> {
  const { number } = await openPull(h, author, files);
  await runWebhook(approvePlugin, h.context(config), 'pull_request.opened', await lastWebhook(h, 'pull_request.opened', number));
  return number;
}

async function say(login: string, number: number, body: string, config?: Config): Promise<void> {
  const comment = await h.comment(login, number, body);
  await approvePlugin.genericComment?.(h.context(config), comment);
}

/** The bot's notifier comments on `number` (there must be exactly one). */
async function notifier(number: number): Promise<{ id: number; body: string }> {
  const found = (await commentsOf(h, number)).filter((c) => c.user === 'prow-bot' && c.body.startsWith('[APPROVALNOTIFIER]'));
  expect(found).toHaveLength(1);
  return found[0] ?? { id: 0, body: '' };
}

describe('approve', () => {
  it('needs an approver for every OWNERS file, keeping one notifier comment edited in place', async () => {
    const number = await opened('collab', { 'app/main.go': 'package app\n', 'island/reef.go': 'package island\n' });
    const first = await notifier(number);
    expect(first.body).toMatch(/^\[APPROVALNOTIFIER\] This PR is \*\*NOT APPROVED\*\*\n\nThis pull-request has been approved by: \*<a href=".*" title="Author self-approved">collab<\/a>\*\n/);
    expect(first.body).toContain('Needs approval from an approver in each of these files:');
    expect(first.body).toMatch(/- \*\*\[app\/OWNERS\]\(.*\/acme\/widgets\/blob\/main\/app\/OWNERS\)\*\*\n/);
    expect(first.body).toMatch(/- \*\*\[island\/OWNERS\]\(.*\/acme\/widgets\/blob\/main\/island\/OWNERS\)\*\*\n/);
    expect(first.body).toContain('**Once this PR has been reviewed and has the lgtm label**, please assign');

    // `rev` approves through the app-approvers alias: app/OWNERS is covered, island/OWNERS is not.
    await say('rev', number, '/approve');
    const partial = await notifier(number);
    expect(partial.id).toBe(first.id);
    expect(partial.body).toContain('This PR is **NOT APPROVED**');
    expect(partial.body).toMatch(/- ~~\[app\/OWNERS\]\(.*\)~~ \[rev\]\n/);
    expect(partial.body).toMatch(/- \*\*\[island\/OWNERS\]\(.*\)\*\*\n/);
    expect(await labelsOf(h, number)).toEqual([]);

    await say('member', number, '/approve');
    const full = await notifier(number);
    expect(full.id).toBe(first.id);
    expect(full.body).toMatch(/^\[APPROVALNOTIFIER\] This PR is \*\*APPROVED\*\*/);
    expect(full.body).toMatch(/- ~~\[island\/OWNERS\]\(.*\)~~ \[member\]\n/);
    expect(await labelsOf(h, number)).toEqual(['approved']);

    await say('member', number, '/approve cancel');
    expect(await labelsOf(h, number)).toEqual([]);
    expect((await notifier(number)).body).toContain('This PR is **NOT APPROVED**');
  });

  it('lets root approvers cover subdirectories, so only the root OWNERS is listed', async () => {
    const number = await opened('collab', { 'app/util.go': 'package app\n', 'top.txt': 'top\n' });
    const body = (await notifier(number)).body;
    expect(body).toMatch(/- \*\*\[OWNERS\]\(.*\)\*\*\n/);
    expect(body).not.toContain('app/OWNERS');
    await say('rev', number, '/approve');
    expect(await labelsOf(h, number)).toEqual([]);
    // rev can approve app/util.go, so the approval counts (no refusal), though the root file still needs admin.
    expect((await commentsOf(h, number)).filter((c) => c.user === 'prow-bot')).toHaveLength(1);
    await say('admin', number, '/approve');
    expect(await labelsOf(h, number)).toEqual(['approved']);
  });

  it('does not let parent approvers approve below no_parent_owners', async () => {
    const number = await opened('collab', { 'island/sea.go': 'package island\n' });
    await say('admin', number, '/approve');
    expect(await labelsOf(h, number)).toEqual([]);
    expect((await notifier(number)).body).toMatch(/- \*\*\[island\/OWNERS\]\(.*\)\*\*\n/);
    await say('member', number, '/approve');
    expect(await labelsOf(h, number)).toEqual(['approved']);
  });

  it('counts the author as approver of what they own, unless require_self_approval', async () => {
    const own = await opened('admin', { 'mine.txt': 'mine\n' });
    expect(await labelsOf(h, own)).toEqual(['approved']);
    const config = { plugins: { approve: [{ repos: ['acme/widgets'], require_self_approval: true }] } };
    const strict = await opened('admin', { 'strict.txt': 'strict\n' }, config);
    expect(await labelsOf(h, strict)).toEqual([]);
    await say('admin', strict, '/approve', config);
    expect(await labelsOf(h, strict)).toEqual(['approved']);
  });

  it('tells someone who approves none of the files, once, that their /approve does not count', async () => {
    const number = await opened('collab', { 'app/other.go': 'package app\n' });
    await say('outsider', number, '/approve');
    expect(await labelsOf(h, number)).toEqual([]);
    const replies = (await commentsOf(h, number)).filter((c) => c.user === 'prow-bot' && !c.body.startsWith('[APPROVALNOTIFIER]'));
    expect(replies.map((r) => r.body.split('\n')[0])).toEqual([`@outsider: ${notAnApproverReply}`]);
  });

  it('keeps an approved label a person added by hand, and says the requirements were bypassed', async () => {
    const number = await opened('collab', { 'by-hand.txt': 'h\n' });
    await h.as('admin').rest.issues.addLabels({ ...acmeWidgets, issue_number: number, labels: ['approved'] });
    await runWebhook(approvePlugin, h.context(), 'pull_request.labeled', await lastWebhook(h, 'pull_request.labeled', number));
    expect(await labelsOf(h, number)).toEqual(['approved']);
    const body = (await notifier(number)).body;
    expect(body).toMatch(/^\[APPROVALNOTIFIER\] This PR is \*\*APPROVED\*\*\n\nApproval requirements bypassed by manually added approval\./);
  });

  it('treats an approving review as /approve', async () => {
    const number = await opened('collab', { 'reviewed.txt': 'r\n' });
    await h.as('admin').rest.pulls.createReview({ ...acmeWidgets, pull_number: number, event: 'APPROVE' });
    await runWebhook(approvePlugin, h.context(), 'pull_request_review.submitted', await lastWebhook(h, 'pull_request_review.submitted', number));
    expect(await labelsOf(h, number)).toEqual(['approved']);
    expect((await notifier(number)).body).toContain('title="Approved">admin</a>');
  });
});
