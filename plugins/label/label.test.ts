import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginConfig } from '../../lib/config/index.ts';
import { toGenericComment } from '../generic-comment.ts';
import type { PluginContext } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { labelPlugin } from './index.ts';
import { parseLabelCommands } from './label-commands.ts';

let h: PluginHarness;
const repo = { owner: 'acme', repo: 'widgets' };
const plugins: Partial<PluginConfig> = {
  label: {
    additional_labels: ['api-review'],
    restricted_labels: {
      '*': [{ label: 'approved-api', allowed_teams: ['api-reviewers'] }],
      'acme/widgets': [
        { label: 'cherry-pick-approved', allowed_users: ['collab'], assign_on: [{ label: 'do-not-merge/cherry-pick-not-approved' }] },
      ],
    },
  },
};
const repoLabels = [
  'kind/bug', 'kind/flake', 'kind/feature', 'priority/critical-urgent', 'priority/backlog', 'area/prow', 'triage/accepted',
  'needs-kind', 'needs-priority', 'api-review', 'approved-api', 'Cherry-Pick-Approved', 'do-not-merge/cherry-pick-not-approved',
];

beforeAll(async () => {
  h = await startPluginHarness();
  await h.emu.control.createTeam({ org: 'acme', name: 'api-reviewers', members: ['admin'] });
  for (const name of repoLabels) await h.as('admin').rest.issues.createLabel({ ...repo, name });
});
afterAll(async () => {
  await h.close();
});

async function newIssue(labels: string[] = []): Promise<number> {
  const { data } = await h.as('admin').rest.issues.create({ ...repo, title: 'Needs sorting', labels });
  return data.number;
}

async function command(login: string, number: number, body: string): Promise<void> {
  await labelPlugin.genericComment?.(h.context({ plugins }), await h.comment(login, number, body));
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name).sort();
}

async function botReplies(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('parsing', () => {
  it('reads Prow\'s commands: case-sensitive, at line start, one label per argument', () => {
    const allowed = (l: string): boolean => l === 'api-review';
    expect(parseLabelCommands('/kind bug  Flake\n/remove-sig node\n/label api-review\n/remove-label other', allowed)).toEqual({
      add: ['kind/bug', 'kind/flake', 'api-review'],
      remove: ['sig/node'],
      unsupported: ['/remove-label other'],
      malformed: [],
    });
    expect(parseLabelCommands('/KIND bug\n/kindness x\nsee /kind bug\n/labels are\n/label a b', allowed)).toEqual({
      add: [],
      remove: [],
      unsupported: [],
      malformed: ['/label a b'],
    });
  });
});

describe('label commands', () => {
  it('adds and removes category labels, several commands in one comment all applying', async () => {
    const number = await newIssue();
    await command('outsider', number, '/kind bug flake\n/priority critical-urgent\r\n/area prow');
    expect(await labels(number)).toEqual(['area/prow', 'kind/bug', 'kind/flake', 'priority/critical-urgent']);
    await command('outsider', number, '/remove-kind flake\n/remove-area prow');
    expect(await labels(number)).toEqual(['kind/bug', 'priority/critical-urgent']);
    expect(await botReplies(number)).toEqual([]);
  });

  it('does nothing for commands inside HTML comments or in edited comments', async () => {
    const number = await newIssue();
    await command('member', number, 'Hm <!-- /kind bug -->\n<!--\n/priority backlog\n-->');
    const edited = { ...(await h.comment('member', number, '/kind bug')), action: 'edited' as const };
    await labelPlugin.genericComment?.(h.context({ plugins }), edited);
    expect(await labels(number)).toEqual([]);
    expect(await botReplies(number)).toEqual([]);
  });

  it('refuses labels the repo lacks in one reply, still applying the rest', async () => {
    const number = await newIssue();
    await command('member', number, '/kind nonsense bug\n/sig nowhere');
    expect(await labels(number)).toEqual(['kind/bug']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("@member: The label(s) `kind/nonsense, sig/nowhere` cannot be applied, because the repository doesn't have them.");
    expect(replies[0]).toContain('> /kind nonsense bug');
  });

  it('gathers every refusal of a comment into exactly one reply', async () => {
    const number = await newIssue(['kind/bug']);
    await command('outsider', number, '/label api-review\n/label random\n/label\n/kind nonsense\n/remove-kind flake\n/triage accepted\n/label approved-api');
    expect(await labels(number)).toEqual(['api-review', 'kind/bug']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(1);
    const reply = replies[0] ?? '';
    expect(reply).toContain('The label(s) `/label random` cannot be applied. These labels are supported: `api-review, approved-api, cherry-pick-approved`.');
    expect(reply).toContain('The command(s) `/label` cannot be applied');
    expect(reply).toContain("The label(s) `kind/nonsense` cannot be applied, because the repository doesn't have them.");
    expect(reply).toContain('Those labels are not set on the issue: `kind/flake`');
    expect(reply).toContain('The label `triage/accepted` cannot be applied. Only GitHub organization members can add the label.');
    expect(reply).toContain('Must be a member of one of these teams: api-reviewers');
  });

  it('lets only org members add triage/accepted', async () => {
    const number = await newIssue();
    await command('collab', number, '/triage accepted');
    expect(await labels(number)).toEqual([]);
    expect(await botReplies(number)).toHaveLength(1);
    await command('member', number, '/triage accepted');
    expect(await labels(number)).toEqual(['triage/accepted']);
    expect(await botReplies(number)).toHaveLength(1);
  });

  it('lets only the allowed teams and users change restricted labels, in either direction', async () => {
    const number = await newIssue();
    await command('member', number, '/label approved-api');
    expect(await labels(number)).toEqual([]);
    await command('admin', number, '/label approved-api');
    await command('collab', number, '/label cherry-pick-approved');
    expect(await labels(number)).toEqual(['Cherry-Pick-Approved', 'approved-api']);
    await command('member', number, '/remove-label cherry-pick-approved');
    expect(await labels(number)).toEqual(['Cherry-Pick-Approved', 'approved-api']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('The label(s) `approved-api` cannot be applied or removed, because you are not in one of the allowed teams and are not an allowed user. Must be a member of one of these teams: api-reviewers');
    expect(replies[1]).toContain('Consider assigning one of the following members: collab');
    await command('collab', number, '/remove-label Cherry-Pick-Approved');
    expect(await labels(number)).toEqual(['approved-api']);
  });

  it('adds needs-<category> when the last label of the category goes, and removes it when one comes back', async () => {
    const number = await newIssue(['kind/bug', 'kind/flake', 'priority/backlog', 'priority/critical-urgent']);
    await command('member', number, '/remove-kind bug flake\n/remove-priority backlog');
    expect(await labels(number)).toEqual(['needs-kind', 'priority/critical-urgent']);
    await command('member', number, '/kind feature');
    expect(await labels(number)).toEqual(['kind/feature', 'priority/critical-urgent']);
    await command('member', number, '/remove-kind feature\n/kind bug');
    expect(await labels(number)).toEqual(['kind/bug', 'priority/critical-urgent']);
    const stale = await newIssue(['kind/bug', 'needs-kind']);
    await command('member', stale, '/kind bug');
    expect(await labels(stale)).toEqual(['kind/bug']);
    expect(await botReplies(number)).toEqual([]);
  });

  it('assigns the allowed users of a restricted label when a PR gets its assign_on label', async () => {
    const pr = await h.emu.control.createPullRequest({ ...repo, author: 'member', head: 'backport', title: 'Backport', files: { 'b.txt': 'b\n' } });
    await h.as('admin').rest.issues.addLabels({ ...repo, issue_number: pr.number, labels: ['do-not-merge/cherry-pick-not-approved'] });
    const sent = (await h.events()).find((e) => {
      const p = e.payload as { action?: string; number?: number };
      return e.event === 'pull_request' && p.action === 'labeled' && p.number === pr.number;
    });
    if (!sent) throw new Error('no pull_request.labeled webhook');
    const handler = labelPlugin.handlers?.['pull_request.labeled'];
    const payload = sent.payload as unknown as PluginContext<'pull_request.labeled'>['payload'];
    await handler?.({ ...h.context({ plugins }), event: 'pull_request.labeled', payload });
    const { data } = await h.as('admin').rest.issues.get({ ...repo, issue_number: pr.number });
    expect((data.assignees ?? []).map((a) => a.login)).toEqual(['collab']);
  });

  it('fails with GitHub\'s 404, not on the payload, for a real webhook from a repo the emulator lacks', async () => {
    const definitions = examples as unknown as { name: string; examples: { action?: string; comment?: { body: string } }[] }[];
    const example = definitions.find((d) => d.name === 'issue_comment')?.examples.find((e) => e.action === 'created');
    const payload = structuredClone(example);
    if (!payload?.comment) throw new Error('no issue_comment.created example');
    payload.comment.body = '/kind bug';
    const comment = toGenericComment('issue_comment', payload);
    if (!comment) throw new Error('not a generic comment');
    const ctx = { ...h.context({ plugins }), org: comment.org, repo: comment.repo };
    await expect(labelPlugin.genericComment?.(ctx, comment)).rejects.toMatchObject({ status: 404 });
  });
});
