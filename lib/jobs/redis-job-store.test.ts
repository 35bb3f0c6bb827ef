import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPrefix, testRedisUrl, uniqueRedis } from '../../test/helpers/redis.ts';
import { prowJobSchemaErrors } from '../../test/helpers/prowjob-crd.ts';
import type { RedisSettings } from '../queue/redis.ts';
import { JobConflictError, type JobChange, type JobStore } from './job-store.ts';
import { newProwJob } from './new-prowjob.ts';
import type { ProwJob } from './prowjob.ts';
import { createRedisJobStore } from './redis-job-store.ts';

let settings: RedisSettings;
let stores: JobStore[];

function open(): JobStore {
  const store = createRedisJobStore(settings);
  stores.push(store);
  return store;
}

function periodic(job: string, labels: Record<string, string> = {}): ProwJob {
  return newProwJob({ type: 'periodic', agent: 'kubernetes', job, namespace: 'test-pods', pod_spec: { containers: [{ name: 'test', image: 'alpine' }] } }, labels);
}

/** Collects a watch's changes; `until` waits for a condition on them. */
function recorder() {
  const changes: JobChange[] = [];
  return {
    changes,
    onChange: (c: JobChange) => changes.push(c),
    async until(ok: (all: JobChange[]) => boolean, what: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!ok(changes)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(changes.map((c) => [c.type, c.job.metadata.name]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const summary = (changes: JobChange[]) => changes.map((c) => `${c.type} ${c.job.spec.job} ${c.job.status.state}`);

beforeEach(() => {
  settings = uniqueRedis('jobstore');
  stores = [];
});

afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await dropPrefix(settings);
});

describe('the Redis JobStore', () => {
  it('stores jobs as given, with a resourceVersion, listed in creation order and by label', async () => {
    const store = open();
    const a = await store.create(periodic('job-a', { team: 'red' }));
    const b = await store.create(periodic('job-b', { team: 'blue' }));
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(await store.get(a.metadata.name)).toEqual(a);
    expect(prowJobSchemaErrors(a)).toEqual([]);
    expect((await store.list()).map((j) => j.spec.job)).toEqual(['job-a', 'job-b']);
    expect((await store.list({ labels: { team: 'blue' } })).map((j) => j.spec.job)).toEqual(['job-b']);
    expect(await store.get('nope')).toBeUndefined();
    await expect(store.create(a)).rejects.toBeInstanceOf(JobConflictError);
  });

  it('keeps empty arrays and objects exactly (no trip through Lua JSON)', async () => {
    const store = open();
    const job = periodic('job-empty');
    job.spec.extra_refs = [];
    const stored = await store.create(job);
    expect((await store.get(stored.metadata.name))?.spec.extra_refs).toEqual([]);
  });

  it('loses no update when two processes change the same job at once', async () => {
    const [one, two] = [open(), open()];
    const { metadata } = await one.create(periodic('counted'));
    const bump = (store: JobStore) =>
      store.update(metadata.name, (job) => {
        job.metadata.annotations.count = String(Number(job.metadata.annotations.count ?? 0) + 1);
        return job;
      });
    await Promise.all(Array.from({ length: 30 }, (_, i) => bump(i % 2 === 0 ? one : two)));
    expect((await one.get(metadata.name))?.metadata.annotations.count).toBe('30');
  });

  it('leaves a job alone when mutate returns undefined, and reports a missing job as undefined', async () => {
    const store = open();
    const job = await store.create(periodic('steady'));
    expect(await store.update(job.metadata.name, () => undefined)).toEqual(job);
    expect(await store.update('missing', (j) => j)).toBeUndefined();
    await store.delete(job.metadata.name);
    await store.delete(job.metadata.name);
    expect(await store.get(job.metadata.name)).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('hands out build ids that increase per job, shared across processes', async () => {
    const [one, two] = [open(), open()];
    const ids = await Promise.all([one.nextBuildId('x'), two.nextBuildId('x'), one.nextBuildId('x'), two.nextBuildId('y')]);
    expect(ids.slice(0, 3).map(Number).sort()).toEqual([1, 2, 3]);
    expect(ids[3]).toBe('1');
  });

  it('watches: first every existing job, then each change in order, filtered by labels', async () => {
    const store = open();
    const before = await store.create(periodic('before', { team: 'red' }));
    await store.create(periodic('other', { team: 'blue' }));
    const seen = recorder();
    const watch = await open().watch(seen.onChange, { labels: { team: 'red' } });
    const after = await store.create(periodic('after', { team: 'red' }));
    await store.create(periodic('ignored', { team: 'blue' }));
    await store.update(before.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'pending' } }));
    await store.delete(after.metadata.name);
    await seen.until((c) => c.length >= 4, 'four changes');
    expect(summary(seen.changes)).toEqual(['ADDED before triggered', 'ADDED after triggered', 'MODIFIED before pending', 'DELETED after triggered']);
    await watch.close();
  });

  it('after losing its connection, a watch lists again and reports what changed meanwhile', async () => {
    const store = open();
    const stays = await store.create(periodic('stays'));
    const goes = await store.create(periodic('goes'));
    const seen = recorder();
    await open().watch(seen.onChange);
    await seen.until((c) => c.length === 2, 'the initial list');

    // Kill the watch's connection and change things at once: some changes may land while it is away.
    const admin = new Redis(testRedisUrl);
    const clients = (await admin.client('LIST')) as string;
    const ids = clients.split('\n').filter((l) => l.includes(`name=${settings.prefix}:jobs:obj-watch`)).map((l) => /id=(\d+)/.exec(l)?.[1]);
    expect(ids.length).toBe(1);
    await admin.client('KILL', 'ID', ids[0] ?? '');
    admin.disconnect();
    await store.update(stays.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'success' } }));
    await store.delete(goes.metadata.name);
    await store.create(periodic('new'));

    await seen.until((c) => c.some((x) => x.type === 'DELETED') && c.some((x) => x.job.spec.job === 'new') && c.some((x) => x.job.status.state === 'success'), 'the changes made while away');
    const types = new Map(seen.changes.slice(2).map((c) => [c.job.metadata.name, c.type]));
    expect(types.get(stays.metadata.name)).toBe('MODIFIED');
    expect(types.get(goes.metadata.name)).toBe('DELETED');
    // No change is reported twice.
    const versions = seen.changes.filter((c) => c.type !== 'DELETED').map((c) => `${c.job.metadata.name}@${c.job.metadata.resourceVersion ?? ''}`);
    expect(new Set(versions).size).toBe(versions.length);
  });
});
