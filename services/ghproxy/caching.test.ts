import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGhproxyWorld, type GhproxyWorld } from './testing/ghproxy-world.ts';

const owner = 'acme';
const repo = 'widgets';
let w: GhproxyWorld;

beforeAll(async () => {
  w = await startGhproxyWorld();
});

afterAll(async () => {
  await w.close();
});

function metricLines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('ghproxy caching through the emulator', () => {
  it('serves an unchanged resource after a free 304, and pays again only when it changed', async () => {
    const gh = w.as('alice');
    const before = await w.usage('alice');
    const first = await gh.issues.listLabelsForRepo({ owner, repo });
    const second = await gh.issues.listLabelsForRepo({ owner, repo });
    expect([first.headers['x-cache-mode'], second.headers['x-cache-mode']]).toEqual(['MISS', 'REVALIDATED']);
    expect(second.data).toEqual(first.data);
    const afterTwo = await w.usage('alice');
    expect(afterTwo.cost - before.cost).toBe(1);
    expect(afterTwo.notModified - before.notModified).toBe(1);

    await w.direct('admin').issues.createLabel({ owner, repo, name: 'kind/bug', color: 'e11d21' });
    const third = await gh.issues.listLabelsForRepo({ owner, repo });
    expect(third.headers['x-cache-mode']).toBe('CHANGED');
    expect(third.data.map((l) => l.name)).toContain('kind/bug');
    const fourth = await gh.issues.listLabelsForRepo({ owner, repo });
    expect(fourth.headers['x-cache-mode']).toBe('REVALIDATED');
    expect(fourth.data.map((l) => l.name)).toContain('kind/bug');
    const after = await w.usage('alice');
    expect(after.cost - before.cost).toBe(2);
    expect(after.notModified - before.notModified).toBe(2);
  });

  it('keeps tokens apart: another token pays for its own copy and never gets an answer it may not see', async () => {
    const bobBefore = await w.usage('bob');
    const secret = await w.as('bob').repos.get({ owner, repo: 'secret' });
    expect(secret.headers['x-cache-mode']).toBe('MISS');
    const carol = await w.fetch(`/repos/${owner}/secret`, { as: 'carol' });
    expect(carol.status).toBe(404);
    expect(carol.headers.get('x-cache-mode')).toBe('NO-STORE');
    expect(await carol.text()).not.toContain('"full_name"');
    const anonymous = await w.fetch(`/repos/${owner}/secret`);
    expect(anonymous.status).toBe(404);

    await w.as('alice').repos.get({ owner, repo });
    const bobsCopy = await w.as('bob').repos.get({ owner, repo });
    expect(bobsCopy.headers['x-cache-mode']).toBe('MISS');
    expect((await w.usage('bob')).cost - bobBefore.cost).toBe(2);
    const partitions = metricLines(await w.metrics(), 'ghcache_cache_partitions');
    expect(partitions.length).toBeGreaterThanOrEqual(4);
  });

  it('shares one partition between `token` and `Bearer` forms of one token', async () => {
    const path = `/repos/${owner}/${repo}/branches`;
    const first = await w.fetch(path, { headers: { authorization: `token ${w.tokens.carol}` } });
    const second = await w.fetch(path, { headers: { authorization: `Bearer ${w.tokens.carol}` } });
    expect([first.headers.get('x-cache-mode'), second.headers.get('x-cache-mode')]).toEqual(['MISS', 'REVALIDATED']);
  });

  it('passes writes through uncached, and the next GET shows what the write did', async () => {
    const gh = w.as('alice');
    const issue = await gh.issues.create({ owner, repo, title: 'cache me not' });
    expect(issue.headers['x-cache-mode']).toBe('SKIP');
    const number = issue.data.number;
    expect((await gh.issues.listLabelsOnIssue({ owner, repo, issue_number: number })).headers['x-cache-mode']).toBe('MISS');
    const added = await gh.issues.addLabels({ owner, repo, issue_number: number, labels: ['kind/bug'] });
    expect(added.headers['x-cache-mode']).toBe('SKIP');
    const labels = await gh.issues.listLabelsOnIssue({ owner, repo, issue_number: number });
    expect(labels.headers['x-cache-mode']).toBe('CHANGED');
    expect(labels.data.map((l) => l.name)).toEqual(['kind/bug']);

    const one = await gh.issues.createComment({ owner, repo, issue_number: number, body: 'same words' });
    const two = await gh.issues.createComment({ owner, repo, issue_number: number, body: 'same words' });
    expect(two.data.id).not.toBe(one.data.id);
    const comments = await w.direct('alice').issues.listComments({ owner, repo, issue_number: number });
    expect(comments.data.map((c) => c.body)).toEqual(['same words', 'same words']);
  });

  it('passes Link through on a miss and a revalidation, with rate-limit headers as GitHub just sent them', async () => {
    for (const name of ['area/a', 'area/b', 'area/c']) await w.direct('admin').issues.createLabel({ owner, repo, name });
    const gh = w.as('bob');
    const first = await gh.issues.listLabelsForRepo({ owner, repo, per_page: 1 });
    expect(first.headers['x-cache-mode']).toBe('MISS');
    expect(first.headers.link).toMatch(/rel="next"/);
    // A request that skips the proxy spends budget the stored headers know nothing about.
    await w.direct('bob').users.getAuthenticated();
    const second = await gh.issues.listLabelsForRepo({ owner, repo, per_page: 1 });
    expect(second.headers['x-cache-mode']).toBe('REVALIDATED');
    expect(second.headers.link).toBe(first.headers.link);
    const usage = await w.usage('bob');
    expect(second.headers['x-ratelimit-remaining']).toBe(String(usage.remaining));
    expect(second.headers['x-ratelimit-used']).toBe(String(usage.cost));
    expect(Number(first.headers['x-ratelimit-remaining'])).toBe(usage.remaining + 1);
  });

  it('answers a client\'s own If-None-Match with a 304 once its ETag is still current', async () => {
    const path = `/repos/${owner}/${repo}/branches/main`;
    const first = await w.fetch(path, { as: 'alice' });
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await w.fetch(path, { as: 'alice', headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-cache-mode')).toBe('REVALIDATED');
  });

  it('stores nothing for a client that says no-store, and keeps GraphQL and /rate_limit out of the cache', async () => {
    const path = `/repos/${owner}/${repo}/issues?state=all`;
    const refused = await w.fetch(path, { as: 'carol', headers: { 'cache-control': 'no-store' } });
    expect(refused.headers.get('x-cache-mode')).toBe('NO-STORE');
    const next = await w.fetch(path, { as: 'carol' });
    expect(next.headers.get('x-cache-mode')).toBe('MISS');

    const query = JSON.stringify({ query: '{ viewer { login } }' });
    const graphql = await w.fetch('/graphql', { as: 'carol', method: 'POST', body: query, headers: { 'content-type': 'application/json' } });
    expect(graphql.status).toBe(200);
    expect(graphql.headers.get('x-cache-mode')).toBe('NO-STORE');
    expect(await graphql.json()).toEqual({ data: { viewer: { login: 'carol' } } });
    const rate = await w.fetch('/rate_limit', { as: 'carol' });
    expect(rate.headers.get('x-cache-mode')).toBe('NO-STORE');
  });

  it('keeps a body past the size limit out of the cache and streams it whole', async () => {
    const small = await startGhproxyWorld({ settings: { cache: { maxEntryBytes: 16 * 1024 } } });
    try {
      const content = 'x'.repeat(300_000);
      await small.emu.control.commitFiles({ owner, repo, branch: 'main', files: { 'big.txt': content }, message: 'big' });
      const path = `/repos/${owner}/${repo}/contents/big.txt`;
      for (let i = 0; i < 2; i++) {
        const res = await small.fetch(path, { as: 'alice' });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-cache-mode')).toBe('NO-STORE');
        const body = (await res.json()) as { content: string };
        expect(Buffer.from(body.content, 'base64').toString('utf8')).toBe(content);
      }
      expect((await small.usage('alice')).cost).toBe(2);
      const repository = await small.fetch(`/repos/${owner}/${repo}`, { as: 'alice' });
      expect(repository.headers.get('x-cache-mode')).toBe('MISS');
    } finally {
      await small.close();
    }
  });

  it('counts responses by mode, path and token, and the budget GitHub reported, under Prow\'s metric names', async () => {
    const text = await w.metrics();
    const aliceHash = metricLines(text, 'ghcache_responses').find((l) => l.includes('mode="REVALIDATED"') && l.includes('path="/repos/:owner/:repo/labels"'));
    expect(aliceHash).toBeDefined();
    expect(metricLines(text, 'ghcache_responses').some((l) => l.includes('mode="SKIP"') && l.includes('path="/repos/:owner/:repo/issues/:issueId/labels"'))).toBe(true);
    const usage = metricLines(text, 'github_token_usage').filter((l) => l.includes('api_version="v3"') && l.includes('ratelimit_resource="core"'));
    expect(usage.length).toBeGreaterThanOrEqual(3);
    expect(metricLines(text, 'github_token_usage').some((l) => l.includes('api_version="v4"') && l.includes('ratelimit_resource="graphql"'))).toBe(true);
    expect(metricLines(text, 'github_request_duration_count').length).toBeGreaterThan(0);
    expect(metricLines(text, 'ghcache_cache_entry_age_seconds_count').length).toBeGreaterThan(0);
    expect(text).toContain('concurrent_outbound_requests 0');
    expect(text).toContain('prow_ghproxy_http_requests_total');
  });

  it('never writes a token into its logs', async () => {
    await w.fetch('/nowhere/at/all', { as: 'alice' });
    const text = w.logs.text();
    expect(text.length).toBeGreaterThan(0);
    for (const token of Object.values(w.tokens)) expect(text).not.toContain(token);
  });
});
