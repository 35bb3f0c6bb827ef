import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGenericComment, type GenericComment } from '../generic-comment.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { assignRe, ccRe, parseTargets } from './commands.ts';
import { assignPlugin } from './index.ts';

let h: PluginHarness;
let branch = 0;
const repo = { owner: 'acme', repo: 'widgets' };

beforeAll(async () => {
  h = await startPluginHarness();
  await h.emu.control.createTeam({ org: 'acme', name: 'reviewers', members: ['admin'], repos: { 'acme/widgets': 'write' } });
});
afterAll(async () => {
  await h.close();
});

async function newIssue(): Promise<number> {
  const { data } = await h.as('member').rest.issues.create({ ...repo, title: 'Something to do' });
  return data.number;
}

async function newPull(author = 'member'): Promise<number> {
  branch += 1;
  const pr = await h.emu.control.createPullRequest({ ...repo, author, head: `change-${branch}`, title: 'A change', files: { [`f${branch}.txt`]: 'x\n' } });
  return pr.number;
}

async function run(comment: GenericComment): Promise<void> {
  await assignPlugin.genericComment?.(h.context(), comment);
}

async function command(login: string, number: number, body: string): Promise<void> {
  await run(await h.comment(login, number, body));
}

async function assignees(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.get({ ...repo, issue_number: number });
  return (data.assignees ?? []).map((a) => a.login).sort();
}

async function reviewers(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.pulls.listRequestedReviewers({ ...repo, pull_number: number });
  return [...data.users.map((u) => u.login), ...data.teams.map((t) => `acme/${t.slug}`)].sort();
}

async function botReplies(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('assign commands', () => {
  it('parses like Prow: case-insensitive, line start, last mention wins, no argument means the commenter', () => {
    expect(parseTargets('/ASSIGN @a b\n/unassign a', assignRe, 'me')).toEqual({ add: ['b'], remove: ['a'] });
    expect(parseTargets('/assign', assignRe, 'me')).toEqual({ add: ['me'], remove: [] });
    expect(parseTargets('please /assign @a\n/assign @org/team', assignRe, 'me')).toEqual({ add: [], remove: [] });
    expect(parseTargets('/cc  @a   @org/team\r\n/uncc', ccRe, 'me')).toEqual({ add: ['a', 'org/team'], remove: ['me'] });
  });

  it('assigns the commenter when /assign has no argument', async () => {
    const number = await newIssue();
    await command('member', number, '/assign');
    expect(await assignees(number)).toEqual(['member']);
    expect(await botReplies(number)).toEqual([]);
  });

  it('assigns several users, with or without @, and /unassign removes them', async () => {
    const number = await newIssue();
    await command('member', number, 'Taking this.\n/Assign @collab admin');
    expect(await assignees(number)).toEqual(['admin', 'collab']);
    await command('outsider', number, '/unassign @collab');
    expect(await assignees(number)).toEqual(['admin']);
  });

  it('lets anyone assign themselves, since commenting makes them assignable', async () => {
    const number = await newIssue();
    await command('outsider', number, '/assign');
    expect(await assignees(number)).toEqual(['outsider']);
  });

  it('names users GitHub silently refused in exactly one reply that quotes the command', async () => {
    const number = await newIssue();
    await command('member', number, '/assign @outsider @collab @nobody-here');
    expect(await assignees(number)).toEqual(['collab']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("@member: GitHub didn't allow me to assign the following users: outsider, nobody-here.");
    expect(replies[0]).toContain('> /assign @outsider @collab @nobody-here');
  });

  it('does not reply twice when the same delivery is handled again', async () => {
    const number = await newIssue();
    const comment = await h.comment('member', number, '/assign @outsider');
    await run(comment);
    await run(comment);
    expect(await botReplies(number)).toHaveLength(1);
  });

  it('ignores commands inside HTML comments and edited comments', async () => {
    const number = await newIssue();
    await command('member', number, 'Later <!--\n/assign\n--> maybe');
    const edited = { ...(await h.comment('member', number, '/assign')), action: 'edited' as const };
    await run(edited);
    expect(await assignees(number)).toEqual([]);
    expect(await botReplies(number)).toEqual([]);
  });
});

describe('cc commands', () => {
  it('requests reviews from users and teams and /uncc withdraws them', async () => {
    const number = await newPull();
    await command('outsider', number, '/cc @collab  @acme/reviewers');
    expect(await reviewers(number)).toEqual(['acme/reviewers', 'collab']);
    await command('outsider', number, '/uncc @acme/reviewers');
    expect(await reviewers(number)).toEqual(['collab']);
    expect(await botReplies(number)).toEqual([]);
  });

  it('requests a review from the commenter when /cc has no argument', async () => {
    const number = await newPull();
    await command('admin', number, '/cc');
    expect(await reviewers(number)).toEqual(['admin']);
  });

  it('asks the others when GitHub refuses some, and names the refused ones with the assign refusals in one reply', async () => {
    const number = await newPull('member');
    await command('member', number, '/assign @outsider\n/cc @outsider @admin member @acme/nope @other/team');
    expect(await reviewers(number)).toEqual(['admin']);
    const replies = await botReplies(number);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("GitHub didn't allow me to assign the following users: outsider.");
    expect(replies[0]).toContain("GitHub didn't allow me to request PR reviews from the following users: outsider, member, acme/nope, other/team.");
  });

  it('does nothing for /cc on an issue', async () => {
    const number = await newIssue();
    await command('member', number, '/cc @admin');
    expect(await assignees(number)).toEqual([]);
    expect(await botReplies(number)).toEqual([]);
  });
});

describe('real payloads', () => {
  it('copes with the shape of a real issue_comment webhook from @octokit/webhooks-examples', async () => {
    const number = await newIssue();
    const definitions = examples as unknown as { name: string; examples: { action?: string }[] }[];
    const example = definitions.find((d) => d.name === 'issue_comment')?.examples.find((e) => e.action === 'created');
    if (!example) throw new Error('no issue_comment.created example');
    const payload = structuredClone(example) as unknown as {
      repository: { name: string; owner: { login: string } };
      issue: { number: number; pull_request?: unknown };
      comment: { body: string };
    };
    payload.repository.name = 'widgets';
    payload.repository.owner.login = 'acme';
    payload.issue.number = number;
    delete payload.issue.pull_request;
    payload.comment.body = '/assign @collab';
    const comment = toGenericComment('issue_comment', payload);
    if (!comment) throw new Error('not a generic comment');
    await run(comment);
    expect(await assignees(number)).toEqual(['collab']);
  });
});
