import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../../emulator/github/testing/test-emulator.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { readEnv } from '../env.ts';
import { isProwError } from '../errors.ts';
import { checkGitHub } from './check-github.ts';
import { githubClientFromEnv, type GitHubClient } from './github-client.ts';

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;

/** Waits of one millisecond per second of back-off, so retries and rate limits cost nothing in tests. */
const fast = { retries: { retryAfterBaseValue: 1 }, rateLimits: { retryAfterBaseValue: 1 } };

let emu: Emulator;
let userToken: string;
let app: { appId: number; privateKey: string; botLogin: string; slug: string };
let installationId: number;
/** More labels than one page of 100 holds. */
const labelNames = Array.from({ length: 130 }, (_, i) => `area/part-${String(i).padStart(3, '0')}`);

beforeAll(async () => {
  emu = await startTestEmulator();
  ({ token: userToken } = await emu.control.createUser({ login: 'octocat' }));
  await emu.control.createOrg({ login: 'prow-org', admins: ['octocat'] });
  await emu.control.createRepo({ owner: 'prow-org', name: 'test-infra' });
  app = await emu.control.createApp({ slug: 'prow-bot', permissions: { issues: 'write', contents: 'read' } });
  ({ installationId } = await emu.control.installApp({ appId: app.appId, account: 'prow-org' }));
  const seed = octokitFor(emu.url, userToken);
  for (let i = 0; i < labelNames.length; i += 26) {
    const batch = labelNames.slice(i, i + 26);
    await Promise.all(batch.map((name) => seed.rest.issues.createLabel({ owner: 'prow-org', repo: 'test-infra', name })));
  }
});

afterAll(async () => {
  await emu.close();
});

function tokenClient(mem = memoryLogger(), token = userToken): GitHubClient {
  return githubClientFromEnv(readEnv({ GITHUB_API_URL: emu.url, GITHUB_TOKEN: token }), mem.logger, fast);
}

function appClient(mem = memoryLogger(), extra: Record<string, string> = {}): GitHubClient {
  const env = readEnv({ GITHUB_API_URL: emu.url, GITHUB_APP_ID: String(app.appId), GITHUB_APP_PRIVATE_KEY: app.privateKey, ...extra });
  return githubClientFromEnv(env, mem.logger, fast);
}

/** The statuses our request log recorded for one route, in order. */
function statuses(mem: ReturnType<typeof memoryLogger>, route: string): unknown[] {
  return mem.lines.filter((l) => l.route === route && l.durationMs !== undefined).map((l) => l.status);
}

describe('GitHubClient with a token', () => {
  it('says who we are at startup (GET /user)', async () => {
    expect(await checkGitHub(tokenClient())).toEqual({ kind: 'token', login: 'octocat' });
  });

  it('maps a token GitHub does not know to PROW_ERR_GITHUB_AUTH', async () => {
    const client = tokenClient(memoryLogger(), 'ghp_' + 'Z'.repeat(36));
    const err: unknown = await checkGitHub(client).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_GITHUB_AUTH')).toBe(true);
  });

  it('follows Link headers past 100 items', async () => {
    const mem = memoryLogger();
    const gh = tokenClient(mem).octokit;
    const labels = await gh.paginate(gh.rest.issues.listLabelsForRepo, { owner: 'prow-org', repo: 'test-infra', per_page: 100 });
    expect(labels.map((l) => l.name).filter((n) => n.startsWith('area/part-')).sort()).toEqual(labelNames);
    expect(mem.lines.filter((l) => String(l.route).startsWith('/repos/')).length).toBeGreaterThanOrEqual(2);
  });

  it('retries an injected 502 and the call succeeds', async () => {
    const mem = memoryLogger();
    const client = tokenClient(mem);
    await emu.control.faults({ count: 1, status: 502, method: 'GET', pathPrefix: '/user' });
    const { data } = await client.octokit.rest.users.getAuthenticated();
    expect(data.login).toBe('octocat');
    expect(emu.app.emu.faults.pending()).toBe(0);
    expect(statuses(mem, '/user')).toEqual([502, 200]);
  });

  it('gives up on 5xx after the configured number of retries', async () => {
    const mem = memoryLogger();
    const client = githubClientFromEnv(readEnv({ GITHUB_API_URL: emu.url, GITHUB_TOKEN: userToken }), mem.logger, {
      ...fast,
      retries: { retries: 1, retryAfterBaseValue: 1 },
    });
    await emu.control.faults({ count: 3, status: 503, method: 'GET', pathPrefix: '/user' });
    const err: unknown = await client.octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    await emu.control.clearFaults();
    expect((err as { status?: number }).status).toBe(503);
    expect(statuses(mem, '/user')).toEqual([503, 503]);
  });

  it('backs off on a secondary rate limit, honouring retry-after, then succeeds', async () => {
    const mem = memoryLogger();
    const client = tokenClient(mem);
    await emu.control.faults({ count: 2, secondaryRateLimit: true, retryAfter: 2, method: 'GET', pathPrefix: '/user' });
    const { data } = await client.octokit.rest.users.getAuthenticated();
    expect(data.login).toBe('octocat');
    expect(statuses(mem, '/user')).toEqual([403, 403, 200]);
    const warnings = mem.lines.filter((l) => l.level === 40 && String(l.msg).includes('secondary rate limit'));
    expect(warnings.map((w) => [w.retryAfter, w.retry])).toEqual([
      [2, true],
      [2, true],
    ]);
  });

  it('stops retrying a secondary rate limit after the bound', async () => {
    const mem = memoryLogger();
    const client = githubClientFromEnv(readEnv({ GITHUB_API_URL: emu.url, GITHUB_TOKEN: userToken }), mem.logger, {
      ...fast,
      rateLimits: { retryAfterBaseValue: 1, secondaryRetries: 1 },
    });
    await emu.control.faults({ count: 5, secondaryRateLimit: true, retryAfter: 1, method: 'GET', pathPrefix: '/user' });
    const err: unknown = await client.octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    await emu.control.clearFaults();
    expect((err as { status?: number }).status).toBe(403);
    expect(statuses(mem, '/user')).toEqual([403, 403]);
  });

  it('fails fast on the primary rate limit when the reset is further away than it will wait', async () => {
    const { token } = await emu.control.createToken('octocat');
    await emu.control.setRateLimit(1, token);
    const mem = memoryLogger();
    const client = tokenClient(mem, token);
    await client.octokit.rest.users.getAuthenticated();
    const err: unknown = await client.octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(403);
    const warning = mem.lines.find((l) => l.level === 40 && String(l.msg).includes('primary rate limit'));
    expect(warning?.retry).toBe(false);
  });
});

describe('GitHubClient as a GitHub App', () => {
  it('says which App we are at startup (GET /app with the JWT)', async () => {
    expect(await checkGitHub(appClient())).toEqual({ kind: 'app', id: app.appId, slug: 'prow-bot', name: 'prow-bot' });
  });

  it('acts on a repo as the bot through an installation token, looking the installation up once', async () => {
    const mem = memoryLogger();
    const client = appClient(mem);
    expect(await client.installationFor('prow-org', 'test-infra')).toBe(installationId);
    const gh = await client.forRepo('prow-org', 'test-infra');
    expect(gh).toBe(await client.forInstallation(installationId));
    const { data: issue } = await gh.rest.issues.create({ owner: 'prow-org', repo: 'test-infra', title: 'flaky test' });
    expect(issue.user?.login).toBe(app.botLogin);
    expect(statuses(mem, '/repos/{owner}/{repo}/installation')).toEqual([200]);
  });

  it('uses GITHUB_APP_INSTALLATION_ID for the default client', async () => {
    const client = appClient(memoryLogger(), { GITHUB_APP_INSTALLATION_ID: String(installationId) });
    const { data } = await client.octokit.rest.repos.get({ owner: 'prow-org', repo: 'test-infra' });
    expect(data.full_name).toBe('prow-org/test-infra');
  });

  it('hands out a cached installation token that git (or any client) can use', async () => {
    const client = appClient();
    const token = await client.getInstallationToken('prow-org', 'test-infra');
    expect(typeof token).toBe('string');
    expect(await client.getInstallationToken('prow-org', 'test-infra')).toBe(token);
    const { data } = await octokitFor(emu.url, token).rest.repos.get({ owner: 'prow-org', repo: 'test-infra' });
    expect(data.full_name).toBe('prow-org/test-infra');
  });

  it('maps a private key GitHub does not know to PROW_ERR_GITHUB_AUTH', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const err: unknown = await checkGitHub(appClient(memoryLogger(), { GITHUB_APP_PRIVATE_KEY: otherKey })).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_GITHUB_AUTH')).toBe(true);
  });

  it('says the App is not installed on a repo of another account', async () => {
    await emu.control.createRepo({ owner: 'octocat', name: 'dotfiles' });
    const err: unknown = await appClient().forRepo('octocat', 'dotfiles').catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_GITHUB_APP_NOT_INSTALLED')).toBe(true);
  });
});

describe('where calls go', () => {
  it('sends every call through GHPROXY_URL when it is set, whatever GITHUB_API_URL says', async () => {
    const env = readEnv({ GHPROXY_URL: emu.url, GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: userToken });
    const client = githubClientFromEnv(env, memoryLogger().logger, fast);
    expect(client.baseUrl).toBe(emu.url);
    expect(await checkGitHub(client)).toEqual({ kind: 'token', login: 'octocat' });
  });

  it('works anonymously when no credentials are set', async () => {
    const client = githubClientFromEnv(readEnv({ GITHUB_API_URL: emu.url }), memoryLogger().logger, fast);
    expect(await checkGitHub(client)).toEqual({ kind: 'none' });
    expect(await client.getInstallationToken('prow-org', 'test-infra')).toBeUndefined();
  });
});

describe('GraphQL', () => {
  it('pages through a connection with graphql.paginate, at <GHPROXY_URL>/graphql', async () => {
    const mem = memoryLogger();
    const env = readEnv({ GHPROXY_URL: emu.url, GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: userToken });
    const gh = githubClientFromEnv(env, mem.logger, fast).octokit;
    const result = await gh.graphql.paginate<{ repository: { labels: { nodes: { name: string }[] } } }>(
      `query ($cursor: String) {
        repository(owner: "prow-org", name: "test-infra") {
          labels(first: 100, after: $cursor) { nodes { name } pageInfo { hasNextPage endCursor } }
        }
      }`,
    );
    const names = result.repository.labels.nodes.map((l) => l.name);
    expect(names.filter((n) => n.startsWith('area/part-')).sort()).toEqual(labelNames);
    expect(statuses(mem, '/graphql')).toEqual([200, 200]);
  });
});

describe('secrets in logs', () => {
  it('never logs a token, an installation token or the private key, even when calls fail', async () => {
    const mem = memoryLogger();
    const bad = 'ghp_' + 'Q'.repeat(36);
    const errors: unknown[] = [];
    errors.push(await checkGitHub(tokenClient(mem, bad)).catch((e: unknown) => e));
    await emu.control.faults({ count: 1, status: 502, method: 'GET', pathPrefix: '/user' });
    await checkGitHub(tokenClient(mem));
    const appC = appClient(mem);
    const installationToken = await appC.getInstallationToken('prow-org', 'test-infra');
    await (await appC.forRepo('prow-org', 'test-infra')).rest.repos.get({ owner: 'prow-org', repo: 'test-infra' });
    errors.push(await appC.octokit.request('GET /repos/{owner}/{repo}/installation', { owner: 'prow-org', repo: 'nope' }).catch((e: unknown) => e));

    const text = mem.text();
    expect(mem.lines.length).toBeGreaterThan(5);
    expect(text).toContain('GitHub GET /user failed 502');
    for (const secret of [bad, userToken, installationToken ?? 'missing', app.privateKey.split('\n')[1] ?? 'missing']) {
      expect(text).not.toContain(secret);
      for (const err of errors) {
        expect(err).toBeInstanceOf(Error);
        expect(JSON.stringify(err)).not.toContain(secret);
        expect(String((err as Error).stack)).not.toContain(secret);
      }
    }
  });
});
