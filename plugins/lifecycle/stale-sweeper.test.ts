import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProwError } from '../../lib/errors.ts';
import { GitHubClient } from '../../lib/github/github-client.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { startStaleSweeper, type StaleSweeper, type StaleSweeperOptions } from './index.ts';
import type { SweepAction } from './stale-sweep.ts';

const day = 86_400_000;
const redis = uniqueRedis('stale-sweep');
let h: PluginHarness;
let github: GitHubClient;
const running: StaleSweeper[] = [];

beforeAll(async () => {
  h = await startPluginHarness();
  github = new GitHubClient({
    credentials: { kind: 'token', token: h.tokens['prow-bot'] ?? '' },
    logger: h.logs.logger,
    baseUrl: h.emu.url,
    rateLimits: { enabled: false },
    retries: { retries: 0 },
  });
  for (const name of ['north', 'south']) await h.emu.control.createRepo({ owner: 'acme', name });
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
});
afterAll(async () => {
  await dropPrefix(redis);
  await h.close();
});

async function start(options: Partial<StaleSweeperOptions>): Promise<StaleSweeper> {
  const sweeper = await startStaleSweeper({ redis, github, logger: h.logs.logger, repos: [], ...options });
  running.push(sweeper);
  return sweeper;
}

async function completed(sweeper: StaleSweeper, count: number): Promise<SweepAction[][]> {
  for (let i = 0; i < 200; i++) {
    const jobs = await sweeper.queue.getJobs(['completed']);
    if (jobs.length >= count) return jobs.map((j) => j.returnvalue);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} sweeps completed`);
}

describe('stale sweeper', () => {
  it('registers one job scheduler per repo, sweeps each, and drops repos no longer listed', async () => {
    const { data: old } = await h.as('member').rest.issues.create({ owner: 'acme', repo: 'north', title: 'forgotten' });
    const issue = h.emu.state.repoByName('acme', 'north')?.issues.get(old.number);
    if (!issue) throw new Error('no such issue in the emulator');
    issue.updatedAt = new Date(Date.now() - 100 * day).toISOString();

    const sweeper = await start({ repos: ['acme/north', 'acme/south'], every: 3_600_000, periods: { rotten: 7 * day } });
    const schedulers = await sweeper.queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every]).sort()).toEqual([
      ['acme/north', 3_600_000],
      ['acme/south', 3_600_000],
    ]);
    expect(schedulers[0]?.template?.data).toMatchObject({ periods: { stale: 90 * day, rotten: 7 * day, close: 30 * day }, dryRun: false, ceiling: 10 });

    // A scheduler with `every` runs its first sweep at once.
    const results = (await completed(sweeper, 2)).flat();
    expect(results.map((a) => [a.step, a.number])).toEqual([['stale', old.number]]);
    const { data: labels } = await h.as('admin').rest.issues.listLabelsOnIssue({ owner: 'acme', repo: 'north', issue_number: old.number });
    expect(labels.map((l) => l.name)).toEqual(['lifecycle/stale']);
    await sweeper.close();
    running.splice(0);

    const again = await start({ repos: ['acme/south'], dryRun: true });
    const left = await again.queue.getJobSchedulers();
    expect(left.map((s) => [s.key, s.every, s.template?.data?.dryRun])).toEqual([['acme/south', 3_600_000, true]]);
  });

  it.each([
    [{ repos: ['widgets'] }],
    [{ repos: ['acme/widgets'], periods: { stale: -1 } }],
    [{ repos: ['acme/widgets'], every: 0 }],
    [{ repos: ['acme/widgets'], ceiling: 1.5 }],
  ])('refuses settings it cannot follow: %j', async (options) => {
    const err: unknown = await start(options).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
  });
});
