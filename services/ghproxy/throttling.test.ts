import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { buildGhproxyApp } from './app.ts';
import { MemoryStore } from './cache/memory-store.ts';
import { startGatedUpstream, type GatedUpstream } from './testing/gated-upstream.ts';
import { startGhproxyWorld, type GhproxyWorld } from './testing/ghproxy-world.ts';
import { BudgetBlockedError, nextSlot, Throttle } from './upstream/throttle.ts';
import { until } from '../../test/helpers/until.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => { r(); }));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('secondary rate limits', () => {
  let w: GhproxyWorld;
  beforeAll(async () => {
    w = await startGhproxyWorld({ retryAfterUnitMs: 5 });
  });
  afterAll(async () => {
    await w.close();
  });

  it('waits out a secondary rate limit and answers as if nothing had happened', async () => {
    await w.emu.control.faults({ count: 2, secondaryRateLimit: true, retryAfter: 3, method: 'GET', pathPrefix: '/repos/acme/widgets/issues' });
    const res = await w.as('alice').issues.listForRepo({ owner: 'acme', repo: 'widgets' });
    expect(res.status).toBe(200);
    expect(res.headers['x-cache-mode']).toBe('MISS');
    expect(w.emu.app.emu.faults.pending()).toBe(0);
    expect(await w.metrics()).toMatch(/prow_ghproxy_secondary_rate_limits_total\{token_hash="[0-9a-f]{12}"\} 2/);
    const warnings = w.logs.lines.filter((l) => l.level === 40 && String(l.msg).includes('secondary rate limit'));
    expect(warnings.map((l) => l.retry)).toEqual([true, true]);
  });

  it('waits out a secondary rate limit on a write too, sending its body again', async () => {
    await w.emu.control.faults({ count: 1, secondaryRateLimit: true, retryAfter: 1, method: 'POST', pathPrefix: '/repos/acme/widgets/issues' });
    const res = await w.as('alice').issues.create({ owner: 'acme', repo: 'widgets', title: 'after the limit', body: 'kept whole' });
    expect(res.status).toBe(201);
    expect(res.data.body).toBe('kept whole');
  });

  it('passes a limit it cannot wait out to the caller, and holds that token\'s requests meanwhile', async () => {
    const short = await startGhproxyWorld({ retryAfterUnitMs: 1000, settings: { requestTimeoutMs: 2_000 } });
    try {
      await short.emu.control.faults({ count: 1, secondaryRateLimit: true, retryAfter: 60, method: 'GET', pathPrefix: '/repos/acme/widgets' });
      const limited = await short.fetch('/repos/acme/widgets', { as: 'alice' });
      expect(limited.status).toBe(403);
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
      const sent = (await short.usage('alice')).requests;
      const held = await short.fetch('/repos/acme/widgets/labels', { as: 'alice' });
      expect(held.status).toBe(403);
      expect(held.headers.get('x-cache-mode')).toBe('ERROR');
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(50);
      expect(((await held.json()) as { message: string }).message).toMatch(/secondary rate limit/);
      expect((await short.usage('alice')).requests).toBe(sent);
      const other = await short.fetch('/repos/acme/widgets/labels', { as: 'bob' });
      expect(other.status).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('leaves a spent primary budget to the caller', async () => {
    const { token } = await w.emu.control.createToken('carol');
    await w.emu.control.setRateLimit(1, token);
    const headers = { authorization: `token ${token}` };
    expect((await w.fetch('/user', { headers })).status).toBe(200);
    const spent = await w.fetch('/repos/acme/widgets', { headers });
    expect(spent.status).toBe(403);
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(spent.headers.get('x-cache-mode')).toBe('NO-STORE');
  });
});

describe('upstream failures', () => {
  it('answers 502 with a JSON message when GitHub cannot be reached', async () => {
    const port = await closedPort();
    const store = new MemoryStore({ maxBytes: 1 << 20, idleMs: 60_000 });
    const app = buildGhproxyApp({
      logger: memoryLogger().logger,
      upstream: `http://127.0.0.1:${String(port)}`,
      store,
      settings: { concurrency: 2, requestTimeoutMs: 5_000, spacing: undefined, secondaryRetries: 1, shareAppTokens: true, cache: { maxEntryBytes: 1 << 20 } },
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/repos/acme/widgets', headers: { authorization: 'token abc' } });
      expect(res.statusCode).toBe(502);
      expect(res.headers['x-cache-mode']).toBe('ERROR');
      const body = res.json<{ message: string; code: string }>();
      expect(body.code).toBe('PROW_ERR_GITHUB_UNREACHABLE');
      expect(body.message).toContain(`127.0.0.1:${String(port)}`);
      expect(body.message).toContain('ECONNREFUSED');
      const write = await app.inject({ method: 'POST', url: '/repos/acme/widgets/issues', payload: { title: 'x' } });
      expect(write.statusCode).toBe(502);
    } finally {
      await app.close();
    }
  });

  it('answers 504 when GitHub does not answer within the request timeout', async () => {
    let gate: GatedUpstream | undefined;
    const w = await startGhproxyWorld({
      settings: { requestTimeoutMs: 300 },
      upstream: async (url) => {
        gate = await startGatedUpstream(url);
        return gate.url;
      },
    });
    try {
      gate?.close();
      const res = await w.fetch('/repos/acme/widgets', { as: 'alice' });
      expect(res.status).toBe(504);
      expect(res.headers.get('x-cache-mode')).toBe('ERROR');
      expect(((await res.json()) as { message: string }).message).toMatch(/did not answer within the request timeout/);
      const timeouts = (await w.metrics()).split('\n').filter((l) => l.startsWith('github_request_timeouts_count{'));
      expect(timeouts).toHaveLength(1);
      expect(timeouts[0]).toMatch(/path="\/repos\/:owner\/:repo".* 1$/);
      gate?.open();
      expect((await w.fetch('/repos/acme/widgets', { as: 'alice' })).status).toBe(200);
    } finally {
      await gate?.shut();
      await w.close();
    }
  });
});

describe('the concurrency cap', () => {
  it('keeps at most `concurrency` requests upstream and queues the rest', async () => {
    let gate: GatedUpstream | undefined;
    const w = await startGhproxyWorld({
      settings: { concurrency: 2 },
      upstream: async (url) => {
        gate = await startGatedUpstream(url);
        return gate.url;
      },
    });
    try {
      gate?.close();
      const paths = ['/repos/acme/widgets', '/repos/acme/widgets/labels', '/repos/acme/widgets/branches', '/repos/acme/widgets/issues', '/repos/acme/widgets/pulls'];
      const all = paths.map((p) => w.fetch(p, { as: 'alice' }));
      await until('two requests upstream and three queued', async () => gate?.held === 2 && (await w.metrics()).includes('pending_outbound_requests 3'), { everyMs: 5 });
      expect(await w.metrics()).toContain('concurrent_outbound_requests 2');
      gate?.open();
      expect((await Promise.all(all)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await gate?.shut();
      await w.close();
    }
  });
});

describe('Throttle', () => {
  const spacing = { getMs: 300, otherMs: 900, maxDelayMs: 2_000 };

  it('spaces requests of one budget as Prow does: GET after GET by the GET spacing, anything else by the other', () => {
    const first = nextSlot(undefined, 1_000, true, spacing);
    expect(first).toEqual({ waitMs: 0, slot: { at: 1_000, get: true } });
    const second = nextSlot(first.slot, 1_100, true, spacing);
    expect(second.waitMs).toBe(200);
    const write = nextSlot(second.slot, 1_300, false, spacing);
    expect(write.waitMs).toBe(900);
    const afterWrite = nextSlot(write.slot, 2_200, true, spacing);
    expect(afterWrite.waitMs).toBe(900);
    const late = nextSlot(afterWrite.slot, 10_000, true, spacing);
    expect(late.waitMs).toBe(0);
  });

  it('caps the spacing wait at the max delay rather than form a long queue', () => {
    let slot = nextSlot(undefined, 0, false, spacing).slot;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const next = nextSlot(slot, 0, false, spacing);
      waits.push(next.waitMs);
      slot = next.slot;
    }
    expect(waits).toEqual([900, 1_800, 2_000, 2_000]);
  });

  it('refuses at once a request whose deadline falls inside its budget\'s block', async () => {
    let now = 1_000;
    const throttle = new Throttle({ concurrency: 1, now: () => now });
    throttle.block('budget', 61_000);
    await expect(throttle.acquire('budget', { get: true, api: 'v3' }, 31_000)).rejects.toBeInstanceOf(BudgetBlockedError);
    expect(throttle.blockedFor('other')).toBe(0);
    now = 61_000;
    const slot = await throttle.acquire('budget', { get: true, api: 'v3' }, 90_000);
    slot.release();
  });

  it('hands a freed slot to the oldest waiter', async () => {
    const throttle = new Throttle({ concurrency: 1 });
    const deadline = Date.now() + 10_000;
    const first = await throttle.acquire('a', { get: true, api: 'v3' }, deadline);
    const order: string[] = [];
    const second = throttle.acquire('b', { get: true, api: 'v3' }, deadline).then((s) => {
      order.push('b');
      return s;
    });
    const third = throttle.acquire('c', { get: true, api: 'v3' }, deadline).then((s) => {
      order.push('c');
      return s;
    });
    await until('two waiters', () => throttle.pending === 2, { everyMs: 5 });
    first.release();
    (await second).release();
    (await third).release();
    expect(order).toEqual(['b', 'c']);
    expect(throttle.active).toBe(0);
  });
});
