import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginConfig } from '../../lib/config/index.ts';
import { toGenericComment, type GenericComment } from '../generic-comment.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { helpPlugin } from './index.ts';

let h: PluginHarness;
const repo = { owner: 'acme', repo: 'widgets' };

beforeAll(async () => {
  h = await startPluginHarness();
});
afterAll(async () => {
  await h.close();
});

async function newIssue(): Promise<number> {
  const { data } = await h.as('member').rest.issues.create({ ...repo, title: 'Could use a hand' });
  return data.number;
}

async function run(comment: GenericComment, plugins?: Partial<PluginConfig>): Promise<void> {
  await helpPlugin.genericComment?.(h.context(plugins ? { plugins } : undefined), comment);
}

async function command(login: string, number: number, body: string, plugins?: Partial<PluginConfig>): Promise<void> {
  await run(await h.comment(login, number, body), plugins);
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name).sort();
}

async function botReplies(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('help plugin', () => {
  it('/help from anyone adds help wanted and answers once with the guidelines', async () => {
    const number = await newIssue();
    const comment = await h.comment('outsider', number, 'I could work on this?\n/HELP');
    await run(comment);
    await run(comment);
    expect(await labels(number)).toEqual(['help wanted']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('@outsider: This request has been marked as needing help from a contributor.');
    expect(replies[0]).toContain('[here](https://git.k8s.io/community/contributors/guide/help-wanted.md)');
    expect(replies[0]).toContain(`In response to [this](${comment.issueHtmlUrl})`);
  });

  it('/good-first-issue adds both labels, with the configured guidelines summary', async () => {
    const number = await newIssue();
    const plugins = { help: { help_guidelines_url: 'https://example.org/guide', help_guidelines_summary: '- Small\n- Clear' } };
    await command('collab', number, '/good-first-issue', plugins);
    expect(await labels(number)).toEqual(['good first issue', 'help wanted']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('This request has been marked as suitable for new contributors.\n\n### Guidelines\n- Small\n- Clear');
    expect(replies[0]).toContain('[here](https://example.org/guide#good-first-issue)');
  });

  it('/remove-good-first-issue removes only that label and its reply; /remove-help removes both labels', async () => {
    const number = await newIssue();
    await command('member', number, '/help');
    await command('member', number, '/good-first-issue');
    expect(await botReplies(number)).toHaveLength(2);
    await command('outsider', number, '/remove-good-first-issue');
    expect(await labels(number)).toEqual(['help wanted']);
    const left = await botReplies(number);
    expect(left).toHaveLength(1);
    expect(left[0]).toContain('needing help from a contributor');
    await command('member', number, '/good-first-issue');
    await command('member', number, '/remove-help');
    expect(await labels(number)).toEqual([]);
    expect(await botReplies(number)).toEqual([]);
  });

  it('does nothing on PRs, closed issues, edited comments and inside HTML comments', async () => {
    const pr = await h.emu.control.createPullRequest({ ...repo, author: 'member', head: 'help-pr', title: 'A PR', files: { 'h.txt': 'h\n' } });
    await command('member', pr.number, '/help');
    const closed = await newIssue();
    await h.as('member').rest.issues.update({ ...repo, issue_number: closed, state: 'closed' });
    await command('member', closed, '/help');
    const open = await newIssue();
    await command('member', open, '<!-- /help -->');
    await run({ ...(await h.comment('member', open, '/help')), action: 'edited' });
    for (const number of [pr.number, closed, open]) {
      expect(await labels(number)).toEqual([]);
      expect(await botReplies(number)).toEqual([]);
    }
  });

  it('takes /help from the body of a real issues.opened webhook from @octokit/webhooks-examples', async () => {
    const number = await newIssue();
    const definitions = examples as unknown as { name: string; examples: { action?: string }[] }[];
    const example = definitions.find((d) => d.name === 'issues')?.examples.find((e) => e.action === 'opened');
    const payload = structuredClone(example) as unknown as {
      repository: { name: string; owner: { login: string } };
      issue: { number: number; body: string | null; state: string };
    };
    payload.repository.name = 'widgets';
    payload.repository.owner.login = 'acme';
    payload.issue.number = number;
    payload.issue.body = 'Steps to reproduce are below.\n/help';
    const comment = toGenericComment('issues', payload);
    if (!comment) throw new Error('not a generic comment');
    expect(comment).toMatchObject({ action: 'created', isPR: false, issueState: 'open' });
    await run(comment);
    expect(await labels(number)).toEqual(['help wanted']);
  });
});
