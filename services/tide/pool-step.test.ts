import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../lib/config/index.ts';
import { newPresubmitJob, type ProwJob } from '../../lib/jobs/index.ts';
import type { PoolDoc } from './pool-doc.ts';
import type { PoolInput, PoolPullInput } from './pool-input.ts';
import { stepPool } from './pool-step.ts';
import { searchTidePulls } from './sync/search.ts';
import { configFromYaml } from './sync/testing/config-from-yaml.ts';
import { badFilesFail, startTideWorld, type CiRule, type TideWorld } from './testing/tide-world.ts';
import { tideLabels } from './train-jobs.ts';

const configFor = (repo: string, extra = ''): Promise<ProwConfig> =>
  configFromYaml(`
presubmits:
  acme/${repo}:
  - name: unit
    always_run: true
    spec: {containers: [{image: alpine}]}
tide:
  queries:
  - repos: [acme/${repo}]
${extra}`);

describe('one pool step of the merge queue, against the emulator with real git', () => {
  let world: TideWorld;
  let seq = 0;

  beforeAll(async () => {
    world = await startTideWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const freshRepo = async (): Promise<string> => {
    const repo = `queue-${String(++seq)}`;
    await world.createRepo(repo, { 'README.md': 'queue\n', 'shared.txt': 'one\n' });
    return repo;
  };

  /** The pool as a sync would find it: every open PR eligible, each needing `unit`. */
  const inputOf = async (config: ProwConfig, repo: string, tweak: (p: PoolPullInput) => PoolPullInput = (p) => p): Promise<PoolInput> => {
    const found = await searchTidePulls(world.github.octokit, config.tide?.queries ?? []);
    const pulls = found.pulls
      .filter((p) => p.repo === repo)
      .sort((a, b) => a.number - b.number)
      .map((pull): PoolPullInput => tweak({ pull, verdict: 'eligible', status: { state: 'success', description: 'In merge pool.' }, mergeMethod: 'merge', requiredContexts: ['unit'] }));
    return { key: `acme/${repo}:main`, org: 'acme', repo, branch: 'main', baseSha: await world.tip(repo, 'main'), pulls, blockers: [] };
  };

  /** Steps the pool and runs CI until nothing is left to run; answers the last record. */
  const settle = async (config: ProwConfig, repo: string, rule: CiRule = badFilesFail, maxSteps = 20): Promise<PoolDoc> => {
    let doc: PoolDoc | undefined;
    let idle = 0;
    for (let i = 0; i < maxSteps; i++) {
      doc = await stepPool(world.deps(config), await inputOf(config, repo));
      const ran = await world.runCi(rule);
      idle = ran.length === 0 && doc.state.trains.length === 0 ? idle + 1 : 0;
      if (idle >= 2 || (idle === 1 && doc.state.queue.length === 0)) return doc;
    }
    throw new Error(`the pool did not settle in ${String(maxSteps)} steps: ${JSON.stringify(doc?.state)}`);
  };

  const merged = async (repo: string, number: number): Promise<boolean> => (await world.alice.rest.pulls.get({ owner: 'acme', repo, pull_number: number })).data.merged;
  const jobsOfRepo = async (repo: string): Promise<ProwJob[]> => (await world.trainJobs()).filter((j) => j.spec.refs?.repo === repo);

  it('lands a queue of PRs in order, the base ending exactly at a commit a train tested', async () => {
    const repo = await freshRepo();
    const config = await configFor(repo);
    const pulls = [await world.openPull(repo, 'a', { 'a.txt': 'a\n' }), await world.openPull(repo, 'b', { 'b.txt': 'b\n' }), await world.openPull(repo, 'c', { 'c.txt': 'c\n' })];

    const first = await stepPool(world.deps(config), await inputOf(config, repo));
    expect(first.state.queue.map((e) => e.number)).toEqual(pulls.map((p) => p.number));
    expect(first.state.trains.at(-1)?.members).toEqual(pulls.map((p) => p.number));
    const doc = await settle(config, repo);

    for (const p of pulls) expect(await merged(repo, p.number)).toBe(true);
    expect(doc.state.queue).toEqual([]);
    const jobs = await jobsOfRepo(repo);
    expect(jobs.every((j) => j.spec.type === 'batch' && j.metadata.labels[tideLabels.createdByTide] === 'true')).toBe(true);
    const tested = jobs.filter((j) => j.spec.refs?.pulls?.length === 3).map((j) => j.spec.refs?.base_sha);
    expect(tested).toContain(await world.tip(repo, 'main'));
    const history = await world.store.history(`acme/${repo}:main`);
    const landedInOrder = history.filter((r) => r.action.startsWith('MERGE')).reverse().flatMap((r) => r.target.map((t) => t.number));
    expect(landedInOrder).toEqual(pulls.map((p) => p.number));
    expect(history.at(-1)?.action).toBe('TRIGGER_BATCH');
  });

  it('finds a bad PR in a batch by splitting it, ejects only that PR, and lands the others', async () => {
    const repo = await freshRepo();
    // One train at a time, so the four PRs ride in one batch and the failure must be bisected.
    const config = await configFor(repo, '  merge_queue: {min_window: 1, max_window: 1, ci_budget: 1}');
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const bad = await world.openPull(repo, 'bad', { 'bad.txt': 'breaks the build\n' });
    const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' });
    const d = await world.openPull(repo, 'd', { 'd.txt': 'd\n' });

    const first = await stepPool(world.deps(config), await inputOf(config, repo));
    expect(first.state.trains[0]?.batch.length).toBeGreaterThan(1);
    const doc = await settle(config, repo);

    for (const p of [a, c, d]) expect(await merged(repo, p.number)).toBe(true);
    expect(await merged(repo, bad.number)).toBe(false);
    expect(doc.holds[String(bad.number)]).toMatchObject({ kind: 'ejected', job: 'unit' });
    const history = await world.store.history(`acme/${repo}:main`);
    expect(history.find((r) => r.action === 'EJECT')).toMatchObject({ target: [{ number: bad.number }], err: expect.stringContaining('unit') as unknown });
  });

  it('does not land a PR pushed to during its test; the train behind is rebuilt without the old head', async () => {
    const repo = await freshRepo();
    const config = await configFor(repo);
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
    await stepPool(world.deps(config), await inputOf(config, repo));
    const pushed = await world.push(repo, 'b', { 'b.txt': 'b, reworked\n' });
    await world.runCi();

    // The sync has not seen the push yet: the step must notice before landing.
    const stale = await inputOf(config, repo, (p) => (p.pull.number === b.number ? { ...p, pull: { ...p.pull, headSha: b.headSha } } : p));
    await stepPool(world.deps(config), stale);
    expect(await merged(repo, b.number)).toBe(false);
    const main = await world.tip(repo, 'main');
    const { data: compare } = await world.alice.rest.repos.compareCommits({ owner: 'acme', repo, base: b.headSha, head: main });
    expect(['behind', 'diverged']).toContain(compare.status); // the old head of b is not in main

    const doc = await settle(config, repo);
    expect(await merged(repo, a.number)).toBe(true);
    expect(await merged(repo, b.number)).toBe(true);
    const trainsOfB = (await jobsOfRepo(repo)).filter((j) => j.spec.refs?.pulls?.some((p) => p.number === b.number));
    expect(trainsOfB.some((j) => j.spec.refs?.pulls?.some((p) => p.sha === pushed))).toBe(true);
    expect(doc.state.queue).toEqual([]);
  });

  it('runs a job that failed once again, lands on the pass and counts it as a flake', async () => {
    const repo = await freshRepo();
    const config = await configFor(repo);
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const before = await stepPool(world.deps(config), await inputOf(config, repo));
    const flakeBefore = before.state.estimates.flake;
    await world.runCi((job) => (job.metadata.labels[tideLabels.attempt] === '1' ? 'failure' : 'success'));
    const retried = await stepPool(world.deps(config), await inputOf(config, repo));
    expect(retried.state.trains[0]?.jobs.unit).toEqual({ state: 'pending', attempts: 2 });
    await world.runCi();
    const doc = await stepPool(world.deps(config), await inputOf(config, repo));
    expect(await merged(repo, a.number)).toBe(true);
    expect(doc.state.estimates.flake).toBeGreaterThan(flakeBefore);
    expect((await jobsOfRepo(repo)).map((j) => j.metadata.labels[tideLabels.attempt])).toEqual(['1', '2']);
  });

  it('in api mode merges PR by PR at the tested heads, like Tide', async () => {
    const repo = await freshRepo();
    const config = await configFor(repo, '  merge_queue: {landing: api}');
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
    await stepPool(world.deps(config), await inputOf(config, repo));
    await world.runCi();
    const doc = await stepPool(world.deps(config), await inputOf(config, repo));
    for (const p of [a, b]) {
      const { data } = await world.alice.rest.pulls.get({ owner: 'acme', repo, pull_number: p.number });
      expect(data.merged).toBe(true);
      expect(data.head.sha).toBe(p.headSha);
    }
    expect(doc.state.baseSha).toBe(await world.tip(repo, 'main'));
    const tested = (await jobsOfRepo(repo)).map((j) => j.spec.refs?.base_sha);
    expect(tested).not.toContain(doc.state.baseSha); // the API's merge commits are new: not the tested train
  });

  it('holds a PR that does not apply on what is ahead of it, and lands the rest', async () => {
    const repo = await freshRepo();
    const config = await configFor(repo);
    const a = await world.openPull(repo, 'a', { 'shared.txt': 'from a\n' });
    const b = await world.openPull(repo, 'b', { 'shared.txt': 'from b\n' });
    const first = await stepPool(world.deps(config), await inputOf(config, repo));
    expect(first.holds[String(b.number)]).toMatchObject({ kind: 'conflict', files: ['shared.txt'] });
    expect(first.state.queue.map((e) => e.number)).toEqual([a.number]);
    await world.runCi();
    await stepPool(world.deps(config), await inputOf(config, repo));
    expect(await merged(repo, a.number)).toBe(true);
    expect(await merged(repo, b.number)).toBe(false);
  });

  it('starts nothing while a blocker issue applies to the pool', async () => {
    const repo = await freshRepo();
    const config = await configFor(repo);
    await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const input = await inputOf(config, repo);
    const doc = await stepPool(world.deps(config), { ...input, blockers: [{ number: 99, title: 'release freeze', url: 'https://example.invalid/99' }] });
    expect(doc.action).toBe('BLOCKED');
    expect(doc.state.trains).toEqual([]);
    expect(await jobsOfRepo(repo)).toEqual([]);
  });

  it("reuses a lone PR's presubmit that passed on this very base, landing without a new run", async () => {
    const repo = await freshRepo();
    const config = await configFor(repo);
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const base = await world.tip(repo, 'main');
    const presubmit = config.presubmits[`acme/${repo}`]?.[0];
    if (presubmit === undefined) throw new Error('no presubmit');
    const serial = newPresubmitJob(presubmit, { org: 'acme', repo, base_ref: 'main', base_sha: base, pulls: [{ number: a.number, author: 'alice', sha: a.headSha }] });
    await world.jobs.create({ ...serial, status: { ...serial.status, state: 'success', completionTime: new Date().toISOString() } });

    await stepPool(world.deps(config), await inputOf(config, repo));
    await stepPool(world.deps(config), await inputOf(config, repo));
    expect(await merged(repo, a.number)).toBe(true);
    expect(await jobsOfRepo(repo)).toEqual([]);
  });
});
