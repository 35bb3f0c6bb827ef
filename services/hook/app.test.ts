import { createServer as createNetServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { findRedisServer, startLocalRedis } from '../../lib/queue/local-redis.ts';
import { queueNames } from '../../lib/queue/names.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { buildHookApp } from './app.ts';
import type { EventJob } from './event-job.ts';
import { JournalDrainer } from './journal-drainer.ts';
import { intakeStreamKey } from './journal-entry.ts';
import { deliveryHeaders, eventually, issueCommentBody, sign } from './testing/signed-delivery.ts';
import { parseWebhookSecret } from '../../lib/webhooks/webhook-secrets.ts';

const secret = 'hook-test-secret';
const body = issueCommentBody();
const noPlugins = () => ({ plugins: {} });

let redis: RedisSettings;
let client: Redis;
const cleanup: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  redis = uniqueRedis('hook-app');
  client = new Redis(redis.url);
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  await dropPrefix(redis);
  client.disconnect();
});

function app(opts: { secretText?: string; maxBodyBytes?: number; settings?: RedisSettings } = {}): FastifyInstance {
  const a = buildHookApp({
    logger: memoryLogger().logger,
    redis: opts.settings ?? redis,
    secrets: parseWebhookSecret(opts.secretText ?? secret),
    pluginConfig: noPlugins,
    maxBodyBytes: opts.maxBodyBytes,
  });
  cleanup.push(() => a.close());
  return a;
}

function drainer(): JournalDrainer {
  const d = JournalDrainer.start({ redis, logger: memoryLogger().logger, blockMs: 100 });
  cleanup.push(() => d.close());
  return d;
}

function eventsQueue() {
  const q = createQueue<EventJob>(redis, queueNames.events);
  cleanup.push(() => q.close());
  return q;
}

const journalLength = () => client.xlen(intakeStreamKey(redis.prefix));

describe('POST /hook refusals, in Prow order', () => {
  it('answers each refusal with its code and enqueues nothing', async () => {
    const a = app({ maxBodyBytes: 1024 });
    const ok = deliveryHeaders(secret, body);
    const without = (name: string) => Object.fromEntries(Object.entries(ok).filter(([k]) => k !== name));
    const big = JSON.stringify({ padding: 'x'.repeat(2048) });
    const cases: { why: string; method?: 'GET' | 'PUT'; headers: Record<string, string>; payload?: string; code: number; text: RegExp }[] = [
      { why: 'wrong method', method: 'GET', headers: ok, code: 405, text: /Method not allowed/ },
      // Every later check fails too, so only the order picks the answer.
      { why: 'no event header', headers: { ...without('x-github-event'), 'content-type': 'text/plain', 'x-hub-signature-256': 'x' }, code: 400, text: /X-GitHub-Event/ },
      { why: 'no delivery header', headers: { ...without('x-github-delivery'), 'content-type': 'text/plain' }, code: 400, text: /X-GitHub-Delivery/ },
      { why: 'no signature', headers: { ...without('x-hub-signature-256'), 'content-type': 'text/plain' }, code: 403, text: /Missing X-Hub-Signature-256/ },
      { why: 'wrong content type', headers: { ...ok, 'content-type': 'application/json; charset=utf-8', 'x-hub-signature-256': 'sha256=00' }, code: 400, text: /only accepts content-type: application\/json/ },
      { why: 'bad signature', headers: { ...ok, 'x-hub-signature-256': sign('wrong-secret', body) }, code: 403, text: /Invalid X-Hub-Signature-256/ },
      { why: 'legacy sha1 prefix', headers: { ...ok, 'x-hub-signature-256': sign(secret, body).replace('sha256=', 'sha1=') }, code: 403, text: /Invalid/ },
      { why: 'too large, unsigned', headers: { ...ok, 'x-hub-signature-256': sign('wrong', big) }, payload: big, code: 403, text: /Invalid/ },
      { why: 'too large, signed', headers: deliveryHeaders(secret, big), payload: big, code: 413, text: /larger than 1024/ },
      { why: 'not JSON', headers: deliveryHeaders(secret, '{"oops'), payload: '{"oops', code: 400, text: /not a JSON object/ },
      { why: 'JSON but not an object', headers: deliveryHeaders(secret, '[1,2]'), payload: '[1,2]', code: 400, text: /not a JSON object/ },
    ];
    for (const c of cases) {
      const res = await a.inject({ method: c.method ?? 'POST', url: '/hook', headers: c.headers, payload: c.payload ?? body });
      expect({ why: c.why, code: res.statusCode }).toEqual({ why: c.why, code: c.code });
      expect(res.body).toMatch(c.text);
    }
    expect(await journalLength()).toBe(0);
    expect(await eventsQueue().getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(0);
  });

  it('answers 405 with Allow: POST for other methods on /hook only', async () => {
    const a = app();
    const res = await a.inject({ method: 'PUT', url: '/hook', headers: deliveryHeaders(secret, body), payload: body });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect((await a.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('POST /hook secrets', () => {
  const hierarchy = `
'*':
  - value: global-key
    created_at: 2020-01-01T00:00:00Z
codertocat:
  - value: org-old
    created_at: 2020-01-01T00:00:00Z
  - value: org-new
    created_at: 2024-01-01T00:00:00Z
other/repo:
  - value: repo-key
`;
  const post = (a: FastifyInstance, payload: string, key: string) =>
    a.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders(key, payload), payload }).then((r) => r.statusCode);

  it('accepts every rotated key of the most specific level, and no other level', async () => {
    const a = app({ secretText: hierarchy });
    // The example payload is for Codertocat/Hello-World; levels match case-insensitively.
    expect(await post(a, body, 'org-old')).toBe(200);
    expect(await post(a, body, 'org-new')).toBe(200);
    expect(await post(a, body, 'global-key')).toBe(403);
    expect(await post(a, body, 'repo-key')).toBe(403);
    const otherRepo = JSON.stringify({ action: 'opened', repository: { full_name: 'other/repo' } });
    expect(await post(a, otherRepo, 'repo-key')).toBe(200);
    expect(await post(a, otherRepo, 'global-key')).toBe(403);
    const elsewhere = JSON.stringify({ action: 'opened', repository: { full_name: 'someone/else' } });
    expect(await post(a, elsewhere, 'global-key')).toBe(200);
    expect(await post(a, elsewhere, 'org-new')).toBe(403);
    expect(await journalLength()).toBe(4);
  });

  it('accepts the single-token format', async () => {
    const a = app({ secretText: `${secret}\n` });
    expect(await post(a, body, secret)).toBe(200);
    expect(await post(a, body, `${secret}x`)).toBe(403);
  });
});

describe('POST /hook durability', () => {
  it('turns a valid delivery into exactly one events job holding the raw body', async () => {
    const a = app();
    drainer();
    const headers = deliveryHeaders(secret, body);
    const res = await a.inject({ method: 'POST', url: '/hook', headers, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('Event received. Have a nice day.');
    const queue = eventsQueue();
    const delivery = headers['x-github-delivery'] ?? '';
    const job = await eventually(async () => queue.getJob(delivery), 'the job');
    expect(job.name).toBe('issue_comment');
    expect(job.data.body).toBe(body);
    expect(job.data.delivery).toBe(delivery);
    expect(job.data.headers['x-hub-signature-256']).toBe(headers['x-hub-signature-256']);
    expect(job.data.headers['user-agent']).toBe('GitHub-Hookshot/test');
    expect(job.opts.attempts).toBeGreaterThan(1);
    await eventually(async () => ((await journalLength()) === 0 ? true : undefined), 'the journal to empty');
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(1);
  });

  it('handles a redelivery once, also after the first job completed and was removed', async () => {
    const a = app();
    drainer();
    const queue = eventsQueue();
    const headers = deliveryHeaders(secret, body);
    const delivery = headers['x-github-delivery'] ?? '';
    const post = () => a.inject({ method: 'POST', url: '/hook', headers, payload: body }).then((r) => r.statusCode);
    expect(await Promise.all([post(), post()])).toEqual([200, 200]);
    const job = await eventually(async () => queue.getJob(delivery), 'the job');
    await eventually(async () => ((await journalLength()) === 0 ? true : undefined), 'the journal to empty');
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(1);

    // As if a worker completed it and removeOnComplete dropped it.
    await job.remove();
    expect(await post()).toBe(200);
    await eventually(async () => ((await journalLength()) === 0 ? true : undefined), 'the journal to empty');
    expect(await queue.getJob(delivery)).toBeUndefined();
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(0);
  });

  it('answers 503 while Redis cannot be reached, and stores nothing', async () => {
    const closed = await freePort();
    const a = app({ settings: { url: `redis://127.0.0.1:${closed}`, prefix: redis.prefix } });
    const res = await a.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders(secret, body), payload: body });
    expect(res.statusCode).toBe(503);
    expect((await a.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);
  });

  it('answers 503 while its Redis is stopped and 200 again once it is back', async () => {
    const binary = await findRedisServer();
    expect(binary, 'redis-server must be installed for this test').toBeDefined();
    const port = await freePort();
    let server = await startLocalRedis(binary ?? '', port);
    cleanup.push(() => server.stop());
    const settings = { url: server.url, prefix: redis.prefix };
    const a = app({ settings });
    const post = () => a.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders(secret, body), payload: body }).then((r) => r.statusCode);
    expect(await post()).toBe(200);
    await server.stop();
    expect(await post()).toBe(503);
    server = await startLocalRedis(binary ?? '', port);
    await eventually(async () => ((await post()) === 200 ? true : undefined), 'a 200 after Redis came back', 10_000);
    const private_ = new Redis(server.url);
    // The fresh server kept nothing; what it holds now came after it returned, and nothing refused is in it.
    expect(await private_.xlen(intakeStreamKey(redis.prefix))).toBe(1);
    private_.disconnect();
  });
});

describe('/metrics', () => {
  it('counts webhooks by event type and answers by code, and reports journal and queue depth', async () => {
    const a = app();
    await a.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders(secret, body), payload: body });
    await a.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders(secret, body, { 'x-github-event': 'ping' }), payload: body });
    await a.inject({ method: 'POST', url: '/hook', headers: deliveryHeaders('nope', body), payload: body });
    const text = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('prow_hook_webhook_counter{event_type="issue_comment"} 1');
    expect(text).toContain('prow_hook_webhook_counter{event_type="ping"} 1');
    expect(text).toContain('prow_hook_webhook_response_codes{response_code="200"} 2');
    expect(text).toContain('prow_hook_webhook_response_codes{response_code="403"} 1');
    // No drainer runs: both accepted deliveries wait in the journal.
    expect(text).toContain('prow_hook_intake_journal_depth 2');
    expect(text).toContain('prow_hook_events_queue_jobs{state="waiting"} 0');
  });
});

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const address = srv.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((r) => srv.close(r));
  return port;
}
