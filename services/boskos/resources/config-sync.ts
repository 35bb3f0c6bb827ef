import { parse } from 'yaml';
import type { Logger } from '../../../lib/log.ts';
import type { LifecycleChanges, RedisRanch } from '../ranch/redis-ranch.ts';
import type { ResourcesConfig } from './resources-config.ts';
import { states } from '../ranch/states.ts';

/** What one sync changed. */
export interface SyncResult {
  created: string[];
  /** Static resources deleted because the file no longer lists them. */
  deleted: string[];
  /** Static resources the file no longer lists that someone holds: they leave when released. */
  deferred: string[];
  /** Dynamic resources the cleaner turned into tombstones. */
  cleaned: string[];
  lifecycles: Record<string, LifecycleChanges>;
}

/** Mason's userdata key naming the resources a dynamic resource was built from. */
export const leasedResourcesKey = 'leasedResources';

function leasedNames(raw: string | undefined, log: Logger, name: string): string[] {
  if (raw === undefined || raw === '') return [];
  try {
    const value: unknown = parse(raw);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // Reported below, like any other shape that is not a list of names.
  }
  log.warn({ resource: name, [leasedResourcesKey]: raw.slice(0, 200) }, 'boskos cleaner: leasedResources is not a list of names; nothing to give back');
  return [];
}

function add(into: Record<string, LifecycleChanges>, type: string, c: LifecycleChanges): void {
  const prev = into[type] ?? { created: 0, markedToBeDeleted: 0, deleted: 0 };
  into[type] = { created: prev.created + c.created, markedToBeDeleted: prev.markedToBeDeleted + c.markedToBeDeleted, deleted: prev.deleted + c.deleted };
}

/**
 * Brings the ranch in line with the resources file, as Boskos' SyncResources, UpdateAllDynamicResources and
 * cleaner do: new static names are added in the entry's state; names the file dropped are deleted, or left to
 * their holder and deleted at release; dynamic types get their lifecycle (a type the file dropped drains to
 * zero), expired and surplus resources go toBeDeleted, the cleaner gives back what they leased and makes them
 * tombstones, and each type is filled up to min-count. Every step is atomic on its own, so replicas may sync
 * at the same time. Without a file only the dynamic part runs, over the lifecycles already in Redis.
 */
export async function syncResources(ranch: RedisRanch, config: ResourcesConfig | undefined, log: Logger): Promise<SyncResult> {
  const result: SyncResult = { created: [], deleted: [], deferred: [], cleaned: [], lifecycles: {} };
  const existing = await ranch.lifecycles();
  if (config !== undefined) {
    const wanted = new Set(config.dynamic.map((d) => d.type));
    for (const d of config.dynamic) {
      await ranch.setLifecycle({ type: d.type, initialState: d.state, minCount: d.minCount, maxCount: d.maxCount, lifespanMs: d.lifespanMs });
    }
    for (const [type, l] of existing) {
      if (!wanted.has(type) && (l.minCount !== 0 || l.maxCount !== 0)) await ranch.setLifecycle({ ...l, minCount: 0, maxCount: 0 });
    }
    const dynamicTypes = new Set([...wanted, ...existing.keys()]);
    const listed = new Map<string, { type: string; state: string }>();
    for (const s of config.static) for (const name of s.names) listed.set(name, { type: s.type, state: s.state });
    const types = new Set([...(await ranch.types()), ...config.static.map((s) => s.type)]);
    for (const type of types) {
      for (const r of await ranch.resources(type)) {
        if (listed.has(r.name) || dynamicTypes.has(type)) continue;
        const outcome = await ranch.remove(r.name);
        if (outcome === 'deleted') result.deleted.push(r.name);
        if (outcome === 'deferred') result.deferred.push(r.name);
      }
    }
    for (const [name, { type, state }] of listed) {
      try {
        const outcome = await ranch.add(name, type, state);
        if (outcome === 'created') result.created.push(name);
      } catch (err) {
        log.error({ resource: name, type, err: err instanceof Error ? err.message : String(err) }, 'boskos sync: cannot add resource');
      }
    }
  }
  const lifecycles = await ranch.lifecycles();
  for (const [type, l] of lifecycles) {
    add(result.lifecycles, type, await ranch.updateDynamic(type, l.minCount));
    for (const r of await ranch.resources(type)) {
      if (r.owner !== '' || r.state !== states.toBeDeleted) continue;
      if (await ranch.clean(r.name, leasedNames(r.userData[leasedResourcesKey], log, r.name))) result.cleaned.push(r.name);
    }
    if (result.cleaned.length > 0) add(result.lifecycles, type, await ranch.updateDynamic(type, l.minCount));
  }
  const dynamicChanges = Object.values(result.lifecycles).reduce((n, c) => n + c.created + c.markedToBeDeleted + c.deleted, 0);
  if (result.created.length + result.deleted.length + result.deferred.length + result.cleaned.length + dynamicChanges > 0) {
    log.info(
      { created: result.created.length, deleted: result.deleted, deferred: result.deferred, cleaned: result.cleaned, lifecycles: result.lifecycles },
      'boskos: resources synced with the resources file',
    );
  }
  return result;
}
