import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatedUpstream, type GatedUpstream } from './testing/gated-upstream.ts';
import { startGhproxyWorld, type GhproxyWorld } from './testing/ghproxy-world.ts';
import { until } from '../../test/helpers/until.ts';

let w: GhproxyWorld;
let gate: GatedUpstream;

beforeAll(async () => {
  w = await startGhproxyWorld({
    upstream: async (emulatorUrl) => {
      gate = await startGatedUpstream(emulatorUrl);
      return gate.url;
    },
  });
});

afterAll(async () => {
  await gate.shut();
  await w.close();
});

const waiting = (): number => w.app.ghproxy.coalescer.waiting;

describe('ghproxy coalescing', () => {
  it('sends one upstream request for 100 identical concurrent GETs', async () => {
    const before = (await w.usage('alice')).requests;
    const received = gate.received;
    gate.close();
    const responses = Array.from({ length: 100 }, () => w.fetch('/repos/acme/widgets', { as: 'alice' }));
    await until('99 requests waiting on the one at the gate', () => gate.held === 1 && waiting() === 99, { everyMs: 5 });
    gate.open();
    const all = await Promise.all(responses);
    const modes = all.map((r) => r.headers.get('x-cache-mode'));
    expect(modes.filter((m) => m === 'MISS')).toHaveLength(1);
    expect(modes.filter((m) => m === 'COALESCED')).toHaveLength(99);
    const bodies = new Set(await Promise.all(all.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0] ?? '{}')).toMatchObject({ full_name: 'acme/widgets' });
    expect(gate.received - received).toBe(1);
    expect((await w.usage('alice')).requests - before).toBe(1);
  });

  it('never shares one token\'s request with another token', async () => {
    const received = gate.received;
    gate.close();
    const alice = w.fetch('/repos/acme/widgets/labels', { as: 'alice' });
    const bob = w.fetch('/repos/acme/widgets/labels', { as: 'bob' });
    await until('both tokens at the gate', () => gate.held === 2, { everyMs: 5 });
    expect(waiting()).toBe(0);
    gate.open();
    const modes = (await Promise.all([alice, bob])).map((r) => r.headers.get('x-cache-mode'));
    expect(modes).toEqual(['MISS', 'MISS']);
    expect(gate.received - received).toBe(2);
  });

  it('gives a client that asks for no-cache a request of its own', async () => {
    gate.close();
    const leader = w.fetch('/repos/acme/widgets/branches', { as: 'bob' });
    await until('the first request at the gate', () => gate.held === 1, { everyMs: 5 });
    const fresh = w.fetch('/repos/acme/widgets/branches', { as: 'bob', headers: { 'cache-control': 'no-cache' } });
    const follower = w.fetch('/repos/acme/widgets/branches', { as: 'bob' });
    await until('the no-cache request at the gate and one waiting', () => gate.held === 2 && waiting() === 1, { everyMs: 5 });
    gate.open();
    const [a, b, c] = await Promise.all([leader, fresh, follower]);
    expect(a.headers.get('x-cache-mode')).toBe('MISS');
    expect(b.headers.get('x-cache-mode')).not.toBe('COALESCED');
    expect(c.headers.get('x-cache-mode')).toBe('COALESCED');
  });

  it('does not hand a GET made after a write the answer of a request begun before it', async () => {
    const issue = await w.as('alice').issues.create({ owner: 'acme', repo: 'widgets', title: 'race' });
    const path = `/repos/acme/widgets/issues/${String(issue.data.number)}/labels`;
    gate.close((req) => req.method === 'GET');
    const early = w.fetch(path, { as: 'alice' });
    await until('the early GET at the gate', () => gate.held === 1, { everyMs: 5 });
    const write = await w.as('alice').issues.addLabels({ owner: 'acme', repo: 'widgets', issue_number: issue.data.number, labels: ['kind/bug'] });
    expect(write.status).toBe(200);
    const late = w.fetch(path, { as: 'alice' });
    await until('the late GET at the gate, not waiting on the early one', () => gate.held === 2, { everyMs: 5 });
    expect(waiting()).toBe(0);
    gate.open();
    const [, lateAnswer] = await Promise.all([early, late]);
    expect(lateAnswer.headers.get('x-cache-mode')).not.toBe('COALESCED');
    expect(((await lateAnswer.json()) as { name: string }[]).map((l) => l.name)).toEqual(['kind/bug']);
  });

  it('gives every waiter the leader\'s failure when the leader fails', async () => {
    await w.emu.control.faults({ count: 1, status: 502, method: 'GET', pathPrefix: '/repos/acme/widgets/pulls' });
    gate.close();
    const requests = Array.from({ length: 5 }, () => w.fetch('/repos/acme/widgets/pulls', { as: 'alice' }));
    await until('four requests waiting on the failing one', () => gate.held === 1 && waiting() === 4, { everyMs: 5 });
    gate.open();
    const all = await Promise.all(requests);
    expect(all.map((r) => r.status)).toEqual([502, 502, 502, 502, 502]);
    expect(all.map((r) => r.headers.get('x-cache-mode')).sort()).toEqual(['COALESCED', 'COALESCED', 'COALESCED', 'COALESCED', 'NO-STORE']);
    const after = await w.fetch('/repos/acme/widgets/pulls', { as: 'alice' });
    expect(after.status).toBe(200);
  });
});
