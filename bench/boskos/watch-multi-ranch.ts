import { Redis } from 'ioredis';
import type { Acquired, AcquireRequest, Ranch, ReleaseRequest, UpdateRequest } from '../../services/boskos/ranch/ranch.ts';
import { RanchError } from '../../services/boskos/ranch/ranch-errors.ts';
import type { Metric, Resource } from '../../services/boskos/ranch/resource.ts';

/**
 * Boskos' own concurrency model over Redis: read the candidates oldest first, then write back under
 * optimistic concurrency (WATCH/MULTI/EXEC standing in for the CRD's resourceVersion), retrying on conflict.
 * WATCH belongs to a connection, so every transaction in flight needs one of its own: a pool.
 */
export class WatchMultiRanch implements Ranch {
  readonly #base: string;
  readonly #idle: Redis[] = [];
  readonly #waiting: ((r: Redis) => void)[] = [];
  readonly #all: Redis[] = [];
  conflicts = 0;

  constructor(url: string, prefix: string, poolSize = 32) {
    this.#base = `${prefix}:wm`;
    for (let i = 0; i < poolSize; i++) {
      const r = new Redis(url, { connectionName: `${prefix}-wm-${i}` });
      this.#all.push(r);
      this.#idle.push(r);
    }
  }

  #res(name: string): string {
    return `${this.#base}:res:${name}`;
  }

  #free(type: string, state: string): string {
    return `${this.#base}:free:${type}:${state}`;
  }

  async #with<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const r = this.#idle.pop() ?? (await new Promise<Redis>((resolve) => this.#waiting.push(resolve)));
    try {
      return await fn(r);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(r);
      else this.#idle.push(r);
    }
  }

  async setup(type: string, names: string[]): Promise<void> {
    const [r] = this.#all;
    if (r === undefined) throw new Error('no connection');
    const pipe = r.pipeline();
    const now = Date.now();
    for (const name of names) {
      pipe.hset(this.#res(name), 'type', type, 'state', 'free', 'owner', '', 'lastupdate', now);
      pipe.zadd(this.#free(type, 'free'), now, name);
    }
    await pipe.exec();
  }

  async acquire(req: AcquireRequest): Promise<Acquired> {
    for (;;) {
      const outcome = await this.#with(async (r) => {
        const [candidate] = await r.zrange(this.#free(req.type, req.state), '0', '0');
        if (candidate === undefined) return 'none' as const;
        await r.watch(this.#res(candidate));
        const h = await r.hgetall(this.#res(candidate));
        if (h.owner !== '' || h.state !== req.state) {
          await r.unwatch();
          return 'conflict' as const;
        }
        const now = Date.now();
        const done = await r
          .multi()
          .hset(this.#res(candidate), 'state', req.dest, 'owner', req.owner, 'lastupdate', now)
          .zrem(this.#free(req.type, req.state), candidate)
          .exec();
        if (done === null) return 'conflict' as const;
        const resource: Resource = { type: req.type, name: candidate, state: req.dest, owner: req.owner, lastUpdate: now, userData: {} };
        return resource;
      });
      if (outcome === 'none') throw RanchError.notFound(req.type);
      if (outcome === 'conflict') {
        this.conflicts++;
        continue;
      }
      return { resource: outcome, requestedAt: Date.now() };
    }
  }

  acquireByState(): Promise<Resource[]> {
    return Promise.reject(new RanchError('bad-request', 'not in this baseline'));
  }

  async #cas(name: string, check: (h: Record<string, string>) => RanchError | undefined, write: (m: ReturnType<Redis['multi']>, h: Record<string, string>, now: number) => void): Promise<void> {
    for (;;) {
      const done = await this.#with(async (r) => {
        await r.watch(this.#res(name));
        const h = await r.hgetall(this.#res(name));
        const refusal = h.type === undefined ? RanchError.notFound(name) : check(h);
        if (refusal) {
          await r.unwatch();
          throw refusal;
        }
        const m = r.multi();
        write(m, h, Date.now());
        return (await m.exec()) !== null;
      });
      if (done) return;
      this.conflicts++;
    }
  }

  release(req: ReleaseRequest): Promise<void> {
    return this.#cas(
      req.name,
      (h) => (h.owner === req.owner ? undefined : RanchError.ownerMismatch(req.owner, h.owner ?? '')),
      (m, h, now) => {
        m.hset(this.#res(req.name), 'state', req.dest, 'owner', '', 'lastupdate', now).zadd(this.#free(h.type ?? '', req.dest), now, req.name);
      },
    );
  }

  update(req: UpdateRequest): Promise<void> {
    return this.#cas(
      req.name,
      (h) => (h.owner !== req.owner ? RanchError.ownerMismatch(req.owner, h.owner ?? '') : h.state !== req.state ? RanchError.stateMismatch(h.state ?? '', req.state) : undefined),
      (m, _h, now) => {
        m.hset(this.#res(req.name), 'lastupdate', now);
      },
    );
  }

  reset(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }

  metric(type: string): Promise<Metric> {
    return Promise.resolve({ type, current: {}, owner: {} });
  }

  types(): Promise<string[]> {
    return Promise.resolve([]);
  }

  async ping(): Promise<void> {
    await this.#with((r) => r.ping());
  }

  close(): void {
    for (const r of this.#all) r.disconnect();
  }
}
