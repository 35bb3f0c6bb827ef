import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTriageWorld, triageJobs, type TriageWorld } from '../browser/triage-world.ts';
import { xssName } from '../browser/ui-world.ts';
import { RedisFailureStore } from '../triage/failure-store.ts';
import type { TriageSummary } from '../triage/summary.ts';
import { TriageFeed } from '../triage/triage-feed.ts';

let world: TriageWorld;
beforeAll(async () => {
  world = await startTriageWorld();
}, 60_000);
afterAll(async () => {
  await world.close();
});

const get = async (url: string): Promise<{ status: number; body: string; type: string }> => {
  const res = await world.ui.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body, type: String(res.headers['content-type']) };
};
const triage = async (query = ''): Promise<TriageSummary> => {
  const res = await get(`/api/triage${query}`);
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as TriageSummary;
};

describe('GET /api/triage over builds the updater read', () => {
  it('ranks the API server timeout first: many tests in three jobs, mostly in the last two days', async () => {
    const summary = await triage();
    const [api] = summary.clusters;
    expect(api?.key).toContain('i/o timeout');
    expect(api?.jobs.map((j) => j.name).sort()).toEqual(triageJobs.filter((j) => j.includes('e2e')).sort());
    expect(api?.tests.length).toBe(6);
    expect(api?.owner).toBeDefined();
    expect(api?.daily.slice(-2).every((n) => n >= 18)).toBe(true);
    expect(api?.examples[0]?.url).toMatch(/^\/view\/gs\/prow-artifacts\/logs\/[a-z0-9-]+\/\d+$/);
    const keys = summary.clusters.map((c) => c.key);
    expect(keys.some((k) => k.includes('phase Bound, got Pending'))).toBe(true);
    expect(keys.some((k) => k.includes('expected 3 pods in activeQ'))).toBe(true);
    expect(summary.clusters.every((c) => c.total > 0)).toBe(true);
  });

  it('narrows by job, test, text and SIG', async () => {
    const all = await triage();
    const unit = await triage('?job=pull-kubernetes-unit');
    expect(unit.clusters.flatMap((c) => c.jobs.map((j) => j.name))).toEqual(unit.clusters.map(() => 'pull-kubernetes-unit'));
    expect(unit.failures).toBeLessThan(all.failures);
    const storage = await triage('?sig=storage');
    expect(storage.clusters.map((c) => c.owner)).toEqual(storage.clusters.map(() => 'storage'));
    expect(storage.clusters.some((c) => c.key.includes('phase Bound'))).toBe(true);
    const dns = await triage('?test=DNS&text=i/o+timeout');
    expect(dns.clusters).toHaveLength(1);
    expect(dns.clusters[0]?.tests.map((t) => t.name)).toEqual(['Kubernetes e2e suite.[sig-network] DNS should provide DNS for services']);
    expect((await triage('?text=no+such+failure')).clusters).toEqual([]);
  });

  it('answers the same clusters from a feed opened again over the same Redis', async () => {
    const store = new RedisFailureStore(world.redis, { now: () => world.feed.summary().now });
    try {
      const again = await TriageFeed.open({ store, now: () => world.feed.summary().now });
      const ids = (s: TriageSummary) => s.clusters.map((c) => [c.id, c.total, c.daily.join(',')]);
      expect(ids(again.summary())).toEqual(ids(await triage()));
    } finally {
      await store.close();
    }
  });
});

describe('/triage', () => {
  it('renders the clusters with sparklines, marked keys and build links, names as markup shown as text', async () => {
    const page = await get('/triage');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<link rel="stylesheet" href="/static/triage.css">');
    expect(page.body).toContain('<a href="/triage" class="active" aria-current="page">Triage</a>');
    expect(page.body).toMatch(/<svg class="spark"[^>]*aria-label="failures per day: (\d+, ){13}\d+"/);
    expect(page.body).toMatch(/<mark class="var">UNIQ\d+<\/mark>/);
    expect(page.body).toMatch(/<a class="example" href="\/view\/gs\/prow-artifacts\/logs\/[a-z0-9-]+\/\d+">/);
    expect(page.body).not.toContain(xssName);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps the filters in the form and narrows the list', async () => {
    const page = await get('/triage?sig=storage&text=Bound');
    expect(page.body).toContain('<option value="storage" selected>');
    expect(page.body).toContain('name="text" value="Bound"');
    expect(page.body.match(/<li class="cluster"/g)).toHaveLength(1);
  });

  it('serves its stylesheet beside app.css', async () => {
    const css = await get('/static/triage.css');
    expect(css.status).toBe(200);
    expect(css.type).toMatch(/^text\/css/);
    expect(css.body).toContain('svg.spark');
    expect((await get('/static/app.css')).status).toBe(200);
  });
});
