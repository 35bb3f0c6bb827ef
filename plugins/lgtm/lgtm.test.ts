import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeWidgets, botCommentsOf, labelsOf, lastWebhook, openPull, runWebhook } from '../owners/owners-test-kit.ts';
import type { PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { lgtmPlugin } from './index.ts';
import { collaboratorRefusal, lgtmRemovedNotice, ownersRefusal, ownPrRefusal } from './lgtm-commands.ts';

let h: PluginHarness;
let ctx: PluginContextBase;
beforeAll(async () => {
  h = await startPluginHarness();
  ctx = h.context();
  // `rev` reviews through OWNERS without any right on the repo.
  h.tokens.rev = (await h.emu.control.createUser({ login: 'rev' })).token;
  await h.emu.control.commitFiles({ ...acmeWidgets, branch: 'main', message: 'owners', files: { OWNERS: 'approvers: [admin]\nreviewers: [rev]\n' } });
});
afterAll(async () => {
  await h.close();
});

async function say(login: string, number: number, body: string, config?: Parameters<PluginHarness['context']>[0]): Promise<void> {
  const comment = await h.comment(login, number, body);
  await lgtmPlugin.genericComment?.(h.context(config), comment);
}

async function assignees(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.get({ ...acmeWidgets, issue_number: number });
  return (data.assignees ?? []).map((a) => a.login);
}

/** Moves PR head `head` to `sha` as a force push would, and hands the synchronize webhook to the plugin. */
async function forcePush(number: number, head: string, sha: string, config?: Parameters<PluginHarness['context']>[0]): Promise<void> {
  await h.as('collab').rest.git.updateRef({ ...acmeWidgets, ref: `heads/${head}`, sha, force: true });
  await runWebhook(lgtmPlugin, h.context(config), 'pull_request.synchronize', await lastWebhook(h, 'pull_request.synchronize', number));
}

async function push(number: number, head: string, files: Record<string, string>): Promise<void> {
  await h.emu.control.commitFiles({ ...acmeWidgets, branch: head, message: 'more', files, pusher: 'collab' });
  await runWebhook(lgtmPlugin, ctx, 'pull_request.synchronize', await lastWebhook(h, 'pull_request.synchronize', number));
}

describe('lgtm commands', () => {
  it('lets a collaborator add LGTM, assigning them, and cancel it', async () => {
    const { number } = await openPull(h, 'collab', { 'a.txt': 'a\n' });
    await say('member', number, '/lgtm');
    expect(await labelsOf(h, number)).toEqual(['lgtm']);
    expect(await assignees(number)).toEqual(['member']);
    await say('member', number, '/lgtm cancel');
    expect(await labelsOf(h, number)).toEqual([]);
    await say('member', number, '/lgtm');
    await say('admin', number, '/remove-lgtm');
    expect(await labelsOf(h, number)).toEqual([]);
    expect(await botCommentsOf(h, number)).toEqual([]);
  });

  it('lets an OWNERS reviewer without repo rights add LGTM', async () => {
    const { number } = await openPull(h, 'collab', { 'b.txt': 'b\n' });
    await say('rev', number, '/lgtm');
    expect(await labelsOf(h, number)).toEqual(['lgtm']);
  });

  it('refuses the author and an outsider with one reply each, and lets the author cancel', async () => {
    const { number } = await openPull(h, 'collab', { 'c.txt': 'c\n' });
    await say('collab', number, '/lgtm');
    await say('outsider', number, '/lgtm');
    expect(await labelsOf(h, number)).toEqual([]);
    const replies = await botCommentsOf(h, number);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain(`@collab: ${ownPrRefusal}`);
    expect(replies[1]).toContain(`@outsider: ${collaboratorRefusal}`);
    await say('member', number, '/lgtm');
    await say('collab', number, '/lgtm cancel');
    expect(await labelsOf(h, number)).toEqual([]);
  });

  it('requires OWNERS reviewers or approvers when owners.skip_collaborators names the repo', async () => {
    const config = { plugins: { owners: { skip_collaborators: ['acme/widgets'] } } };
    const { number } = await openPull(h, 'collab', { 'd.txt': 'd\n' });
    await say('member', number, '/lgtm', config);
    expect(await labelsOf(h, number)).toEqual([]);
    expect((await botCommentsOf(h, number))[0]).toContain(`@member: ${ownersRefusal}`);
    await say('rev', number, '/lgtm', config);
    expect(await labelsOf(h, number)).toEqual(['lgtm']);
  });
});

describe('lgtm reviews', () => {
  it('treats an approving review as /lgtm and requested changes as cancel when review_acts_as_lgtm', async () => {
    const config = { plugins: { lgtm: [{ repos: ['acme'], review_acts_as_lgtm: true }] } };
    const { number } = await openPull(h, 'collab', { 'e.txt': 'e\n' });
    await h.as('member').rest.pulls.createReview({ ...acmeWidgets, pull_number: number, event: 'APPROVE', body: 'nice' });
    await runWebhook(lgtmPlugin, h.context(config), 'pull_request_review.submitted', await lastWebhook(h, 'pull_request_review.submitted', number));
    expect(await labelsOf(h, number)).toEqual(['lgtm']);
    await h.as('member').rest.pulls.createReview({ ...acmeWidgets, pull_number: number, event: 'REQUEST_CHANGES', body: 'wait' });
    await runWebhook(lgtmPlugin, h.context(config), 'pull_request_review.submitted', await lastWebhook(h, 'pull_request_review.submitted', number));
    expect(await labelsOf(h, number)).toEqual([]);
  });

  it('ignores reviews without review_acts_as_lgtm', async () => {
    const { number } = await openPull(h, 'collab', { 'f.txt': 'f\n' });
    await h.as('member').rest.pulls.createReview({ ...acmeWidgets, pull_number: number, event: 'APPROVE' });
    await runWebhook(lgtmPlugin, ctx, 'pull_request_review.submitted', await lastWebhook(h, 'pull_request_review.submitted', number));
    expect(await labelsOf(h, number)).toEqual([]);
  });
});

describe('lgtm across pushes', () => {
  it('keeps LGTM when a squash leaves the tree unchanged, and removes it on a real change', async () => {
    const { number, head } = await openPull(h, 'collab', { 'sq/one.txt': '1\n' });
    await h.emu.control.commitFiles({ ...acmeWidgets, branch: head, message: 'two', files: { 'sq/two.txt': '2\n' }, pusher: 'collab' });
    await say('member', number, '/lgtm');
    const { sha: squashed } = await h.emu.control.commitFiles({
      ...acmeWidgets,
      branch: `${head}-squashed`,
      from: 'main',
      message: 'one and two',
      files: { 'sq/one.txt': '1\n', 'sq/two.txt': '2\n' },
    });
    await forcePush(number, head, squashed);
    expect(await labelsOf(h, number)).toEqual(['lgtm']);
    expect(await botCommentsOf(h, number)).toEqual([]);

    await push(number, head, { 'sq/one.txt': 'changed\n' });
    expect(await labelsOf(h, number)).toEqual([]);
    expect(await botCommentsOf(h, number)).toEqual([lgtmRemovedNotice]);
  });

  it('keeps LGTM on a clean rebase onto a newer base', async () => {
    const { number, head } = await openPull(h, 'collab', { 'rb/mine.txt': 'mine\n' });
    await say('member', number, '/lgtm');
    await h.emu.control.commitFiles({ ...acmeWidgets, branch: 'main', message: 'elsewhere', files: { 'rb/theirs.txt': 'theirs\n' } });
    const { sha: rebased } = await h.emu.control.commitFiles({ ...acmeWidgets, branch: `${head}-rebased`, from: 'main', message: 'mine', files: { 'rb/mine.txt': 'mine\n' } });
    await forcePush(number, head, rebased);
    expect(await labelsOf(h, number)).toEqual(['lgtm']);
    // A rebase that also changes the PR's own file is a change.
    const { sha: reworked } = await h.emu.control.commitFiles({ ...acmeWidgets, branch: `${head}-reworked`, from: 'main', message: 'mine', files: { 'rb/mine.txt': 'mine, reworked\n' } });
    await forcePush(number, head, reworked);
    expect(await labelsOf(h, number)).toEqual([]);
  });

  it('with store_tree_hash records the tree, and on removal asks the assignees to review again', async () => {
    const config = { plugins: { lgtm: [{ repos: ['acme/widgets'], store_tree_hash: true }] } };
    const { number, head } = await openPull(h, 'collab', { 'th/x.txt': 'x\n' });
    await say('member', number, '/lgtm', config);
    const { data: pr } = await h.as('admin').rest.pulls.get({ ...acmeWidgets, pull_number: number });
    const { data: commit } = await h.as('admin').rest.repos.getCommit({ ...acmeWidgets, ref: pr.head.sha });
    expect(await botCommentsOf(h, number)).toEqual([`LGTM label has been added.  <details>Git tree hash: ${commit.commit.tree.sha}</details>`]);
    await h.emu.control.commitFiles({ ...acmeWidgets, branch: head, message: 'change', files: { 'th/x.txt': 'y\n' }, pusher: 'collab' });
    await runWebhook(lgtmPlugin, h.context(config), 'pull_request.synchronize', await lastWebhook(h, 'pull_request.synchronize', number));
    expect(await labelsOf(h, number)).toEqual([]);
    const { data: requested } = await h.as('admin').rest.pulls.listRequestedReviewers({ ...acmeWidgets, pull_number: number });
    expect(requested.users.map((u) => u.login)).toEqual(['member']);
  });
});
