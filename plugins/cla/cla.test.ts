import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenericComment } from '../generic-comment.ts';
import type { Plugin, PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { claPlugin, createClaPlugin } from './index.ts';

type StatusPayload = EmitterWebhookEvent<'status'>['payload'];

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

async function openPull(base?: string): Promise<{ number: number; sha: string; head: string }> {
  branch += 1;
  const head = `cla-${branch}`;
  const { number, headSha } = await h.emu.control.createPullRequest({ ...repo, author: 'outsider', head, title: `cla ${branch}`, files: { [`cla-${branch}.txt`]: 'x\n' }, ...(base === undefined ? {} : { base }) });
  return { number, sha: headSha, head };
}

/** Posts a commit status as the CLA service would (here the admin) and returns the `status` webhook it caused. */
async function reportStatus(sha: string, state: 'success' | 'failure' | 'error' | 'pending', context = 'EasyCLA'): Promise<StatusPayload> {
  const { data } = await h.as('admin').rest.repos.createCommitStatus({ ...repo, sha, state, context });
  const found = (await h.events()).find((e) => e.event === 'status' && e.payload.id === data.id);
  if (!found) throw new Error(`no status webhook for status ${data.id}`);
  return found.payload as unknown as StatusPayload;
}

async function onStatus(payload: StatusPayload, plugin: Plugin = claPlugin): Promise<void> {
  const handler = plugin.handlers?.status;
  if (!handler) throw new Error('cla does not handle status');
  await handler({ ...ctx, event: 'status', payload });
}

/** Runs cla's generic-comment handler as hook would, with a bot that does not space its writes. */
async function onComment(comment: GenericComment): Promise<void> {
  if (!claPlugin.genericComment) throw new Error('cla has no generic-comment handler');
  await claPlugin.genericComment(ctx, comment);
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name).sort();
}

async function botReplies(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('cla on status events', () => {
  it('mirrors success into cncf-cla: yes and failure or error into cncf-cla: no, and waits while pending', async () => {
    const pr = await openPull();
    await onStatus(await reportStatus(pr.sha, 'pending'));
    expect(await labels(pr.number)).toEqual([]);
    await onStatus(await reportStatus(pr.sha, 'failure'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: no']);
    await onStatus(await reportStatus(pr.sha, 'success'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: yes']);
    await onStatus(await reportStatus(pr.sha, 'pending'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: yes']);
    await onStatus(await reportStatus(pr.sha, 'error'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: no']);
  });

  it('labels every open PR whose head is the commit, and none whose head has moved on', async () => {
    const first = await openPull();
    await h.emu.control.commitFiles({ ...repo, branch: 'cla-other-base', from: 'main', files: { 'base.txt': 'b\n' }, message: 'another base' });
    const { number: second } = await h.emu.control.createPullRequest({ ...repo, author: 'outsider', head: first.head, base: 'cla-other-base', title: 'same head, other base' });
    const moved = await openPull();
    const old = moved.sha;
    await h.emu.control.commitFiles({ ...repo, branch: moved.head, files: { 'later.txt': 'later\n' }, message: 'push', pusher: 'outsider' });
    await onStatus(await reportStatus(first.sha, 'success'));
    await onStatus(await reportStatus(old, 'failure'));
    expect([await labels(first.number), await labels(second), await labels(moved.number)]).toEqual([['cncf-cla: yes'], ['cncf-cla: yes'], []]);
  });

  it('ignores other contexts, and reads the context it is given', async () => {
    const pr = await openPull();
    await onStatus(await reportStatus(pr.sha, 'success', 'ci/unit'));
    await onStatus(await reportStatus(pr.sha, 'success', 'cla/linuxfoundation'));
    expect(await labels(pr.number)).toEqual([]);
    await onStatus(await reportStatus(pr.sha, 'failure', 'cla/linuxfoundation'), createClaPlugin({ context: 'cla/linuxfoundation' }));
    expect(await labels(pr.number)).toEqual(['cncf-cla: no']);
  });
});

describe('/check-cla', () => {
  it('re-reads the head commit\'s CLA status and fixes the labels', async () => {
    const pr = await openPull();
    // Statuses the plugin never saw (a missed webhook): /check-cla catches up.
    await reportStatus(pr.sha, 'failure');
    await h.as('admin').rest.issues.addLabels({ ...repo, issue_number: pr.number, labels: ['cncf-cla: yes'] });
    await onComment(await h.comment('outsider', pr.number, '/check-cla'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: no']);
    await reportStatus(pr.sha, 'success');
    await onComment(await h.comment('member', pr.number, 'signed it\n/CHECK-CLA  \n'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: yes']);
    await onComment(await h.comment('member', pr.number, 'please /check-cla'));
    expect(await labels(pr.number)).toEqual(['cncf-cla: yes']);
    expect(await botReplies(pr.number)).toEqual([]);
  });

  it('says so when there is no CLA status yet, and when asked on an issue or a closed PR', async () => {
    const pr = await openPull();
    await onComment(await h.comment('outsider', pr.number, '/check-cla'));
    expect(await labels(pr.number)).toEqual([]);
    const [reply] = await botReplies(pr.number);
    expect(reply).toMatch(/^@outsider: there is no `EasyCLA` status on the head commit/);
    const { data: issue } = await h.as('outsider').rest.issues.create({ ...repo, title: 'question' });
    await onComment(await h.comment('outsider', issue.number, '/check-cla'));
    expect(await botReplies(issue.number)).toEqual([expect.stringMatching(/^@outsider: `\/check-cla` works on open pull requests only/)]);
    await h.as('admin').rest.pulls.update({ ...repo, pull_number: pr.number, state: 'closed' });
    await onComment(await h.comment('outsider', pr.number, '/check-cla'));
    expect(await botReplies(pr.number)).toEqual([reply, expect.stringMatching(/^@outsider: `\/check-cla` works on open pull requests only/)]);
  });
});
