/** Counters of one rate-limit resource (`core`, `search`, `graphql`) of a token. */
export interface ResourceUsage {
  requests: number;
  notModified: number;
  cost: number;
}

/** Counters of one token (or one anonymous client) in the current window. */
export interface Usage {
  /** Requests answered, including 304s. */
  requests: number;
  /** Conditional GETs answered 304: free on GitHub. */
  notModified: number;
  /** Requests that counted against the budget. */
  cost: number;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  /** The same counters per rate-limit resource, since the token was first seen (one budget covers them all here). */
  resources: Record<string, ResourceUsage>;
}

interface Bucket {
  requests: number;
  notModified: number;
  used: number;
  windowStart: number;
  limit: number;
  resources: Record<string, ResourceUsage>;
}

const hourMs = 3600_000;

/**
 * GitHub's primary rate limit: a budget per token per hour (60 for anonymous callers), spent by every
 * request except a 304. Keys are token strings or `anon:<ip>`; they never leave the process.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly overrides = new Map<string, number>();

  private defaultLimit: number;
  private readonly now: () => number;

  constructor(defaultLimit: number, now: () => number = Date.now) {
    this.defaultLimit = defaultLimit;
    this.now = now;
  }

  /** Sets the budget of one key, or the default for all keys without one. */
  setLimit(limit: number, key?: string): void {
    if (key === undefined) {
      this.defaultLimit = limit;
      for (const [k, b] of this.buckets) if (!this.overrides.has(k) && !k.startsWith('anon:')) b.limit = limit;
    } else {
      this.overrides.set(key, limit);
      const b = this.buckets.get(key);
      if (b) b.limit = limit;
    }
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    const t = this.now();
    if (!b || t - b.windowStart >= hourMs) {
      const limit = this.overrides.get(key) ?? (key.startsWith('anon:') ? 60 : this.defaultLimit);
      b = { requests: b?.requests ?? 0, notModified: b?.notModified ?? 0, used: 0, windowStart: t, limit, resources: b?.resources ?? {} };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** True when the key has no budget left. */
  exhausted(key: string): boolean {
    const b = this.bucket(key);
    return b.used >= b.limit;
  }

  /** Records one answered request against `resource`; a 304 is counted but costs nothing. */
  record(key: string, notModified: boolean, resource = 'core'): void {
    const b = this.bucket(key);
    const r = (b.resources[resource] ??= { requests: 0, notModified: 0, cost: 0 });
    b.requests += 1;
    r.requests += 1;
    if (notModified) {
      b.notModified += 1;
      r.notModified += 1;
    } else {
      b.used += 1;
      r.cost += 1;
    }
  }

  usage(key: string): Usage {
    const b = this.bucket(key);
    return {
      requests: b.requests,
      notModified: b.notModified,
      cost: b.used,
      limit: b.limit,
      remaining: Math.max(0, b.limit - b.used),
      reset: Math.ceil((b.windowStart + hourMs) / 1000),
      resources: Object.fromEntries(Object.entries(b.resources).map(([name, r]) => [name, { ...r }])),
    };
  }

  /** Usage of every key seen so far. */
  all(): Map<string, Usage> {
    return new Map([...this.buckets.keys()].map((k) => [k, this.usage(k)]));
  }

  /** The `x-ratelimit-*` headers for a key. */
  headers(key: string, resource: string): Record<string, string> {
    const u = this.usage(key);
    return {
      'x-ratelimit-limit': String(u.limit),
      'x-ratelimit-remaining': String(u.remaining),
      'x-ratelimit-reset': String(u.reset),
      'x-ratelimit-used': String(u.cost),
      'x-ratelimit-resource': resource,
    };
  }
}
