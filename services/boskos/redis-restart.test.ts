import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransient, type BoskosClient } from './client.ts';
import type { Resource } from './ranch/resource.ts';
import { startBoskosWorld, type BoskosWorld } from './testing/boskos-world.ts';
import { startDurableRedis, type DurableRedis } from './testing/durable-redis.ts';
import { runLeaseLoad } from './testing/lease-load.ts';
import { ranchInvariantProblems } from './testing/ranch-invariants.ts';

let redis: DurableRedis;
let world: BoskosWorld;
const resources = 20;

beforeAll(async () => {
  redis = await startDurableRedis();
  const names = Array.from({ length: resources }, (_, i) => `res-${i}`);
  world = await startBoskosWorld({ settings: { url: redis.url, prefix: `prowtest-boskos-aof-${randomUUID().slice(0, 8)}` }, yaml: `resources:\n- type: vm\n  names: [${names.join(', ')}]\n` });
  await world.addReplica();
});
afterAll(async () => {
  await world.close();
  await redis.stop();
});

/** What a careful job does: try again on no answer or a 5xx, with the same request id for acquire. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || i > 500) throw err;
      await sleep(20);
    }
  }
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
}

describe('Redis restarting under load (AOF, fsync always)', () => {
  it('loses no lease and duplicates none', async () => {
    // Five jobs hold leases across the crash; thirty more churn through acquire, heartbeat, release meanwhile.
    const holders: { client: BoskosClient; lease: Resource }[] = [];
    for (let i = 0; i < 5; i++) {
      const client = world.client(`long-job-${i}`, i % 2);
      holders.push({ client, lease: await retrying(() => client.acquire('vm', 'free', 'busy', randomUUID())) });
    }
    const load = runLeaseLoad({ urls: world.replicas.map((r) => r.url), clients: 30, durationMs: 6_000, type: 'vm', heartbeats: 2, requestIds: true, retryTransient: true });

    await sleep(1_500);
    await redis.crash();
    // While Redis is away, Boskos says so (503 on /healthz and on the API) instead of hanging.
    expect(await healthy(world.url)).toBe(false);
    await redis.start();
    for (let i = 0; !(await healthy(world.replicas[0]?.url ?? '')) || !(await healthy(world.replicas[1]?.url ?? '')); i++) {
      if (i > 200) throw new Error('the replicas did not reconnect');
      await sleep(50);
    }

    // Every lease granted before the crash is still its holder's: heartbeats work, and Boskos says so.
    for (const { client, lease } of holders) {
      await retrying(() => client.update(lease.name, 'busy', { after: 'restart' }));
    }
    const stored = await world.ranch.resources('vm');
    for (const { client, lease } of holders) expect(stored.find((r) => r.name === lease.name)).toMatchObject({ owner: client.owner, state: 'busy', userData: { after: 'restart' } });

    const result = await load;
    expect(result.transientRetries).toBeGreaterThan(0);
    expect(result.doubleLeases).toEqual([]);
    expect(result.wrong).toEqual([]);
    expect(result.released).toBe(result.acquired);
    for (const { client, lease } of holders) await retrying(() => client.release(lease.name, 'free'));
    // Nothing leaked: every answer the clients lost was retried into the same outcome.
    expect(await world.ranch.metric('vm')).toEqual({ type: 'vm', current: { free: resources }, owner: { '': resources } });
    expect(await ranchInvariantProblems(world.settings)).toEqual([]);
  }, 60_000);
});
