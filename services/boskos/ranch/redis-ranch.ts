import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { scripts, type LuaScript } from './lua-script.ts';
import type { AcquireByStateRequest, Acquired, AcquireRequest, Ranch, ReleaseRequest, ResetRequest, UpdateRequest } from './ranch.ts';
import { RanchError } from './ranch-errors.ts';
import { ranchBase, ranchKeys } from './redis-keys.ts';
import type { Metric, Resource } from './resource.ts';

export interface RedisRanchOptions {
  /** A connection from openRanchRedis. */
  redis: Redis;
  /** The process's key prefix; the ranch lives under `<prefix>:boskos`. */
  prefix: string;
  /** How long a request_id keeps its place in line without polling again; Boskos' --request-ttl, 30 s. */
  requestTtlMs?: number | undefined;
  /** Milliseconds now. Unset, the scripts read Redis' clock, so every replica shares one. */
  clock?: (() => number) | undefined;
  /** Names for new dynamic resources; random UUIDs, as Boskos' GenerateDynamicResourceName. */
  newName?: (() => string) | undefined;
}

/** A dynamic resource type as the ranch keeps it (Boskos' DRLC object). */
export interface Lifecycle {
  type: string;
  initialState: string;
  minCount: number;
  maxCount: number;
  lifespanMs?: number | undefined;
}

/** What one pass of the dynamic lifecycle did to a type. */
export interface LifecycleChanges {
  created: number;
  markedToBeDeleted: number;
  deleted: number;
}

function toRanchError(reply: unknown[]): RanchError {
  const [, kind, a = '', b = ''] = reply.map(String);
  switch (kind) {
    case 'resource-not-found':
      return RanchError.notFound(a);
    case 'type-not-found':
      return RanchError.typeNotFound(a);
    case 'owner-mismatch':
      return RanchError.ownerMismatch(a, b);
    case 'state-mismatch':
      return RanchError.stateMismatch(a, b);
    default:
      return new RanchError('bad-request', `the ranch refused: ${kind ?? 'unknown'} ${a}`.trim());
  }
}

function pairs(flat: unknown): Record<string, string> {
  const list = Array.isArray(flat) ? flat.map(String) : [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i] ?? ''] = list[i + 1] ?? '';
  return out;
}

function counts(flat: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(pairs(flat)).map(([k, v]) => [k, Number(v)]));
}

/** Reads lua/prelude.lua's `reply(name)`. */
function resourceOf(raw: unknown): Resource {
  const [name, type, state, owner, lastUpdate, expiration, userData] = Array.isArray(raw) ? (raw as unknown[]) : [];
  const r: Resource = { name: String(name), type: String(type), state: String(state), owner: String(owner), lastUpdate: Number(lastUpdate), userData: pairs(userData) };
  if (expiration !== '' && expiration !== undefined) r.expirationDate = Number(expiration);
  return r;
}

function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError';
}

/**
 * The ranch in Redis. Every transition is one Lua script, so any number of replicas serve the same resources
 * and request queues: a resource moves between the free and held indexes of its (type, state) and its counts
 * in the same step, and nothing reads then writes across round trips.
 */
export class RedisRanch implements Ranch {
  readonly #redis: Redis;
  readonly #base: string;
  readonly #ttl: number;
  readonly #clock: (() => number) | undefined;
  readonly #newName: () => string;

  constructor(opts: RedisRanchOptions) {
    this.#redis = opts.redis;
    this.#base = ranchBase(opts.prefix);
    this.#ttl = opts.requestTtlMs ?? 30_000;
    this.#clock = opts.clock;
    this.#newName = opts.newName ?? randomUUID;
  }

  async #run(script: LuaScript, args: (string | number)[]): Promise<unknown[]> {
    let reply: unknown;
    try {
      reply = await script.run(this.#redis, [this.#base, this.#clock === undefined ? '' : Math.floor(this.#clock()), ...args]);
    } catch (err) {
      if (isReplyError(err)) throw err;
      throw new RanchError('store-unavailable', `the ranch's Redis did not answer (${err instanceof Error ? err.message : String(err)}); retry shortly`);
    }
    const list = reply as unknown[];
    if (list[0] === 0) throw toRanchError(list);
    return list;
  }

  async acquire(req: AcquireRequest): Promise<Acquired> {
    const id = req.requestId ?? '';
    const [, raw, requestedAt] = await this.#run(scripts.acquire, [req.type, req.state, req.dest, req.owner, id, this.#ttl, id === '' ? '' : this.#newName()]);
    return { resource: resourceOf(raw), requestedAt: Number(requestedAt) };
  }

  async acquireByState(req: AcquireByStateRequest): Promise<Resource[]> {
    const names = [...new Set(req.names)];
    const [, ...raw] = await this.#run(scripts.acquireByState, [req.state, req.dest, req.owner, ...names]);
    return raw.map(resourceOf);
  }

  async release(req: ReleaseRequest): Promise<void> {
    await this.#run(scripts.release, [req.name, req.dest, req.owner]);
  }

  async update(req: UpdateRequest): Promise<void> {
    const patch = Object.entries(req.userData ?? {}).flat();
    await this.#run(scripts.update, [req.name, req.owner, req.state, ...patch]);
  }

  async reset(req: ResetRequest): Promise<Record<string, string>> {
    const [, ...flat] = await this.#run(scripts.reset, [req.type, req.state, Math.max(0, Math.floor(req.expireMs)), req.dest]);
    return pairs(flat);
  }

  async metric(type: string): Promise<Metric> {
    const [, current, owner] = await this.#run(scripts.metric, [type]);
    return { type, current: counts(current), owner: counts(owner) };
  }

  async types(): Promise<string[]> {
    return (await this.#redis.smembers(ranchKeys.types(this.#base))).sort();
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  /** Every resource of `type`, sorted by name; one read per resource, so for sync and inspection, not hot paths. */
  async resources(type: string): Promise<Resource[]> {
    const names = await this.#redis.smembers(ranchKeys.names(this.#base, type));
    const pipe = this.#redis.pipeline();
    for (const name of names) pipe.hgetall(ranchKeys.resource(this.#base, name)).hgetall(ranchKeys.userData(this.#base, name));
    const replies = (await pipe.exec()) ?? [];
    const out: Resource[] = [];
    names.forEach((name, i) => {
      const h = replies[2 * i]?.[1] as Record<string, string> | undefined;
      const ud = replies[2 * i + 1]?.[1] as Record<string, string> | undefined;
      if (h?.type === undefined) return;
      out.push({
        name,
        type: h.type,
        state: h.state ?? '',
        owner: h.owner ?? '',
        lastUpdate: Number(h.lastupdate),
        userData: ud ?? {},
        ...(h.expiration === undefined ? {} : { expirationDate: Number(h.expiration) }),
      });
    });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Adds a static or dynamic resource unless it exists; a removed one the config lists again is kept. */
  async add(name: string, type: string, state: string, dynamic = false): Promise<'created' | 'exists' | 'kept'> {
    const [, outcome, existingType] = await this.#run(scripts.add, [name, type, state, dynamic ? '1' : '']);
    if (outcome === 'conflict') {
      throw new RanchError('bad-request', `resource ${name} already exists with type ${String(existingType)}, not ${type}; names are unique across types`);
    }
    return outcome as 'created' | 'exists' | 'kept';
  }

  /** A static resource the config dropped: deleted if unowned, else when its holder releases it (or is reset). */
  async remove(name: string): Promise<'deleted' | 'deferred' | 'gone'> {
    const [, outcome] = await this.#run(scripts.remove, [name]);
    return outcome as 'deleted' | 'deferred' | 'gone';
  }

  /** Writes a dynamic type's lifecycle (min/max 0 drains a type the config no longer has). */
  async setLifecycle(l: Lifecycle): Promise<void> {
    await this.#run(scripts.setDrlc, [l.type, l.initialState, l.minCount, l.maxCount, l.lifespanMs === undefined ? '' : Math.floor(l.lifespanMs)]);
  }

  /** The lifecycles the ranch holds, by type. */
  async lifecycles(): Promise<Map<string, Lifecycle>> {
    const types = await this.#redis.smembers(ranchKeys.drlcs(this.#base));
    const out = new Map<string, Lifecycle>();
    for (const type of types) {
      const h = await this.#redis.hgetall(ranchKeys.drlc(this.#base, type));
      if (h.min === undefined) continue;
      out.set(type, {
        type,
        initialState: h.state ?? '',
        minCount: Number(h.min),
        maxCount: Number(h.max),
        ...(h.lifespan === undefined || h.lifespan === '' ? {} : { lifespanMs: Number(h.lifespan) }),
      });
    }
    return out;
  }

  /** One pass of Boskos' dynamic lifecycle over `type`, atomically. */
  async updateDynamic(type: string, wanted: number): Promise<LifecycleChanges> {
    const fresh = Array.from({ length: Math.max(0, wanted) }, () => this.#newName());
    const [, created, marked, deleted] = await this.#run(scripts.dynamic, [type, ...fresh]);
    return { created: Number(created), markedToBeDeleted: Number(marked), deleted: Number(deleted) };
  }

  /** Boskos' cleaner for one resource: its leased resources go back dirty and it becomes a tombstone. */
  async clean(name: string, leased: string[]): Promise<boolean> {
    const [, released] = await this.#run(scripts.clean, [name, ...leased]);
    return Number(released) >= 0;
  }
}
