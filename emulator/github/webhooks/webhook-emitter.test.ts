import { createRequire } from 'node:module';
import { verify } from '@octokit/webhooks-methods';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../testing/test-emulator.ts';
import { startWebhookReceiver, type ReceivedHook } from '../testing/webhook-receiver.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemas = createRequire(import.meta.url)('@octokit/webhooks-schemas') as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(schemas, 'webhooks');

/** Errors of a payload against the schema of `event$action` in @octokit/webhooks-schemas; empty when valid. */
function schemaErrors(event: string, action: string | undefined, payload: unknown): string[] {
  const validate = ajv.getSchema(`webhooks#/definitions/${event}$${action ?? 'event'}`);
  if (!validate) return [`no schema for ${event}$${action ?? 'event'}`];
  return validate(payload) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const secret = 'It is a secret to everybody';

describe('webhooks', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let adminToken: string;
  let devToken: string;

  beforeAll(async () => {
    emu = await startTestEmulator();
    receiver = await startWebhookReceiver();
    adminToken = (await emu.control.createUser({ login: 'octo-admin' })).token;
    devToken = (await emu.control.createUser({ login: 'octo-dev' })).token;
    await emu.control.createOrg({ login: 'octo-org', admins: ['octo-admin'], members: ['octo-dev'] });
    await emu.control.createRepo({ owner: 'octo-org', name: 'hooks' });
    await emu.control.addWebhook({ owner: 'octo-org', repo: 'hooks', url: receiver.url, secret });
  });

  afterAll(async () => {
    await emu.close();
    await receiver.close();
  });

  it('delivers every state change signed, in order, with payloads GitHub\'s schemas accept', async () => {
    const admin = octokitFor(emu.url, adminToken);
    const dev = octokitFor(emu.url, devToken);
    const issue = await dev.issues.create({ owner: 'octo-org', repo: 'hooks', title: 'It breaks', body: 'help' });
    const n = issue.data.number;
    await admin.issues.addLabels({ owner: 'octo-org', repo: 'hooks', issue_number: n, labels: ['kind/bug'] });
    await admin.issues.addAssignees({ owner: 'octo-org', repo: 'hooks', issue_number: n, assignees: ['octo-dev'] });
    const comment = await dev.issues.createComment({ owner: 'octo-org', repo: 'hooks', issue_number: n, body: '/assign' });
    await dev.issues.updateComment({ owner: 'octo-org', repo: 'hooks', comment_id: comment.data.id, body: '/unassign' });
    await admin.issues.removeLabel({ owner: 'octo-org', repo: 'hooks', issue_number: n, name: 'kind/bug' });
    await admin.issues.removeAssignees({ owner: 'octo-org', repo: 'hooks', issue_number: n, assignees: ['octo-dev'] });
    await admin.issues.createMilestone({ owner: 'octo-org', repo: 'hooks', title: 'v1' });
    await admin.issues.update({ owner: 'octo-org', repo: 'hooks', issue_number: n, title: 'It really breaks', milestone: 1 });
    await admin.issues.update({ owner: 'octo-org', repo: 'hooks', issue_number: n, state: 'closed' });
    await admin.issues.update({ owner: 'octo-org', repo: 'hooks', issue_number: n, state: 'open' });
    await admin.issues.updateLabel({ owner: 'octo-org', repo: 'hooks', name: 'kind/bug', color: '00ff00' });
    await dev.issues.deleteComment({ owner: 'octo-org', repo: 'hooks', comment_id: comment.data.id });
    await admin.issues.deleteLabel({ owner: 'octo-org', repo: 'hooks', name: 'kind/bug' });

    const deliveries = await emu.control.waitForDeliveries();
    const got = receiver.received.map((r: ReceivedHook) => {
      const payload = JSON.parse(r.body) as { action?: string };
      return `${String(r.headers['x-github-event'])}.${payload.action ?? ''}`;
    });
    expect(got).toEqual([
      'issues.opened',
      'label.created',
      'issues.labeled',
      'issues.assigned',
      'issue_comment.created',
      'issue_comment.edited',
      'issues.unlabeled',
      'issues.unassigned',
      'issues.edited',
      'issues.milestoned',
      'issues.closed',
      'issues.reopened',
      'label.edited',
      'issue_comment.deleted',
      'label.deleted',
    ]);
    expect(deliveries.map((d) => d.statusCode)).toEqual(got.map(() => 200));

    for (const r of receiver.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
      expect(r.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      const signature = r.headers['x-hub-signature-256'];
      expect(typeof signature).toBe('string');
      expect(await verify(secret, r.body, String(signature))).toBe(true);
      const payload = JSON.parse(r.body) as { action?: string };
      expect(schemaErrors(String(r.headers['x-github-event']), payload.action, payload)).toEqual([]);
    }
    expect(schemaErrors('issues', 'opened', { action: 'opened', issue: {} })).not.toEqual([]);
    const guids = new Set(receiver.received.map((r) => r.headers['x-github-delivery']));
    expect(guids.size).toBe(receiver.received.length);

    const edited = JSON.parse(receiver.received[8]?.body ?? '{}') as { changes?: unknown; organization?: { login: string }; sender?: { login: string } };
    expect(edited.changes).toEqual({ title: { from: 'It breaks' } });
    expect(edited.organization?.login).toBe('octo-org');
    expect(edited.sender?.login).toBe('octo-admin');
  });

  it('sends a push event, valid against the schema, when commits land on a branch', async () => {
    const before = receiver.received.length;
    const { sha } = await emu.control.commitFiles({ owner: 'octo-org', repo: 'hooks', branch: 'feature', from: 'main', files: { 'new.txt': 'new\n' }, message: 'Add new.txt' });
    await emu.control.waitForDeliveries();
    const pushes = receiver.received.slice(before).filter((r) => r.headers['x-github-event'] === 'push');
    expect(pushes).toHaveLength(1);
    const payload = JSON.parse(pushes[0]?.body ?? '{}') as { ref: string; after: string; created: boolean; commits: { id: string; added: string[] }[] };
    expect(payload.ref).toBe('refs/heads/feature');
    expect(payload.after).toBe(sha);
    expect(payload.created).toBe(true);
    expect(payload.commits.map((c) => [c.id, c.added])).toEqual([[sha, ['new.txt']]]);
    expect(schemaErrors('push', undefined, payload)).toEqual([]);
  });

  it('records failed deliveries without blocking the REST answer', async () => {
    const down = await startWebhookReceiver(500);
    await emu.control.addWebhook({ owner: 'octo-org', url: down.url, secret: '', events: ['issues'] });
    await octokitFor(emu.url, adminToken).issues.create({ owner: 'octo-org', repo: 'hooks', title: 'org hook' });
    const deliveries = await emu.control.waitForDeliveries();
    await down.close();
    const failed = deliveries.filter((d) => d.url === down.url);
    expect(failed.map((d) => [d.event, d.action, d.statusCode])).toEqual([['issues', 'opened', 500]]);
    expect(down.received[0]?.headers['x-hub-signature-256']).toBeUndefined();
  });
});
