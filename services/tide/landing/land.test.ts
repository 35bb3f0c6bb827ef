import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../../emulator/github/testing/webhook-receiver.ts';
import { landFastForward, landTrain, landViaApi } from './land.ts';
import { unmergeableHint } from './merge-errors.ts';
import { startLandingWorld, type LandingWorld } from './testing/landing-world.ts';
import type { LandingPull, MergeMethod, TrainMember } from './types.ts';

describe('landing trains, against the emulator', () => {
  let world: LandingWorld;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let seq = 0;
  const noWait = { betweenMergesMs: 0, sleep: () => Promise.resolve() };
  const freshRepo = async (files?: Record<string, string>): Promise<{ repo: string; base: string }> => {
    const repo = `gadgets-${++seq}`;
    return { repo, base: await world.createRepo(repo, files) };
  };
  const members = (method: MergeMethod, ...pulls: LandingPull[]): TrainMember[] => pulls.map((pull) => ({ pull, method }));
  const pullState = async (repo: string, number: number): Promise<{ state: string; merged: boolean; mergedBy: string | undefined }> => {
    const { data } = await world.alice.rest.pulls.get({ owner: 'acme', repo, pull_number: number });
    return { state: data.state, merged: data.merged, mergedBy: data.merged_by?.login };
  };
  const train = async (repo: string, trainId: string, parentSha: string, list: TrainMember[]): Promise<string> => {
    const built = await world.builder.build({ org: 'acme', repo, branch: 'main', trainId, parentSha, members: list });
    if (built.kind !== 'built') throw new Error(`train ${trainId}: ${built.kind}`);
    return built.sha;
  };

  beforeAll(async () => {
    world = await startLandingWorld();
    receiver = await startWebhookReceiver();
    await world.emu.control.addWebhook({ owner: 'acme', url: receiver.url, secret: 'hook-secret', events: ['pull_request'] });
  });

  afterAll(async () => {
    await world.close();
    await receiver.close();
  });

  describe('fast-forward', () => {
    it('moves the base to exactly the tested commit of a 3-PR train, and GitHub marks each PR merged by the bot', async () => {
      const { repo, base } = await freshRepo();
      const pulls = [
        await world.openPull(repo, 'a', { 'a.txt': 'a\n' }),
        await world.openPull(repo, 'b', { 'b.txt': 'b\n' }),
        await world.openPull(repo, 'c', { 'c.txt': 'c\n' }),
      ];
      const sha = await train(repo, 't1', base, members('merge', ...pulls));
      const result = await landFastForward(world.github, { org: 'acme', repo, branch: 'main', sha, members: members('merge', ...pulls) });
      expect(result).toEqual({ kind: 'landed', sha, mergedByGitHub: pulls.map((p) => p.number), closed: [], closeFailures: [] });
      expect(await world.tip(repo, 'main')).toBe(sha);
      for (const p of pulls) expect(await pullState(repo, p.number)).toEqual({ state: 'closed', merged: true, mergedBy: 'tide-bot' });

      await world.emu.control.waitForDeliveries();
      const closed = receiver.received
        .map((h) => JSON.parse(h.body) as { action: string; repository: { name: string }; pull_request: { number: number; merged: boolean } })
        .filter((e) => e.action === 'closed' && e.repository.name === repo);
      expect(closed.map((e) => [e.pull_request.number, e.pull_request.merged])).toEqual(pulls.map((p) => [p.number, true]));
    });

    it('lands cumulative trains in turn: T1, then T2 built on it', async () => {
      const { repo, base } = await freshRepo();
      const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
      const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
      const t1 = await train(repo, 't1', base, members('merge', a));
      const t2 = await train(repo, 't2', t1, members('merge', b));
      expect(await landFastForward(world.github, { org: 'acme', repo, branch: 'main', sha: t1, members: members('merge', a) })).toMatchObject({ kind: 'landed' });
      expect(await landFastForward(world.github, { org: 'acme', repo, branch: 'main', sha: t2, members: members('merge', b) })).toMatchObject({ kind: 'landed' });
      expect(await world.tip(repo, 'main')).toBe(t2);
      expect((await pullState(repo, b.number)).merged).toBe(true);
    });

    it('answers base-moved, and leaves the base alone, when someone pushed to it after the train was built', async () => {
      const { repo, base } = await freshRepo();
      const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
      const sha = await train(repo, 't1', base, members('merge', a));
      const bypass = await world.push(repo, 'main', { 'hotfix.txt': 'fix\n' }, 'hotfix');
      const result = await landFastForward(world.github, { org: 'acme', repo, branch: 'main', sha, members: members('merge', a) });
      expect(result).toMatchObject({ kind: 'base-moved', sha, baseSha: bypass });
      expect(await world.tip(repo, 'main')).toBe(bypass);
      expect(await pullState(repo, a.number)).toEqual({ state: 'open', merged: false, mergedBy: undefined });
    });

    it('closes squash and rebase PRs with a comment naming the landed commit, since their heads are not in the base', async () => {
      const { repo, base } = await freshRepo();
      const merged = await world.openPull(repo, 'm', { 'm.txt': 'm\n' });
      const squashed = await world.openPull(repo, 's', { 's.txt': 's\n' });
      const rebased = await world.openPull(repo, 'r', { 'r.txt': 'r\n' });
      const list: TrainMember[] = [
        { pull: merged, method: 'merge' },
        { pull: squashed, method: 'squash' },
        { pull: rebased, method: 'rebase' },
      ];
      const sha = await train(repo, 't1', base, list);
      const result = await landFastForward(world.github, { org: 'acme', repo, branch: 'main', sha, members: list });
      expect(result).toEqual({ kind: 'landed', sha, mergedByGitHub: [merged.number], closed: [squashed.number, rebased.number], closeFailures: [] });
      expect(await pullState(repo, merged.number)).toMatchObject({ merged: true });
      for (const p of [squashed, rebased]) {
        expect(await pullState(repo, p.number)).toEqual({ state: 'closed', merged: false, mergedBy: undefined });
        const comments = (await world.alice.rest.issues.listComments({ owner: 'acme', repo, issue_number: p.number })).data;
        expect(comments.map((c) => [c.user?.login, c.body?.includes(sha)])).toEqual([['tide-bot', true]]);
      }
    });
  });

  describe('api', () => {
    it('merges each PR at the head SHA that was tested: one pushed to after selection is skipped with 409, the rest merge', async () => {
      const { repo } = await freshRepo();
      const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
      const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
      const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' });
      await world.push(repo, 'b', { 'b.txt': 'untested\n' }, 'sneak in a change');
      const result = await landViaApi(world.github, { org: 'acme', repo, members: members('merge', a, b, c) }, noWait);
      expect(result.merged).toEqual([a.number, c.number]);
      expect(result.outcomes.map((o) => [o.pull, o.kind])).toEqual([
        [a.number, 'merged'],
        [b.number, 'head-modified'],
        [c.number, 'merged'],
      ]);
      expect(await pullState(repo, b.number)).toMatchObject({ state: 'open', merged: false });
    });

    it('retries "Base branch was modified" with the injected backoff, and gives up after three tries', async () => {
      const { repo } = await freshRepo();
      const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
      const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
      const waits: number[] = [];
      const sleep = (ms: number): Promise<void> => {
        waits.push(ms);
        return Promise.resolve();
      };
      const message = 'Base branch was modified. Review and try the merge again.';
      await world.emu.control.faults({ count: 1, status: 405, method: 'PUT', pathPrefix: `/repos/acme/${repo}/pulls/${a.number}/merge`, message });
      await world.emu.control.faults({ count: 3, status: 405, method: 'PUT', pathPrefix: `/repos/acme/${repo}/pulls/${b.number}/merge`, message });
      const result = await landViaApi(world.github, { org: 'acme', repo, members: members('merge', a, b) }, { betweenMergesMs: 5, sleep, baseModifiedRetryDelaysMs: [10, 20] });
      expect(result.outcomes.map((o) => o.kind)).toEqual(['merged', 'base-modified']);
      expect(result.outcomes[1]).toMatchObject({ attempts: 3, message });
      expect(waits).toEqual([10, 5, 10, 20]);
    });

    it('stops the batch when GitHub forbids merge commits, and calls other 405s unmergeable with Prow’s hint', async () => {
      const { repo } = await freshRepo({ 'shared.txt': 'one\n' });
      const a = await world.openPull(repo, 'a', { 'shared.txt': 'from a\n' });
      const b = await world.openPull(repo, 'b', { 'shared.txt': 'from b\n' });
      const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' });
      const d = await world.openPull(repo, 'd', { 'd.txt': 'd\n' });
      const first = await landViaApi(world.github, { org: 'acme', repo, members: members('squash', a, b) }, noWait);
      expect(first.outcomes).toEqual([
        { pull: a.number, kind: 'merged', sha: expect.any(String) as string },
        { pull: b.number, kind: 'unmergeable', message: 'Pull Request is not mergeable', hint: unmergeableHint },
      ]);

      await (await world.github.forRepo('acme', repo)).rest.repos.update({ owner: 'acme', repo, allow_merge_commit: false });
      const second = await landViaApi(world.github, { org: 'acme', repo, members: members('merge', c, d) }, noWait);
      expect(second.outcomes).toEqual([
        { pull: c.number, kind: 'forbidden', message: 'Merge commits are not allowed on this repository.' },
        { pull: d.number, kind: 'not-attempted' },
      ]);
      expect(await pullState(repo, d.number)).toMatchObject({ state: 'open' });
    });

    it('honours each PR’s merge method and writes commit_title and commit_message from merge_commit_template', async () => {
      const { repo, base } = await freshRepo();
      const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' }, 'Add a', 'Because a.');
      const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' }, 'Add b', 'Because b.');
      const template = { title: '{{.Title}} (#{{.Number}})', body: '{{.Body}} Author: {{.AuthorLogin}}' };
      const list: TrainMember[] = [
        { pull: a, method: 'squash' },
        { pull: b, method: 'merge' },
      ];
      const result = await landTrain(world.github, { mode: 'api', org: 'acme', repo, members: list, template }, noWait);
      if (result.mode !== 'api') throw new Error('wrong mode');
      expect(result.merged).toEqual([a.number, b.number]);
      const commitOf = async (sha: string) => (await world.alice.rest.repos.getCommit({ owner: 'acme', repo, ref: sha })).data;
      const [squash, merge] = await Promise.all(result.outcomes.map((o) => commitOf(o.kind === 'merged' ? o.sha : '')));
      expect(squash?.parents.map((p) => p.sha)).toEqual([base]);
      expect(squash?.commit.message).toBe(`Add a (#${a.number})\n\nBecause a. Author: alice`);
      expect(merge?.parents.map((p) => p.sha)).toEqual([squash?.sha, b.headSha]);
      expect(merge?.commit.message).toBe(`Add b (#${b.number})\n\nBecause b. Author: alice`);
    });
  });
});
