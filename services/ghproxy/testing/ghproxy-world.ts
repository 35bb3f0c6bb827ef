import type { FastifyInstance } from 'fastify';
import type { Octokit } from '@octokit/rest';
import { octokitFor, startTestEmulator } from '../../../emulator/github/testing/test-emulator.ts';
import type { Usage } from '../../../emulator/github/control/control-types.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { buildGhproxyApp, type GhproxyAppDeps } from '../app.ts';
import type { CacheStore } from '../cache/cache-store.ts';
import { MemoryStore } from '../cache/memory-store.ts';

/** The people of a ghproxy world; `carol` has no rights on the private repo. */
export const people = ['admin', 'alice', 'bob', 'carol'] as const;
export type Person = (typeof people)[number];

/** ghproxy in front of a real emulator, on real ports. */
export interface GhproxyWorld {
  emu: Awaited<ReturnType<typeof startTestEmulator>>;
  /** The proxy's base URL: what GHPROXY_URL would be. */
  url: string;
  app: FastifyInstance;
  store: CacheStore;
  tokens: Record<Person, string>;
  /** A plain Octokit (no retries, no throttling) acting as `who` through the proxy. */
  as(who: Person): Octokit;
  /** The same, straight to the emulator. */
  direct(who: Person): Octokit;
  /** What the emulator counted for the person's token. */
  usage(who: Person): Promise<Usage>;
  /** The proxy's log lines. */
  logs: ReturnType<typeof memoryLogger>;
  /** A fetch through the proxy as `who` (or anonymous). */
  fetch(path: string, init?: RequestInit & { as?: Person }): Promise<Response>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export interface WorldOptions {
  store?: CacheStore;
  /** Where the proxy sends requests: the emulator unless a test puts something between them. */
  upstream?: (emulatorUrl: string) => string | Promise<string>;
  settings?: Partial<GhproxyAppDeps['settings']>;
  retryAfterUnitMs?: number;
  now?: () => number;
}

/**
 * Org `acme` with the public repo `widgets` (alice and bob write through the org) and the private repo
 * `secret` only bob can read, ghproxy (memory store unless given one) listening on port 0 in front of it.
 */
export async function startGhproxyWorld(opts: WorldOptions = {}): Promise<GhproxyWorld> {
  const emu = await startTestEmulator();
  const tokens = {} as Record<Person, string>;
  for (const login of people) tokens[login] = (await emu.control.createUser({ login })).token;
  await emu.control.createOrg({ login: 'acme', admins: ['admin'], members: ['alice', 'bob'], defaultRepoPermission: 'write' });
  await emu.control.createRepo({ owner: 'acme', name: 'widgets' });
  await emu.control.createRepo({ owner: 'acme', name: 'secret', private: true });
  const logs = memoryLogger('debug');
  const store = opts.store ?? new MemoryStore({ maxBytes: 64 * 1024 * 1024, idleMs: 3_600_000 });
  const upstream = opts.upstream === undefined ? emu.url : await opts.upstream(emu.url);
  const app = buildGhproxyApp({
    logger: logs.logger,
    upstream,
    store,
    settings: { concurrency: 25, requestTimeoutMs: 10_000, spacing: undefined, secondaryRetries: 3, shareAppTokens: true, cache: { maxEntryBytes: 8 * 1024 * 1024 }, ...opts.settings },
    retryAfterUnitMs: opts.retryAfterUnitMs ?? 10,
    now: opts.now,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${String(typeof address === 'object' && address !== null ? address.port : 0)}`;
  return {
    emu,
    url,
    app,
    store,
    tokens,
    logs,
    as: (who) => octokitFor(url, tokens[who]),
    direct: (who) => octokitFor(emu.url, tokens[who]),
    usage: async (who) => {
      const all = await emu.control.usage(tokens[who]);
      const u = all[tokens[who]];
      if (u === undefined) throw new Error(`no usage for ${who}`);
      return u;
    },
    fetch: (path, init = {}) => {
      const { as, headers, ...rest } = init;
      const auth: Record<string, string> = as === undefined ? {} : { authorization: `token ${tokens[as]}` };
      return fetch(`${url}${path}`, { ...rest, headers: { ...auth, ...(headers as Record<string, string> | undefined) } });
    },
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    close: async () => {
      await app.close();
      await store.close();
      await emu.close();
    },
  };
}
