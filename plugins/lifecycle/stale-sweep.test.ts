import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import { toGenericComment } from '../generic-comment.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { lifecyclePlugin } from './index.ts';
import { staleComment } from './stale-comments.ts';
import { defaultStalePeriods } from './stale-periods.ts';
import { agingQuery } from './stale-search.ts';
import { sweepRepo, type SweepOptions } from './stale-sweep.ts';

const day = 86_400_000;
let h: PluginHarness;
let github: ProwOctokit;
beforeAll(async () => {
  h = await startPluginHarness();
  github = h.context().github;
});
afterAll(async () => {
  await h.close();
});

let repos = 0;
/** A repo of its own per test, since a sweep covers a whole repo. */
async function newRepo(): Promise<string> {
  repos += 1;
  const name = `aging-${repos}`;
  await h.emu.control.createRepo({ owner: 'acme', name, collaborators: { collab: 'write' } });
  return name;
}

async function openIssue(repo: string, title: string, labels: string[] = []): Promise<number> {
  const { data } = await h.as('member').rest.issues.create({ owner: 'acme', repo, title, labels });
  return data.number;
}

/** Test setup of the fake GitHub: pretend nothing happened on the item for `days`. */
function age(repo: string, number: number, days: number): void {
  const issue = h.emu.state.repoByName('acme', repo)?.issues.get(number);
  if (!issue) throw new Error(`no issue acme/${repo}#${number}`);
  issue.updatedAt = new Date(Date.now() - days * day).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sweep(repo: string, options: Partial<SweepOptions> = {}): ReturnType<typeof sweepRepo> {
  return sweepRepo({ github, org: 'acme', repo, periods: defaultStalePeriods, dryRun: false, ceiling: 0, exemptLabels: [], log: h.logs.logger, ...options });
}

async function item(repo: string, number: number): Promise<{ state: string; stateReason: string | null | undefined; labels: string[]; botComments: string[] }> {
  const admin = h.as('admin');
  const { data } = await admin.rest.issues.get({ owner: 'acme', repo, issue_number: number });
  const { data: comments } = await admin.rest.issues.listComments({ owner: 'acme', repo, issue_number: number });
  return {
    state: data.state,
    stateReason: data.state_reason,
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).sort(),
    botComments: comments.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? ''),
  };
}

describe('stale aging sweep', () => {
  it('marks an inactive issue stale, then rotten, then closes it as not planned, saying each time how to stop it', async () => {
    const repo = await newRepo();
    const old = await openIssue(repo, 'old', ['lifecycle/active', 'kind/bug']);
    const recent = await openIssue(repo, 'recent');
    age(repo, old, 91);
    age(repo, recent, 89);

    expect((await sweep(repo)).map((a) => [a.step, a.number, a.isPR])).toEqual([['stale', old, false]]);
    let now = await item(repo, old);
    expect(now.labels).toEqual(['kind/bug', 'lifecycle/stale']);
    expect(now.botComments).toHaveLength(1);
    expect(now.botComments[0]).toContain('`/remove-lifecycle stale`');
    expect(now.botComments[0]).toContain('`/lifecycle frozen`');
    expect((await item(repo, recent)).labels).toEqual([]);

    // Marking it was activity: the next sweep has nothing to do until the rotten period passes.
    expect(await sweep(repo)).toEqual([]);
    age(repo, old, 31);
    expect((await sweep(repo)).map((a) => [a.step, a.number])).toEqual([['rotten', old]]);
    now = await item(repo, old);
    expect(now.labels).toEqual(['kind/bug', 'lifecycle/rotten']);
    expect(now.botComments[1]).toContain('`/remove-lifecycle rotten`');

    age(repo, old, 29);
    expect(await sweep(repo)).toEqual([]);
    age(repo, old, 31);
    expect((await sweep(repo)).map((a) => [a.step, a.number])).toEqual([['close', old]]);
    now = await item(repo, old);
    expect(now).toMatchObject({ state: 'closed', stateReason: 'not_planned', labels: ['kind/bug', 'lifecycle/rotten'] });
    expect(now.botComments).toHaveLength(3);
    expect(now.botComments[2]).toContain('`/reopen`');
    expect(await sweep(repo)).toEqual([]);
  });

  it('ages pull requests too, closing them without a reason and never offering /lifecycle frozen', async () => {
    const repo = await newRepo();
    const { number } = await h.emu.control.createPullRequest({ owner: 'acme', repo, author: 'collab', head: 'old-change', title: 'old change', files: { 'a.txt': 'a\n' } });
    age(repo, number, 100);
    expect((await sweep(repo)).map((a) => [a.step, a.number, a.isPR])).toEqual([['stale', number, true]]);
    age(repo, number, 31);
    await sweep(repo);
    age(repo, number, 31);
    await sweep(repo);
    const now = await item(repo, number);
    expect(now.state).toBe('closed');
    expect(now.labels).toEqual(['lifecycle/rotten']);
    expect(now.botComments).toHaveLength(3);
    expect(now.botComments.some((c) => c.includes('/lifecycle frozen'))).toBe(false);
    expect((await h.as('admin').rest.pulls.get({ owner: 'acme', repo, pull_number: number })).data.merged).toBe(false);
  });

  it('never touches frozen items, nor items carrying an exempt label', async () => {
    const repo = await newRepo();
    const frozen = await openIssue(repo, 'frozen', ['lifecycle/frozen']);
    const frozenRotten = await openIssue(repo, 'frozen and rotten', ['lifecycle/frozen', 'lifecycle/rotten']);
    const helpWanted = await openIssue(repo, 'help wanted', ['help wanted']);
    for (const n of [frozen, frozenRotten, helpWanted]) age(repo, n, 400);
    expect((await sweep(repo, { exemptLabels: ['help wanted'] })).map((a) => a.number)).toEqual([]);
    expect((await item(repo, frozen)).botComments).toEqual([]);
    expect((await item(repo, frozenRotten)).state).toBe('open');
    expect((await sweep(repo)).map((a) => [a.step, a.number])).toEqual([['stale', helpWanted]]);
  });

  it('lets any activity reset the clock', async () => {
    const repo = await newRepo();
    const commented = await openIssue(repo, 'someone answered');
    const stale = await openIssue(repo, 'stale, then freshened', ['lifecycle/stale']);
    const untouched = await openIssue(repo, 'nobody came');
    age(repo, commented, 100);
    age(repo, untouched, 100);
    age(repo, stale, 40);
    await h.as('outsider').rest.issues.createComment({ owner: 'acme', repo, issue_number: commented, body: 'still happening on 1.4' });
    // Anyone may answer the stale comment's advice; the lifecycle plugin removes the label.
    const { data: asked } = await h.as('outsider').rest.issues.createComment({ owner: 'acme', repo, issue_number: stale, body: '/remove-lifecycle stale' });
    const sent = (await h.events()).find((e) => e.event === 'issue_comment' && (e.payload.comment as { id: number }).id === asked.id);
    const comment = sent && toGenericComment(sent.event, sent.payload);
    if (!comment) throw new Error('the emulator sent no webhook for the comment');
    await lifecyclePlugin.genericComment?.({ ...h.context(), github, repo }, comment);
    expect((await item(repo, stale)).labels).toEqual([]);
    age(repo, stale, 89);
    expect((await sweep(repo)).map((a) => [a.step, a.number])).toEqual([['stale', untouched]]);
  });

  it('in a dry run lists what it would do, oldest first, and changes nothing', async () => {
    const repo = await newRepo();
    const a = await openIssue(repo, 'a');
    const b = await openIssue(repo, 'b', ['lifecycle/stale']);
    const c = await openIssue(repo, 'c', ['lifecycle/rotten']);
    const d = await openIssue(repo, 'd');
    age(repo, a, 95);
    age(repo, d, 120);
    age(repo, b, 35);
    age(repo, c, 35);
    const before = h.emu.state.repoByName('acme', repo)?.issues.get(a)?.updatedAt;
    const planned = await sweep(repo, { dryRun: true });
    expect(planned.map((x) => [x.step, x.number, x.dryRun])).toEqual([
      ['close', c, true],
      ['rotten', b, true],
      ['stale', d, true],
      ['stale', a, true],
    ]);
    for (const n of [a, b, c, d]) expect((await item(repo, n)).botComments).toEqual([]);
    expect((await item(repo, c)).state).toBe('open');
    expect(h.emu.state.repoByName('acme', repo)?.issues.get(a)?.updatedAt).toBe(before);
    expect(h.logs.lines.some((l) => l.msg === `stale aging (dry run): would close acme/${repo}#${c}`)).toBe(true);
  });

  it('stops at the ceiling per step, oldest first, like the commenter', async () => {
    const repo = await newRepo();
    const numbers = [await openIssue(repo, '1'), await openIssue(repo, '2'), await openIssue(repo, '3')];
    numbers.forEach((n, i) => {
      age(repo, n, 200 - i);
    });
    expect((await sweep(repo, { ceiling: 2 })).map((x) => x.number)).toEqual(numbers.slice(0, 2));
    expect((await item(repo, numbers[2] ?? 0)).labels).toEqual([]);
  });

  it('goes on past an item GitHub refuses, then fails naming it', async () => {
    const repo = await newRepo();
    const first = await openIssue(repo, 'refused');
    const second = await openIssue(repo, 'fine');
    age(repo, first, 100);
    age(repo, second, 99);
    await h.emu.control.faults({ count: 1, status: 403, method: 'POST', pathPrefix: `/repos/acme/${repo}/issues/${first}/labels` });
    await expect(sweep(repo)).rejects.toThrow(`#${first} (stale)`);
    expect((await item(repo, second)).labels).toEqual(['lifecycle/stale']);
    expect((await item(repo, first)).botComments).toEqual([]);
  });

  it('searches the way Prow commenter does', () => {
    const cutoff = new Date('2026-08-27T18:00:00.123Z');
    expect(agingQuery('stale', 'acme', 'widgets', cutoff, ['good first issue'])).toBe(
      'repo:acme/widgets is:open -label:lifecycle/frozen -label:"good first issue" -label:lifecycle/stale -label:lifecycle/rotten updated:<=2026-08-27T18:00:00Z sort:updated-asc',
    );
    expect(agingQuery('close', 'acme', 'widgets', cutoff)).toBe('repo:acme/widgets is:open -label:lifecycle/frozen label:lifecycle/rotten updated:<=2026-08-27T18:00:00Z sort:updated-asc');
  });

  it('writes comments the bot will not read back as commands', () => {
    for (const step of ['stale', 'rotten', 'close'] as const) {
      for (const isPR of [false, true]) {
        const body = staleComment(step, isPR, defaultStalePeriods);
        expect(body.split('\n').filter((line) => line.startsWith('/'))).toEqual([]);
        expect(body).toContain('90d of inactivity');
      }
    }
  });
});
