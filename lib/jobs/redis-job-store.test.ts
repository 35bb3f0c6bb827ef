import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPrefix, killClients, uniqueRedis } from '../../test/helpers/redis.ts';
import { prowJobSchemaErrors } from '../../test/helpers/prowjob-crd.ts';
import type { RedisSettings } from '../queue/redis.ts';
import { jobStoreContract, periodicJob } from './job-store.contract.ts';
import type { JobChange, JobStore } from './job-store.ts';
import { createRedisJobStore } from './redis-job-store.ts';

let settings: RedisSettings;
let stores: JobStore[];

function open(): JobStore {
  const store = createRedisJobStore(settings);
  stores.push(store);
  return store;
}

const periodic = periodicJob;

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

beforeEach(() => {
  settings = uniqueRedis('jobstore');
  stores = [];
});

afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await dropPrefix(settings);
});

jobStoreContract('Redis', () => open);

describe('the Redis JobStore', () => {
  it('writes ProwJobs that validate against Prow’s CRD, keeping empty arrays (no trip through Lua JSON)', async () => {
    const job = periodic('job-empty');
    job.spec.extra_refs = [];
    const stored = await open().create(job);
    expect(prowJobSchemaErrors(stored)).toEqual([]);
    expect((await open().get(stored.metadata.name))?.spec.extra_refs).toEqual([]);
  });

  it('hands out build ids that increase per job, shared across processes', async () => {
    const [one, two] = [open(), open()];
    const ids = await Promise.all([one.nextBuildId('x'), two.nextBuildId('x'), one.nextBuildId('x'), two.nextBuildId('y')]);
    expect(ids.slice(0, 3).map(Number).sort()).toEqual([1, 2, 3]);
    expect(ids[3]).toBe('1');
  });

  it('after losing its connection, a watch lists again and reports what changed meanwhile', async () => {
    const store = open();
    const stays = await store.create(periodic('stays'));
    const goes = await store.create(periodic('goes'));
    const seen = recorder();
    await open().watch(seen.onChange);
    await seen.until((c) => c.length === 2, 'the initial list');

    // Kill the watch's connection and change things at once: some changes may land while it is away.
    expect(await killClients(`${settings.prefix}:jobs:obj-watch`)).toBe(1);
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

  it('closes a watch promptly while its connection is being re-established', async () => {
    const store = open();
    await store.create(periodic('one'));
    const seen = recorder();
    const watch = await store.watch(seen.onChange);
    await seen.until((c) => c.length === 1, 'the initial list');
    // ioredis leaves a command issued while it waits to reconnect pending for good if the connection is
    // closed then; close must not wait on it (this hung plank's shutdown after an outage).
    expect(await killClients(`${settings.prefix}:jobs:obj-watch`)).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    const closed = await Promise.race([watch.close().then(() => 'closed'), new Promise((r) => setTimeout(r, 5_000, 'still waiting'))]);
    expect(closed).toBe('closed');
  });
});
