import { afterEach, describe, expect, it } from 'vitest';
import { isRanchError } from './ranch-errors.ts';
import { startBoskosWorld, type BoskosWorld } from '../testing/boskos-world.ts';
import { ranchInvariantProblems } from '../testing/ranch-invariants.ts';

let world: BoskosWorld | undefined;
let now = Date.parse('2026-03-01T10:00:00Z');
const clock = () => now;

afterEach(async () => {
  if (world) expect(await ranchInvariantProblems(world.settings)).toEqual([]);
  await world?.close();
  world = undefined;
});

async function ranchWith(yaml: string, extra: { requestTtlMs?: number } = {}) {
  world = await startBoskosWorld({ yaml, label: 'ranch', ranch: { clock, ...extra } });
  return world.ranch;
}

async function refusal(p: Promise<unknown>): Promise<{ kind: string; status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isRanchError(err)) return { kind: err.kind, status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

const projects = `resources:
- type: gce-project
  state: free
  names: [proj-a, proj-b, proj-c]
- type: gke-cluster
  state: dirty
  names: [cluster-1]
`;

describe('RedisRanch acquire', () => {
  it('gives the least recently updated free resource, moves it to dest and records the owner', async () => {
    const ranch = await ranchWith(projects);
    now += 1000;
    await ranch.update({ name: 'proj-a', owner: '', state: 'free' });
    now += 1000;
    const { resource } = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job-1' });
    expect(resource).toEqual({ type: 'gce-project', name: 'proj-b', state: 'busy', owner: 'job-1', lastUpdate: now, userData: {} });
    const next = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job-2' });
    expect(next.resource.name).toBe('proj-c');
    expect((await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job-3' })).resource.name).toBe('proj-a');
    expect(await refusal(ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job-4' }))).toEqual({
      kind: 'resource-not-found',
      status: 404,
      message: 'no available resource gce-project, try again later.',
    });
  });

  it('tells an unknown type from an exhausted one, as Boskos does (404 both, different words)', async () => {
    const ranch = await ranchWith(projects);
    expect(await refusal(ranch.acquire({ type: 'aws-account', state: 'free', dest: 'busy', owner: 'x' }))).toEqual({
      kind: 'type-not-found',
      status: 404,
      message: 'resource type "aws-account" does not exist',
    });
    expect((await refusal(ranch.acquire({ type: 'gke-cluster', state: 'free', dest: 'busy', owner: 'x' }))).kind).toBe('resource-not-found');
    // Polling for a type that does not exist leaves no line behind in Redis.
    await refusal(ranch.acquire({ type: 'aws-account', state: 'free', dest: 'busy', owner: 'x', requestId: 'r' }));
    expect(await world?.replicas[0]?.redis.keys(`${world.settings.prefix}:boskos:q*`)).toEqual([]);
  });

  it('serves request ids first come first served, and a request without id waits behind the queue', async () => {
    const ranch = await ranchWith(projects);
    for (const owner of ['j1', 'j2', 'j3']) await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner });
    expect((await refusal(ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'late', requestId: 'r1' }))).kind).toBe('resource-not-found');
    // One is free again, and r1 is first in line: r2 (rank 2) and a request without id (rank 2) are refused although one is free.
    await ranch.release({ name: 'proj-a', dest: 'free', owner: 'j1' });
    expect((await refusal(ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'second', requestId: 'r2' }))).kind).toBe('resource-not-found');
    expect((await refusal(ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'no-id' }))).kind).toBe('resource-not-found');
    const got = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'late', requestId: 'r1' });
    expect(got.resource.owner).toBe('late');
    expect(got.requestedAt).toBeLessThanOrEqual(now);
  });

  it('drops a request id that stopped polling for longer than the request TTL', async () => {
    const ranch = await ranchWith(projects, { requestTtlMs: 30_000 });
    for (const owner of ['j1', 'j2', 'j3']) await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner });
    await refusal(ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'gone', requestId: 'abandoned' }));
    await ranch.release({ name: 'proj-a', dest: 'free', owner: 'j1' });
    now += 30_000;
    expect((await refusal(ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'next', requestId: 'r2' }))).kind).toBe('resource-not-found');
    now += 1;
    expect((await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'next', requestId: 'r2' })).resource.name).toBe('proj-a');
  });

  it('answers a repeated request id with the resource it already gave (a retry after a lost answer)', async () => {
    const ranch = await ranchWith(projects);
    const first = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job', requestId: 'same' });
    const again = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job', requestId: 'same' });
    expect(again.resource.name).toBe(first.resource.name);
    expect((await ranch.metric('gce-project')).owner).toEqual({ '': 2, job: 1 });
    // Once released, the id asks for a new lease.
    await ranch.release({ name: first.resource.name, dest: 'dirty', owner: 'job' });
    expect((await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job', requestId: 'same' })).resource.name).not.toBe(first.resource.name);
  });

  it('acquires by state all or nothing (Boskos keeps the ones it grabbed before a miss)', async () => {
    const ranch = await ranchWith(projects);
    await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'other' });
    expect((await refusal(ranch.acquireByState({ state: 'free', dest: 'leased', owner: 'mason', names: ['proj-b', 'proj-a'] }))).message).toBe('no available resource free, try again later.');
    expect((await ranch.metric('gce-project')).current).toEqual({ busy: 1, free: 2 });
    const got = await ranch.acquireByState({ state: 'free', dest: 'leased', owner: 'mason', names: ['proj-b', 'proj-c', 'proj-b'] });
    expect(got.map((r) => [r.name, r.state, r.owner])).toEqual([
      ['proj-b', 'leased', 'mason'],
      ['proj-c', 'leased', 'mason'],
    ]);
  });
});

describe('RedisRanch release, update, reset, metric', () => {
  it('releases only for the owner (401 otherwise) and 404s an unknown name', async () => {
    const ranch = await ranchWith(projects);
    const { resource } = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job' });
    expect(await refusal(ranch.release({ name: resource.name, dest: 'free', owner: 'thief' }))).toEqual({
      kind: 'owner-mismatch',
      status: 401,
      message: 'owner mismatch request by thief, currently owned by job',
    });
    expect((await refusal(ranch.release({ name: 'nope', dest: 'free', owner: 'job' }))).status).toBe(404);
    await ranch.release({ name: resource.name, dest: 'dirty', owner: 'job' });
    // The same release again (its answer lost) is done; a different one is refused.
    await ranch.release({ name: resource.name, dest: 'dirty', owner: 'job' });
    expect((await refusal(ranch.release({ name: resource.name, dest: 'free', owner: 'job' }))).kind).toBe('owner-mismatch');
    expect((await ranch.metric('gce-project')).current).toEqual({ dirty: 1, free: 2 });
  });

  it('updates as the heartbeat: stamps lastupdate, merges userdata, deletes "" keys; checks owner then state', async () => {
    const ranch = await ranchWith(projects);
    const { resource } = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job' });
    now += 60_000;
    await ranch.update({ name: resource.name, owner: 'job', state: 'busy', userData: { zone: 'us-central1-b', cluster: 'c1' } });
    await ranch.update({ name: resource.name, owner: 'job', state: 'busy', userData: { cluster: '', ip: '10.0.0.1' } });
    const [stored] = (await ranch.resources('gce-project')).filter((r) => r.name === resource.name);
    expect(stored).toEqual({ ...resource, lastUpdate: now, userData: { zone: 'us-central1-b', ip: '10.0.0.1' } });
    expect(await refusal(ranch.update({ name: resource.name, owner: 'job', state: 'free' }))).toEqual({
      kind: 'state-mismatch',
      status: 409,
      message: 'state mismatch - expected busy, current free',
    });
    expect((await refusal(ranch.update({ name: resource.name, owner: 'other', state: 'free' }))).kind).toBe('owner-mismatch');
    expect((await refusal(ranch.update({ name: 'missing', owner: 'job', state: 'busy' }))).message).toBe('no available resource missing, try again later.');
  });

  it('resets owned resources not updated for expire, answering {name: previous owner}', async () => {
    const ranch = await ranchWith(projects);
    const a = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'old' });
    now += 10 * 60_000;
    const b = await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'new' });
    now += 20 * 60_000 - 1;
    expect(await ranch.reset({ type: 'gce-project', state: 'busy', expireMs: 30 * 60_000, dest: 'dirty' })).toEqual({});
    now += 1;
    expect(await ranch.reset({ type: 'gce-project', state: 'busy', expireMs: 30 * 60_000, dest: 'dirty' })).toEqual({ [a.resource.name]: 'old' });
    expect((await ranch.metric('gce-project')).owner).toEqual({ '': 2, new: 1 });
    expect(b.resource.owner).toBe('new');
  });

  it('counts by state and owner, with unowned under "", and 404s a type with no resources', async () => {
    const ranch = await ranchWith(projects);
    await ranch.acquire({ type: 'gce-project', state: 'free', dest: 'busy', owner: 'job' });
    expect(await ranch.metric('gce-project')).toEqual({ type: 'gce-project', current: { busy: 1, free: 2 }, owner: { '': 2, job: 1 } });
    expect(await ranch.types()).toEqual(['gce-project', 'gke-cluster']);
    expect((await refusal(ranch.metric('nothing'))).status).toBe(404);
  });

  it('keeps names with colons and percent signs apart in its keys', async () => {
    const ranch = await ranchWith('resources:\n- type: "a:b"\n  names: [res-x]\n- type: a\n  state: "b:free"\n  names: [res-y]\n');
    expect((await ranch.acquire({ type: 'a:b', state: 'free', dest: 'busy', owner: 'o' })).resource.name).toBe('res-x');
    expect((await refusal(ranch.acquire({ type: 'a', state: 'free', dest: 'busy', owner: 'o' }))).kind).toBe('resource-not-found');
    expect((await ranch.acquire({ type: 'a', state: 'b:free', dest: 'b%3Afree', owner: 'o' })).resource.state).toBe('b%3Afree');
  });
});
