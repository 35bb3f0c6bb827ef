import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirStore } from '../../../lib/storage/index.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { apiTimeout, e2eTests, volumePending } from '../browser/triage-world.ts';
import type { Column } from '../build/column.ts';
import { readBuild } from '../build/read-build.ts';
import { writeBuild } from '../testing/write-builds.ts';
import { RedisFailureStore } from './failure-store.ts';
import { TriageFeed } from './triage-feed.ts';

const DAY = 86_400_000;
// Noon UTC today: Redis expires the day keys by its own clock.
const t0 = Math.floor(Date.now() / DAY) * DAY + DAY / 2;
const redis = uniqueRedis('testgrid-triage-feed');
const gce = { name: 'ci-kubernetes-e2e-gce', gcs_prefix: 'prow-artifacts/logs/ci-kubernetes-e2e-gce' };
const kind = { name: 'pull-kubernetes-e2e-kind', gcs_prefix: 'prow-artifacts/logs/pull-kubernetes-e2e-kind' };
let root: string;
let store: DirStore;
let at: number;
const now = (): number => at;
const opened: RedisFailureStore[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'triage-feed-'));
  store = new DirStore(root);
  at = t0;
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  await rm(root, { recursive: true, force: true });
  await dropPrefix(redis);
});

function failureStore(): RedisFailureStore {
  const s = new RedisFailureStore(redis, { now });
  opened.push(s);
  return s;
}

/** Builds of `job` that started `daysAgo` days before t0, each failing the given tests with its own text. */
async function builds(job: string, first: number, daysAgo: readonly number[], fail: (n: number) => Record<string, string>): Promise<Column[]> {
  const out: Column[] = [];
  for (const [i, ago] of daysAgo.entries()) {
    const n = first + i;
    const dir = await writeBuild(store, job, { id: String(n), started: Math.floor((t0 - ago * DAY - 3_600_000) / 1000), ranFor: 600, tests: e2eTests, failures: fail(n), suite: 'e2e' });
    out.push(await readBuild(store, dir, { now: t0 }));
  }
  return out;
}

const apiDown = (n: number): Record<string, string> => Object.fromEntries(e2eTests.slice(0, 3).map((t, i) => [t, apiTimeout(n * 10 + i)]));
const storage = (n: number): Record<string, string> => ({ [e2eTests[4] ?? '']: volumePending(n) });

const shape = (feed: TriageFeed) => feed.summary().clusters.map((c) => ({ id: c.id, total: c.total, builds: c.builds, daily: c.daily, jobs: c.jobs }));

describe('TriageFeed', () => {
  it('clusters what it is fed, takes each build once, and opens again with the same ids and counts', async () => {
    const feed = await TriageFeed.open({ store: failureStore(), now });
    const gceBuilds = [...(await builds(gce.name, 100, [0, 1, 2], apiDown)), ...(await builds(gce.name, 200, [0, 3], storage))];
    const kindBuilds = await builds(kind.name, 300, [0, 0, 5], apiDown);
    await feed.ingest(gce, gceBuilds);
    await feed.ingest(kind, kindBuilds);
    // The updater may pass a build again (a grid read afresh after its config changed): nothing changes.
    await feed.ingest(kind, kindBuilds.slice(0, 2));

    const summary = feed.summary();
    expect(summary.failures).toBe(6 * 3 + 2);
    expect(summary.clusters.map((c) => [c.total, c.builds, c.owner])).toEqual([
      [18, 6, 'network'],
      [2, 2, 'storage'],
    ]);
    const [api] = summary.clusters;
    expect(api?.jobs).toEqual([
      { name: 'ci-kubernetes-e2e-gce', count: 9 },
      { name: 'pull-kubernetes-e2e-kind', count: 9 },
    ]);
    // Three builds started within the day, all six within the week.
    expect(api?.recent).toEqual({ day: 9, week: 18 });
    expect(api?.key).toMatch(/dial tcp UNIQ\d+: i\/o timeout/);
    expect(api?.examples[0]?.url).toMatch(/^\/view\/gs\/prow-artifacts\/logs\/(ci|pull)-kubernetes-e2e-(gce|kind)\/\d+$/);
    expect((await failureStore().since(0)).length).toBe(20);

    const restarted = await TriageFeed.open({ store: failureStore(), now });
    expect(shape(restarted)).toEqual(shape(feed));
    await restarted.ingest(kind, kindBuilds);
    expect(restarted.size).toBe(20);
  });

  it('keeps a cluster\'s id after a restart even when another of its texts has become the commonest', async () => {
    const rollout = (got: number) => ({ [e2eTests[2] ?? '']: `deployment "web" did not roll out: expected 3 updated replicas, got ${String(got)} after waiting` });
    const feed = await TriageFeed.open({ store: failureStore(), now });
    await feed.ingest(gce, await builds(gce.name, 100, [3], () => rollout(1)));
    await feed.ingest(gce, await builds(gce.name, 200, [2, 1, 0], () => rollout(2)));
    const [before] = feed.summary().clusters;
    expect(before?.key).toContain('got 1 after');
    expect(before?.total).toBe(4);
    const restarted = await TriageFeed.open({ store: failureStore(), now });
    expect(restarted.summary().clusters.map((c) => [c.id, c.key, c.total])).toEqual([[before?.id, before?.key, 4]]);
    // Clustered afresh without the stored keys, the commonest text becomes the key, and the id changes.
    const client = new Redis(redis.url);
    try {
      expect(await client.del(`${redis.prefix}:testgrid:triage:keys`)).toBe(1);
    } finally {
      client.disconnect();
    }
    const [unseeded] = (await TriageFeed.open({ store: failureStore(), now })).summary().clusters;
    expect(unseeded?.key).toContain('got 2 after');
    expect(unseeded?.id).not.toBe(before?.id);
  });

  it('narrows by part of a job, a test or the text, and by SIG', async () => {
    const feed = await TriageFeed.open({ store: failureStore(), now });
    await feed.ingest(gce, [...(await builds(gce.name, 100, [0, 1], apiDown)), ...(await builds(gce.name, 200, [0], storage))]);
    await feed.ingest(kind, await builds(kind.name, 300, [0], apiDown));
    const totals = (filter: Parameters<TriageFeed['summary']>[0]) => feed.summary(filter).clusters.map((c) => c.total);
    expect(totals({})).toEqual([9, 1]);
    expect(totals({ job: 'KIND' })).toEqual([3]);
    expect(totals({ test: 'sig-storage' })).toEqual([1]);
    expect(totals({ test: 'DNS', job: 'gce' })).toEqual([2]);
    expect(totals({ text: 'phase Bound' })).toEqual([1]);
    // The key matches too: its UNIQ placeholders are in no failure's own text.
    expect(totals({ text: 'dial tcp UNIQ' })).toEqual([9]);
    expect(totals({ sig: 'storage' })).toEqual([1]);
    expect(feed.summary({ sig: 'storage' }).failures).toBe(1);
    expect(totals({ job: 'no-such-job' })).toEqual([]);
  });

  it('keeps a day of failures for 15 days and drops what left the 14-day window when the day turns, keeping ids', async () => {
    const failures = failureStore();
    const feed = await TriageFeed.open({ store: failures, now });
    await feed.ingest(gce, await builds(gce.name, 100, [0, 13], apiDown));
    const client = new Redis(redis.url);
    try {
      const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
      const oldest = Math.floor(t0 / DAY) * DAY - 13 * DAY;
      const key = `${redis.prefix}:testgrid:triage:failures:${day(oldest)}`;
      expect(await client.llen(key)).toBe(1);
      expect(await client.expiretime(key)).toBe((oldest + 15 * DAY) / 1000);
      expect(await client.exists(`${redis.prefix}:testgrid:triage:failures:${day(t0)}`, `${redis.prefix}:testgrid:triage:keys`)).toBe(2);
    } finally {
      client.disconnect();
    }
    const [before] = feed.summary().clusters;
    expect(before?.total).toBe(6);

    at = t0 + DAY;
    // A build from before the window is not taken; the next one is, and the day's turn drops the oldest.
    await feed.ingest(kind, await builds(kind.name, 300, [20], apiDown));
    expect(feed.size).toBe(3);
    await feed.ingest(kind, await builds(kind.name, 400, [-1], apiDown));
    const [after] = feed.summary().clusters;
    expect(after?.id).toBe(before?.id);
    expect(after?.total).toBe(6);
    expect(feed.size).toBe(6);
    expect(after?.jobs.map((j) => j.name)).toEqual(['ci-kubernetes-e2e-gce', 'pull-kubernetes-e2e-kind']);
  });
});
