import { afterEach, describe, expect, it } from 'vitest';
import { syncResources } from './config-sync.ts';
import { resourcesConfig, startBoskosWorld, type BoskosWorld } from '../testing/boskos-world.ts';
import { ranchInvariantProblems } from '../testing/ranch-invariants.ts';

let world: BoskosWorld | undefined;
let now = Date.parse('2026-03-01T10:00:00Z');
let seq = 0;

afterEach(async () => {
  if (world) expect(await ranchInvariantProblems(world.settings)).toEqual([]);
  await world?.close();
  world = undefined;
});

async function start(yaml: string): Promise<BoskosWorld> {
  seq = 0;
  world = await startBoskosWorld({ yaml, label: 'boskos-sync', ranch: { clock: () => now, newName: () => `dyn-${String(++seq).padStart(3, '0')}` } });
  return world;
}

const view = async (w: BoskosWorld, type: string) => (await w.ranch.resources(type)).map((r) => `${r.name}:${r.state}:${r.owner}`);

describe('syncing the resources file', () => {
  it('adds new static names in their state, deletes dropped free ones, and lets a held one leave at release', async () => {
    const w = await start('resources:\n- type: proj\n  state: dirty\n  names: [p-1, p-2, p-3]\n');
    expect(await view(w, 'proj')).toEqual(['p-1:dirty:', 'p-2:dirty:', 'p-3:dirty:']);
    await w.ranch.acquire({ type: 'proj', state: 'dirty', dest: 'busy', owner: 'job' });
    const result = await w.sync('resources:\n- type: proj\n  names: [p-3, p-4]\n');
    expect(result).toMatchObject({ created: ['p-4'], deleted: ['p-2'], deferred: ['p-1'] });
    expect(await view(w, 'proj')).toEqual(['p-1:busy:job', 'p-3:dirty:', 'p-4:free:']);
    // The holder keeps working with it; when it lets go, the resource leaves instead of going dirty.
    await w.ranch.update({ name: 'p-1', owner: 'job', state: 'busy' });
    await w.ranch.release({ name: 'p-1', dest: 'dirty', owner: 'job' });
    expect(await view(w, 'proj')).toEqual(['p-3:dirty:', 'p-4:free:']);
  });

  it('also lets a dropped resource leave when the reaper takes it from a dead holder, and keeps it if the file lists it again', async () => {
    const w = await start('resources:\n- type: proj\n  names: [p-1, p-2]\n');
    await w.ranch.acquire({ type: 'proj', state: 'free', dest: 'busy', owner: 'dead' });
    await w.ranch.acquire({ type: 'proj', state: 'free', dest: 'busy', owner: 'alive' });
    await w.sync('resources:\n- type: other\n  names: [o-1]\n');
    await w.sync('resources:\n- type: proj\n  names: [p-2]\n- type: other\n  names: [o-1]\n');
    now += 31 * 60_000;
    expect(await w.ranch.reset({ type: 'proj', state: 'busy', expireMs: 30 * 60_000, dest: 'dirty' })).toEqual({ 'p-1': 'dead', 'p-2': 'alive' });
    expect(await view(w, 'proj')).toEqual(['p-2:dirty:']);
  });

  it('keeps dynamic types between min-count and max-count, creating on a new request and expiring after lifespan', async () => {
    const w = await start('resources:\n- type: cluster\n  state: dirty\n  min-count: 1\n  max-count: 2\n  lifespan: 1h\n');
    expect(await view(w, 'cluster')).toEqual(['dyn-001:dirty:']);
    const client = { type: 'cluster', state: 'dirty', dest: 'busy' };
    await w.ranch.acquire({ ...client, owner: 'a' });
    // Nothing left: a new request id makes Boskos create one (up to max-count) for the next poll.
    await expect(w.ranch.acquire({ ...client, owner: 'b', requestId: 'r-b' })).rejects.toMatchObject({ kind: 'resource-not-found' });
    const second = await w.ranch.acquire({ ...client, owner: 'b', requestId: 'r-b' });
    // Names are fresh UUIDs in Boskos; here a counter that every request id draws from.
    expect(second.resource.name).toBe('dyn-002');
    await expect(w.ranch.acquire({ ...client, owner: 'c', requestId: 'r-c' })).rejects.toMatchObject({ kind: 'resource-not-found' });
    expect(await view(w, 'cluster')).toEqual(['dyn-001:busy:a', 'dyn-002:busy:b']);

    // The lifespan clock starts at release.
    await w.ranch.release({ name: 'dyn-001', dest: 'free', owner: 'a' });
    const [released] = await w.ranch.resources('cluster');
    expect(released?.expirationDate).toBe(now + 3_600_000);
    now += 3_600_000;
    await syncResources(w.ranch, resourcesConfig('resources:\n- type: cluster\n  state: dirty\n  min-count: 1\n  max-count: 2\n  lifespan: 1h\n'), w.logs.logger);
    expect(await view(w, 'cluster')).toEqual(['dyn-001:free:', 'dyn-002:busy:b']);
    now += 1;
    const result = await syncResources(w.ranch, resourcesConfig('resources:\n- type: cluster\n  state: dirty\n  min-count: 1\n  max-count: 2\n  lifespan: 1h\n'), w.logs.logger);
    // Expired: marked toBeDeleted, cleaned to a tombstone, deleted; dyn-002 (held) keeps the type at min-count.
    expect(result.cleaned).toEqual(['dyn-001']);
    expect(await view(w, 'cluster')).toEqual(['dyn-002:busy:b']);
  });

  it('marks the unowned surplus toBeDeleted when max-count drops, and drains a type the file removed', async () => {
    const w = await start('resources:\n- type: vm\n  min-count: 3\n  max-count: 3\n');
    expect(await view(w, 'vm')).toEqual(['dyn-001:free:', 'dyn-002:free:', 'dyn-003:free:']);
    await w.ranch.acquire({ type: 'vm', state: 'free', dest: 'busy', owner: 'job' });
    await w.sync('resources:\n- type: vm\n  min-count: 0\n  max-count: 1\n');
    expect(await view(w, 'vm')).toEqual(['dyn-001:busy:job']);
    await w.sync('resources:\n- type: other\n  names: [o-1]\n');
    expect(await view(w, 'vm')).toEqual(['dyn-001:busy:job']);
    await w.ranch.release({ name: 'dyn-001', dest: 'dirty', owner: 'job' });
    await w.sync('resources:\n- type: other\n  names: [o-1]\n');
    expect(await view(w, 'vm')).toEqual([]);
    expect(await w.ranch.lifecycles()).toEqual(new Map());
    expect(await w.ranch.types()).toEqual(['other']);
  });

  it('keeps a resource whose name the file moves to another type, and says why', async () => {
    const w = await start('resources:\n- type: a\n  names: [x-1]\n');
    await w.sync('resources:\n- type: b\n  names: [x-1]\n');
    expect(await view(w, 'a')).toEqual(['x-1:free:']);
    const line = w.logs.lines.find((l) => l.msg === 'boskos sync: cannot add resource');
    expect(line?.err).toBe('resource x-1 already exists with type a, not b; names are unique across types');
  });

  it("gives back a cleaned dynamic resource's leasedResources as dirty", async () => {
    const w = await start('resources:\n- type: project\n  names: [p-1, p-2]\n- type: cluster\n  max-count: 1\n  needs: {project: 1}\n');
    const [p1] = await w.ranch.acquireByState({ state: 'free', dest: 'leased', owner: 'mason', names: ['p-1'] });
    expect(p1?.state).toBe('leased');
    await expect(w.ranch.acquire({ type: 'cluster', state: 'free', dest: 'busy', owner: 'job', requestId: 'x' })).rejects.toMatchObject({ kind: 'type-not-found' });
    const cluster = await w.ranch.acquire({ type: 'cluster', state: 'free', dest: 'busy', owner: 'job', requestId: 'x' });
    await w.ranch.update({ name: cluster.resource.name, owner: 'job', state: 'busy', userData: { leasedResources: '- p-1\n' } });
    await w.ranch.release({ name: cluster.resource.name, dest: 'toBeDeleted', owner: 'job' });
    const result = await w.sync('resources:\n- type: project\n  names: [p-1, p-2]\n- type: cluster\n  max-count: 1\n  needs: {project: 1}\n');
    expect(result.cleaned).toEqual([cluster.resource.name]);
    expect(await view(w, 'project')).toEqual(['p-1:dirty:', 'p-2:free:']);
    expect(await view(w, 'cluster')).toEqual([]);
  });
});
