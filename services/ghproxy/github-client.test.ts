import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../lib/env.ts';
import { githubClientFromEnv, type GitHubClient } from '../../lib/github/github-client.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { startGhproxyWorld, type GhproxyWorld } from './testing/ghproxy-world.ts';

const fast = { retries: { retryAfterBaseValue: 1 }, rateLimits: { retryAfterBaseValue: 1 } };
let w: GhproxyWorld;
let app: { appId: number; privateKey: string };

beforeAll(async () => {
  w = await startGhproxyWorld();
  app = await w.emu.control.createApp({ slug: 'prow-bot', permissions: { issues: 'write', contents: 'read', metadata: 'read' } });
  await w.emu.control.installApp({ appId: app.appId, account: 'acme' });
  for (let i = 0; i < 5; i++) await w.direct('admin').issues.createLabel({ owner: 'acme', repo: 'widgets', name: `area/${String(i)}` });
});

afterAll(async () => {
  await w.close();
});

/** What every component builds: the client from the environment, with GHPROXY_URL set. */
function tokenClient(token: string): GitHubClient {
  return githubClientFromEnv(readEnv({ GHPROXY_URL: w.url, GITHUB_TOKEN: token }), memoryLogger().logger, fast);
}

function appClient(): GitHubClient {
  return githubClientFromEnv(readEnv({ GHPROXY_URL: w.url, GITHUB_APP_ID: String(app.appId), GITHUB_APP_PRIVATE_KEY: app.privateKey }), memoryLogger().logger, fast);
}

describe('lib/github through ghproxy', () => {
  it('paginates, writes and asks GraphQL through the proxy, with GHPROXY_URL as the only setting', async () => {
    const client = tokenClient(w.tokens.alice);
    expect(client.baseUrl).toBe(w.url);
    const gh = client.octokit;
    const before = await w.usage('alice');
    const pages = async (): Promise<string[]> => (await gh.paginate(gh.rest.issues.listLabelsForRepo, { owner: 'acme', repo: 'widgets', per_page: 2 })).map((l) => l.name);
    const first = await pages();
    expect(first.filter((n) => n.startsWith('area/'))).toEqual(['area/0', 'area/1', 'area/2', 'area/3', 'area/4']);
    const mid = await w.usage('alice');
    const again = await pages();
    expect(again).toEqual(first);
    const after = await w.usage('alice');
    expect(after.cost).toBe(mid.cost);
    expect(after.notModified - mid.notModified).toBe(mid.requests - before.requests);

    const issue = await gh.rest.issues.create({ owner: 'acme', repo: 'widgets', title: 'through the proxy' });
    expect(issue.headers['x-cache-mode']).toBe('SKIP');
    const viewer = await gh.graphql<{ viewer: { login: string } }>('{ viewer { login } }');
    expect(viewer.viewer.login).toBe('alice');
    const search = await gh.graphql<{ search: { issueCount: number } }>('query($q: String!) { search(type: ISSUE, query: $q, first: 5) { issueCount } }', { q: 'repo:acme/widgets is:issue' });
    expect(search.search.issueCount).toBeGreaterThanOrEqual(1);
  });

  it('serves a GitHub App through the proxy: JWT routes, installation tokens, installation calls', async () => {
    const client = appClient();
    const gh = await client.forRepo('acme', 'widgets');
    const repo = await gh.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    expect(repo.data.full_name).toBe('acme/widgets');
    expect(repo.headers['x-cache-mode']).toBe('MISS');
    const again = await gh.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    expect(again.headers['x-cache-mode']).toBe('REVALIDATED');
  });

  it('hands every client of one installation the same token, so a second replica hits the first one\'s cache', async () => {
    const one = appClient();
    const two = appClient();
    const path = { owner: 'acme', repo: 'widgets' } as const;
    const a = await (await one.forRepo('acme', 'widgets')).rest.issues.listLabelsForRepo(path);
    const b = await (await two.forRepo('acme', 'widgets')).rest.issues.listLabelsForRepo(path);
    expect(await one.getInstallationToken('acme', 'widgets')).toBe(await two.getInstallationToken('acme', 'widgets'));
    expect(a.headers['x-cache-mode']).not.toBe('REVALIDATED');
    expect(b.headers['x-cache-mode']).toBe('REVALIDATED');
    expect(await w.metrics()).toMatch(/prow_ghproxy_app_tokens_shared_total [1-9]/);
  });

  it('keeps installation tokens apart when sharing is off', async () => {
    const apart = await startGhproxyWorld({ settings: { shareAppTokens: false } });
    try {
      const created = await apart.emu.control.createApp({ slug: 'other-bot', permissions: { issues: 'write', metadata: 'read' } });
      await apart.emu.control.installApp({ appId: created.appId, account: 'acme' });
      const client = (): GitHubClient =>
        githubClientFromEnv(readEnv({ GHPROXY_URL: apart.url, GITHUB_APP_ID: String(created.appId), GITHUB_APP_PRIVATE_KEY: created.privateKey }), memoryLogger().logger, fast);
      const one = client();
      const two = client();
      const a = await (await one.forRepo('acme', 'widgets')).rest.repos.get({ owner: 'acme', repo: 'widgets' });
      const b = await (await two.forRepo('acme', 'widgets')).rest.repos.get({ owner: 'acme', repo: 'widgets' });
      expect(await one.getInstallationToken('acme', 'widgets')).not.toBe(await two.getInstallationToken('acme', 'widgets'));
      expect([a.headers['x-cache-mode'], b.headers['x-cache-mode']]).toEqual(['MISS', 'MISS']);
    } finally {
      await apart.close();
    }
  });
});
