import { createRequire } from 'node:module';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../testing/test-emulator.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(createRequire(import.meta.url)('@octokit/webhooks-schemas') as object, 'webhooks');

/** Errors of a payload against the schema of `event$action` in @octokit/webhooks-schemas; empty when valid. */
function schemaErrors(event: string, action: string | undefined, payload: unknown): string[] {
  const name = `${event}$${action ?? 'event'}`;
  const validate = ajv.getSchema(`webhooks#/definitions/${name}`);
  if (!validate) return [`no schema for ${name}`];
  return validate(payload) ? [] : (validate.errors ?? []).map((e) => `${name} ${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

describe('pull request side webhooks', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const repo = { owner: 'hook-org', repo: 'site' };

  beforeAll(async () => {
    emu = await startTestEmulator();
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await emu.close();
    await receiver.close();
  });

  it('sends every pull-request, review, status, check and ref event in a shape GitHub\'s schemas accept', async () => {
    const admin = octokitFor(emu.url, (await emu.control.createUser({ login: 'site-admin' })).token);
    const dev = octokitFor(emu.url, (await emu.control.createUser({ login: 'site-dev' })).token);
    await emu.control.createUser({ login: 'site-reviewer' });
    await emu.control.createOrg({ login: 'hook-org', admins: ['site-admin'], members: ['site-dev', 'site-reviewer'] });
    await emu.control.createRepo({ ...repo, name: 'site', files: { 'index.md': 'hello\n' }, collaborators: { 'site-dev': 'write' } });
    await emu.control.addWebhook({ ...repo, url: receiver.url, secret: 'x' });
    const app = await emu.control.createApp({ slug: 'hook-ci', permissions: { checks: 'write' }, events: ['check_run'] });
    const { installationId } = await emu.control.installApp({ appId: app.appId, account: 'hook-org' });
    const ci = new Octokit({ baseUrl: emu.url, authStrategy: createAppAuth, auth: { appId: app.appId, privateKey: app.privateKey, installationId } });

    const { number, headSha } = await emu.control.createPullRequest({ ...repo, author: 'site-dev', head: 'docs', title: 'Docs', files: { 'index.md': 'hello\nworld\n' } });
    await admin.issues.addLabels({ ...repo, issue_number: number, labels: ['kind/docs'] });
    await dev.pulls.update({ ...repo, pull_number: number, body: 'more words' });
    await dev.pulls.requestReviewers({ ...repo, pull_number: number, reviewers: ['site-admin', 'site-reviewer'] });
    await dev.pulls.removeRequestedReviewers({ ...repo, pull_number: number, reviewers: ['site-reviewer'] });
    const { sha } = await emu.control.commitFiles({ ...repo, branch: 'docs', files: { 'guide.md': 'guide\n' }, message: 'Add guide', pusher: 'site-dev' });
    await admin.pulls.createReviewComment({ ...repo, pull_number: number, commit_id: sha, path: 'guide.md', line: 1, body: 'short' });
    const { data: review } = await admin.pulls.createReview({ ...repo, pull_number: number, event: 'APPROVE' });
    await admin.pulls.dismissReview({ ...repo, pull_number: number, review_id: review.id, message: 'again' });
    await admin.pulls.createReview({ ...repo, pull_number: number, event: 'APPROVE' });
    await admin.repos.createCommitStatus({ ...repo, sha, state: 'success', context: 'ci/test', target_url: 'https://ci.example/1' });
    const { data: run } = await ci.checks.create({ ...repo, name: 'build', head_sha: sha, status: 'in_progress' });
    await ci.checks.update({ ...repo, check_run_id: run.id, conclusion: 'success' });
    await admin.git.createRef({ ...repo, ref: 'refs/heads/tmp', sha: headSha });
    await admin.git.deleteRef({ ...repo, ref: 'heads/tmp' });
    await admin.pulls.merge({ ...repo, pull_number: number, merge_method: 'squash' });
    await emu.app.emu.webhooks.idle();

    const seen = receiver.received.map((r) => ({ event: String(r.headers['x-github-event']), payload: JSON.parse(r.body) as { action?: string } }));
    const names = new Set(seen.map((s) => `${s.event}.${s.payload.action ?? ''}`));
    for (const expected of [
      'pull_request.opened',
      'pull_request.labeled',
      'pull_request.edited',
      'pull_request.review_requested',
      'pull_request.review_request_removed',
      'pull_request.synchronize',
      'pull_request.closed',
      'pull_request_review.submitted',
      'pull_request_review.dismissed',
      'pull_request_review_comment.created',
      'status.',
      'check_run.created',
      'check_run.completed',
      'push.',
      'create.',
      'delete.',
    ]) {
      expect(names).toContain(expected);
    }
    expect(seen.flatMap((s) => schemaErrors(s.event, s.payload.action, s.payload))).toEqual([]);
  });
});
