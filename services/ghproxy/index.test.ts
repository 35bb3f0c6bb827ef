import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnv } from '../../lib/env.ts';
import { isProwError } from '../../lib/errors.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { createRedis } from '../../lib/queue/redis.ts';
import { octokitFor, startTestEmulator } from '../../emulator/github/testing/test-emulator.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import type { ServiceContext } from '../service.ts';
import { buildGhproxyApp } from './app.ts';
import { RedisStore } from './cache/redis-store.ts';
import { ghproxy, readGhproxySettings, upstreamFor } from './index.ts';
import { startGhproxyWorld, type GhproxyWorld } from './testing/ghproxy-world.ts';

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;
let emu: Emulator;
let token: string;
const redis = uniqueRedis('ghproxy-service');

beforeAll(async () => {
  emu = await startTestEmulator();
  ({ token } = await emu.control.createUser({ login: 'octocat' }));
  await emu.control.createOrg({ login: 'acme', admins: ['octocat'] });
  await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
});

afterAll(async () => {
  await emu.close();
  await dropPrefix(redis);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function context(env: Record<string, string> = {}): ServiceContext {
  const logs = memoryLogger();
  return {
    env: readEnv(env),
    logger: logs.logger,
    redis,
    github: { client: createGitHubClient({ credentials: { kind: 'token', token }, baseUrl: emu.url, logger: logs.logger }), botLogin: 'octocat', emulated: true, webhookSecret: 'x' },
    configPaths: { configPath: 'unused', implementedPlugins: [] },
  };
}

describe('the ghproxy service', () => {
  it('starts in front of the emulator prow start runs, answers /healthz and /metrics, and stops', async () => {
    vi.stubEnv('GHPROXY_PORT', '0');
    vi.stubEnv('GHPROXY_CACHE', 'redis');
    const running = await ghproxy.start(context());
    try {
      expect((await fetch(`${running.url ?? ''}/healthz`)).status).toBe(200);
      const gh = octokitFor(running.url ?? '', token);
      expect((await gh.repos.get({ owner: 'acme', repo: 'widgets' })).headers['x-cache-mode']).toBe('MISS');
      expect((await gh.repos.get({ owner: 'acme', repo: 'widgets' })).headers['x-cache-mode']).toBe('REVALIDATED');
      const metrics = await (await fetch(`${running.url ?? ''}/metrics`)).text();
      expect(metrics).toContain('ghcache_responses{mode="REVALIDATED"');
      expect(metrics).toContain('prow_ghproxy_process_cpu_seconds_total');
      const admin = createRedis(redis);
      expect((await admin.keys(`${redis.prefix}:ghproxy:entry:*`)).length).toBe(1);
      admin.disconnect();
    } finally {
      await running.close();
    }
  });

  it('refuses an upstream that is ghproxy itself', () => {
    const ctx = context({ GHPROXY_URL: 'http://ghproxy:8888' });
    expect(() => upstreamFor({ upstream: 'http://ghproxy:8888/' }, ctx)).toThrow(/send requests to itself/);
    expect(upstreamFor({ upstream: undefined }, ctx)).toBe(emu.url);
    expect(upstreamFor({ upstream: undefined }, context({ GITHUB_API_URL: 'https://ghe.example.com/api/v3' }))).toBe('https://ghe.example.com/api/v3');
  });
});

describe('readGhproxySettings', () => {
  it('takes Prow\'s defaults', () => {
    const s = readGhproxySettings({});
    expect(s).toMatchObject({ port: 8890, concurrency: 25, requestTimeoutMs: 30_000, spacing: undefined, secondaryRetries: 3, shareAppTokens: true });
    expect(s.cache).toMatchObject({ kind: 'memory', maxBytes: 256 * 1024 * 1024, pruneEveryMs: 3_600_000 });
  });

  it('turns spacing on only when both REST spacings are set, as Prow does', () => {
    expect(readGhproxySettings({ GHPROXY_THROTTLING_TIME_MS: '900' }).spacing).toBeUndefined();
    const s = readGhproxySettings({ GHPROXY_THROTTLING_TIME_MS: '900', GHPROXY_GET_THROTTLING_TIME_MS: '300', GHPROXY_THROTTLING_TIME_V4_MS: '850', GHPROXY_THROTTLING_MAX_DELAY: '45s' });
    expect(s.spacing).toEqual({ getMs: 300, otherMs: 900, v4Ms: 850, maxDelayMs: 45_000, maxDelayV4Ms: 30_000 });
  });

  it('names the variable that is wrong', () => {
    const code = (env: Record<string, string>): string | undefined => {
      try {
        readGhproxySettings(env);
        return undefined;
      } catch (err) {
        return isProwError(err, 'PROW_ERR_ENV_INVALID') ? err.message : 'not a ProwError';
      }
    };
    expect(code({ GHPROXY_CACHE: 'floppy' })).toMatch(/GHPROXY_CACHE .*memory, redis, disk/);
    expect(code({ GHPROXY_CACHE: 'disk' })).toMatch(/GHPROXY_CACHE_DIR/);
    expect(code({ GHPROXY_CONCURRENCY: '0' })).toMatch(/GHPROXY_CONCURRENCY/);
    expect(code({ GHPROXY_REQUEST_TIMEOUT: 'soon' })).toMatch(/GHPROXY_REQUEST_TIMEOUT/);
    expect(code({ GHPROXY_UPSTREAM: 'ftp://github' })).toMatch(/GHPROXY_UPSTREAM/);
    expect(code({ GHPROXY_SHARE_APP_TOKENS: 'maybe' })).toMatch(/GHPROXY_SHARE_APP_TOKENS/);
  });
});

describe('bad requests', () => {
  let w: GhproxyWorld;
  beforeAll(async () => {
    w = await startGhproxyWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('answers a request line naming another host with a 400, instead of going there', async () => {
    const { port } = new URL(w.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET http://example.com/repos/acme/widgets HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('end', () => {
        resolve(text);
      });
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('"message":"ghproxy: \\"http://example.com/repos/acme/widgets\\" is not a path');
  });

  it('answers a write body over the limit with a 413 in JSON, and forwards any other body as it is', async () => {
    const app = buildGhproxyApp({
      logger: memoryLogger().logger,
      upstream: w.emu.url,
      store: w.store,
      bodyLimit: 1024,
      settings: { concurrency: 1, requestTimeoutMs: 5_000, spacing: undefined, secondaryRetries: 0, shareAppTokens: false, cache: { maxEntryBytes: 1024 } },
    });
    try {
      const headers = { authorization: `token ${w.tokens.alice}`, 'content-type': 'application/json' };
      const res = await app.inject({ method: 'POST', url: '/repos/acme/widgets/issues', headers, payload: JSON.stringify({ title: 'x'.repeat(4096) }) });
      expect(res.statusCode).toBe(413);
      expect(res.headers['x-cache-mode']).toBe('ERROR');
      expect(res.json<{ message: string }>().message).toMatch(/larger than 1024 bytes/);
      const ok = await app.inject({ method: 'POST', url: '/repos/acme/widgets/issues', headers, payload: JSON.stringify({ title: 'small' }) });
      expect(ok.statusCode).toBe(201);
      const text = await app.inject({ method: 'POST', url: '/repos/acme/widgets/issues', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'not json' });
      expect(text.headers['x-cache-mode']).toBe('SKIP');
      expect(text.json<{ message: string }>().message).not.toMatch(/^ghproxy/);
    } finally {
      await app.close();
    }
  });
});

describe('Redis shared by replicas', () => {
  it('lets a second replica revalidate what the first one stored', async () => {
    const settings = uniqueRedis('ghproxy-replicas');
    const storeA = new RedisStore(createRedis(settings), settings.prefix, { idleMs: 3_600_000 });
    const storeB = new RedisStore(createRedis(settings), settings.prefix, { idleMs: 3_600_000 });
    const a = await startGhproxyWorld({ store: storeA });
    try {
      const b = buildGhproxyApp({
        logger: memoryLogger().logger,
        upstream: a.emu.url,
        store: storeB,
        settings: { concurrency: 5, requestTimeoutMs: 5_000, spacing: undefined, secondaryRetries: 0, shareAppTokens: true, cache: { maxEntryBytes: 1 << 20 } },
      });
      const headers = { authorization: `token ${a.tokens.alice}`, accept: '*/*' };
      expect((await a.fetch('/repos/acme/widgets', { as: 'alice' })).headers.get('x-cache-mode')).toBe('MISS');
      const fromB = await b.inject({ method: 'GET', url: '/repos/acme/widgets', headers });
      expect(fromB.headers['x-cache-mode']).toBe('REVALIDATED');
      expect(fromB.json<{ full_name: string }>().full_name).toBe('acme/widgets');
      expect((await a.usage('alice')).cost).toBe(1);
      await b.close();
    } finally {
      await a.close();
      await storeB.close();
      await dropPrefix(settings);
    }
  });
});
