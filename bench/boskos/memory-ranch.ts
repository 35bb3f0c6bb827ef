import type { Acquired, AcquireRequest, Ranch, ReleaseRequest, UpdateRequest } from '../../services/boskos/ranch/ranch.ts';
import { RanchError } from '../../services/boskos/ranch/ranch-errors.ts';
import type { Metric, Resource } from '../../services/boskos/ranch/resource.ts';

/**
 * The ceiling: resources in this process's memory, free ones in insertion order (released ones go to the
 * back, which is LRU). No durability, one replica, no request queue: what HTTP alone costs.
 */
export class MemoryRanch implements Ranch {
  readonly #all = new Map<string, Resource>();
  readonly #free = new Map<string, Set<string>>();

  constructor(type: string, names: string[]) {
    const free = new Set<string>();
    for (const name of names) {
      this.#all.set(name, { type, name, state: 'free', owner: '', lastUpdate: Date.now(), userData: {} });
      free.add(name);
    }
    this.#free.set(`${type}\n free`, free);
  }

  #key(type: string, state: string): string {
    return `${type}\n ${state}`;
  }

  acquire(req: AcquireRequest): Promise<Acquired> {
    const free = this.#free.get(this.#key(req.type, req.state));
    const name = free?.values().next().value;
    if (name === undefined) return Promise.reject(RanchError.notFound(req.type));
    free?.delete(name);
    const r = this.#all.get(name);
    if (r === undefined) return Promise.reject(RanchError.notFound(req.type));
    Object.assign(r, { state: req.dest, owner: req.owner, lastUpdate: Date.now() });
    return Promise.resolve({ resource: { ...r, userData: { ...r.userData } }, requestedAt: Date.now() });
  }

  acquireByState(): Promise<Resource[]> {
    return Promise.reject(new RanchError('bad-request', 'not in this baseline'));
  }

  release(req: ReleaseRequest): Promise<void> {
    const r = this.#all.get(req.name);
    if (r === undefined) return Promise.reject(RanchError.notFound(req.name));
    if (r.owner !== req.owner) return Promise.reject(RanchError.ownerMismatch(req.owner, r.owner));
    Object.assign(r, { state: req.dest, owner: '', lastUpdate: Date.now() });
    const key = this.#key(r.type, req.dest);
    let free = this.#free.get(key);
    if (free === undefined) this.#free.set(key, (free = new Set()));
    free.add(r.name);
    return Promise.resolve();
  }

  update(req: UpdateRequest): Promise<void> {
    const r = this.#all.get(req.name);
    if (r === undefined) return Promise.reject(RanchError.notFound(req.name));
    if (r.owner !== req.owner) return Promise.reject(RanchError.ownerMismatch(req.owner, r.owner));
    if (r.state !== req.state) return Promise.reject(RanchError.stateMismatch(r.state, req.state));
    for (const [k, v] of Object.entries(req.userData ?? {})) {
      if (v === '') Reflect.deleteProperty(r.userData, k);
      else r.userData[k] = v;
    }
    r.lastUpdate = Date.now();
    return Promise.resolve();
  }

  reset(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }

  metric(type: string): Promise<Metric> {
    const m: Metric = { type, current: {}, owner: {} };
    for (const r of this.#all.values()) {
      m.current[r.state] = (m.current[r.state] ?? 0) + 1;
      m.owner[r.owner] = (m.owner[r.owner] ?? 0) + 1;
    }
    return Promise.resolve(m);
  }

  types(): Promise<string[]> {
    return Promise.resolve([...new Set([...this.#all.values()].map((r) => r.type))]);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }
}
