import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobUrl } from '../../lib/jobs/index.ts';
import { plugins } from '../../plugins/index.ts';
import { junitLensFrom } from './api/junit-lens.ts';
import type { LogPiece } from './api/build-log.ts';
import type { JobRow, PrHistory } from './api/jobs.ts';
import type { PrDashboard, PrNeeds } from './api/pr-dashboard.ts';
import { buildTestgridApp } from './app.ts';
import { inlineJUnitParser } from './junit/junit-parser.ts';
import { longLog, startUiWorld, worldPieceBytes, xssName, type UiWorld } from './browser/ui-world.ts';

/** The service's own JUnit lens: the grid data layer's reader, parsing in this thread. */
const junitLens = junitLensFrom(inlineJUnitParser);

let world: UiWorld;
beforeAll(async () => {
  world = await startUiWorld();
}, 60_000);
afterAll(async () => {
  await world.close();
});

const get = async (url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> => {
  const res = await world.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body, headers: res.headers };
};
const json = async <T>(url: string): Promise<T> => {
  const res = await get(url);
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as T;
};

describe('jobs', () => {
  it('lists every ProwJob newest first, and each filter narrows the list', async () => {
    const all = (await json<{ jobs: JobRow[] }>('/api/jobs')).jobs;
    expect(all.map((r) => r.name)).toEqual(['xss', 'bobs', 'lint', 'unit-new', 'post', 'unit-old']);
    expect((await json<{ jobs: JobRow[] }>('/api/jobs?state=failure')).jobs.map((r) => r.name)).toEqual(['xss', 'bobs', 'unit-old']);
    expect((await json<{ jobs: JobRow[] }>('/api/jobs?author=BOB')).jobs.map((r) => r.name)).toEqual(['bobs']);
    expect((await json<{ jobs: JobRow[] }>('/api/jobs?type=postsubmit')).jobs.map((r) => r.name)).toEqual(['post']);
    expect((await json<{ jobs: JobRow[] }>('/api/jobs?repo=acme/widgets&job=unit&state=failure')).jobs.map((r) => r.name)).toEqual(['bobs', 'unit-old']);
    expect((await json<{ jobs: JobRow[] }>('/api/jobs?repo=acme/gadgets')).jobs).toEqual([]);
  });

  it('links each row to its build page at the path plank puts in status.url, and to its PR page', async () => {
    const [row] = (await json<{ jobs: JobRow[] }>('/api/jobs?author=bob')).jobs;
    expect(row?.buildPath).toBe('/view/gs/prow-artifacts/pr-logs/pull/acme_widgets/8/pull-widgets-unit/104');
    expect(row?.prPath).toBe('/pr-history?org=acme&repo=widgets&pr=8');
    const plankUrl = jobUrl(world.job.bobs ?? (() => { throw new Error('no job'); })(), { job_url_prefix_config: { '*': 'https://prow.example.com/view/' } });
    expect(new URL(plankUrl ?? '').pathname).toBe(row?.buildPath);
  });

  it('renders the page with the filters applied and the job named as markup shown as text', async () => {
    const page = await get('/?state=failure');
    expect(page.status).toBe(200);
    expect(page.body).toContain('3 of 6 jobs');
    expect(page.body).not.toContain(xssName);
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).toContain('<option value="failure" selected>');
  });

  it("answers a PR's jobs grouped by job, newest run first", async () => {
    const history = await json<PrHistory>('/api/pr-history?org=acme&repo=widgets&pr=7');
    expect(history.jobs.map((j) => [j.job, j.runs.map((r) => r.name)])).toEqual([
      ['pull-widgets-lint', ['lint']],
      ['pull-widgets-unit', ['unit-new', 'unit-old']],
    ]);
    const page = await get('/pr-history?org=acme&repo=widgets&pr=7');
    expect(page.body).toContain('acme/widgets#7');
    expect((await get('/api/pr-history?org=acme')).status).toBe(400);
  });
});

describe('build page', () => {
  const unitOld = '/pr-logs/pull/acme_widgets/7/pull-widgets-unit/101';

  it('reads the metadata pod-utils uploaded, the first piece of the log and the artifact list', async () => {
    const view = await json<{ started: { timestamp: number }; finished: { result: string }; prowjob: { metadata: { name: string } }; log: LogPiece; artifacts: { name: string; href: string }[] }>(`/api/view/gs/prow-artifacts${unitOld}`);
    expect(view.finished.result).toBe('FAILURE');
    expect(view.prowjob.metadata.name).toBe('unit-old');
    expect(view.artifacts.map((a) => a.name).sort()).toEqual(['artifacts/junit_01.xml', 'build-log.txt', 'finished.json', 'prowjob.json', 'started.json']);
    expect(view.log.done).toBe(false);
    expect(view.log.next).toBeLessThanOrEqual(worldPieceBytes);
    expect(view.log.lines[0]).toEqual({ number: 1, text: 'I0115 12:00:00.000 step 1: building widgets and gadgets', failure: false });
  });

  it('gives the whole log in pieces that end on line ends, numbered on, with failure lines marked', async () => {
    const expected = longLog(3000).split('\n').slice(0, -1);
    const lines: string[] = [];
    const failures: number[] = [];
    let start = 0;
    let line = 1;
    let pieces = 0;
    for (;;) {
      const piece = await json<LogPiece>(`/api/log/gs/prow-artifacts${unitOld}?start=${String(start)}&line=${String(line)}`);
      pieces++;
      expect(piece.lines[0]?.number).toBe(line);
      for (const l of piece.lines) {
        lines.push(l.text);
        if (l.failure) failures.push(l.number);
      }
      line += piece.lines.length;
      start = piece.next;
      if (piece.done) break;
    }
    expect(pieces).toBeGreaterThan(10);
    expect(lines).toEqual(expected);
    expect(failures).toEqual(expected.flatMap((t, i) => (/FAIL|ERROR:/.test(t) ? [i + 1] : [])));
    expect((await get(`/api/log/gs/prow-artifacts${unitOld}?start=-1`)).status).toBe(400);
  });

  it('serves artifact bytes as stored, sandboxed so a job HTML file cannot act as the dashboard', async () => {
    const res = await get(`/artifact/gs/prow-artifacts${unitOld}/artifacts/junit_01.xml`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('TestWidgetCount');
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.headers['content-security-policy']).toBe('sandbox');
    expect((await get(`/artifact/gs/prow-artifacts${unitOld}/nothing.txt`)).status).toBe(404);
  });

  it('renders metadata, highlighted failures, the artifacts and no JUnit section without a lens', async () => {
    const page = await get(`/view/gs/prow-artifacts${unitOld}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('pull-widgets-unit #101');
    expect(page.body).toContain('<span class="line failure" id="l40">');
    expect(page.body).toContain('data-load="all"');
    expect(page.body).not.toContain('class="lens junit"');
    expect(page.body).toContain(`href="/artifact/gs/prow-artifacts${unitOld}/build-log.txt"`);
  });

  it('renders what the JUnit lens answers, failures first, names escaped', async () => {
    const app = buildTestgridApp({ ...world.deps, junitLens });
    const page = await app.inject({ method: 'GET', url: '/view/gs/prow-artifacts/logs/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/105' });
    await app.close();
    expect(page.statusCode, page.body).toBe(200);
    // The bare <skipped/> is dropped, as TestGrid's reader drops it (and the grid shows no cell for it).
    expect(page.body).toContain('JUnit: 1 failed, 0 flaky, 1 passed, 0 skipped');
    expect(page.body).toContain('widget_test.go:12: expected 3 widgets, got 2');
    expect(page.body).not.toContain(xssName);
    expect(page.body.split('&lt;img src=x onerror=alert(1)&gt;').length).toBeGreaterThan(4);
  });

  it('answers 404 with what to check for a build that is not there', async () => {
    const res = await get('/view/gs/prow-artifacts/logs/nope/1');
    expect(res.status).toBe(404);
    expect(res.body).toContain('no build at logs/nope/1');
    expect((await get('/api/view/gs/prow-artifacts/logs/nope/1')).status).toBe(404);
  });
});

describe('merge queue', () => {
  it("serves Tide's pools and history as Tide answers them", async () => {
    const pools = await json<{ Org: string; Queue: { Number: number }[] }[]>('/api/tide');
    expect(pools.map((p) => [p.Org, p.Queue.map((q) => q.Number)])).toEqual([['acme', [world.pr.ready]]]);
    const history = await json<Record<string, { action: string }[]>>('/api/tide-history');
    expect(history['acme/widgets:main']?.map((r) => r.action)).toEqual(['TRIGGER', 'MERGE']);
  });

  it('renders queue, trains and history, narrowed by pool', async () => {
    const page = await get('/tide');
    expect(page.body).toContain('acme/widgets:main');
    expect(page.body).toContain('t-1');
    expect(page.body).toContain('MERGE_BATCH');
    expect(page.body).not.toContain(xssName);
    const narrowed = await get('/tide?pool=acme%2Fwidgets%3Amain');
    expect(narrowed.body).not.toContain('MERGE_BATCH');
  });

  it('says which setting to check when Tide does not answer', async () => {
    const app = buildTestgridApp({ ...world.deps, tide: (await import('./api/merge-queue.ts')).tideOverHttp('http://127.0.0.1:1') });
    const res = await app.inject({ method: 'GET', url: '/api/tide' });
    await app.close();
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('TESTGRID_TIDE_URL');
  });
});

describe('PR dashboard', () => {
  let dash: PrDashboard;
  const needs = (p: PrNeeds | undefined): string[] => (p?.needs ?? []).map((n) => n.kind);
  const authored = (key: string): PrNeeds | undefined => dash.authored.find((p) => p.number === world.pr[key]);
  beforeAll(async () => {
    dash = await json<PrDashboard>('/api/pr?login=alice');
  }, 30_000);

  it("finds the login's PRs and the PRs waiting for their review", () => {
    expect(dash.authored.map((p) => p.number)).toEqual(['failing', 'held', 'ready', 'conflict'].map((k) => world.pr[k]));
    expect(dash.reviewing.map((p) => p.number)).toEqual([world.pr.outsider]);
  });

  it('says what each still needs, as Tide judges it', () => {
    expect(needs(authored('failing'))).toEqual(['approve', 'failing-tests']);
    expect(authored('failing')?.tide).toBe('Not mergeable. Needs approved label.');
    expect(needs(authored('held'))).toEqual(['hold']);
    expect(needs(authored('ready'))).toEqual([]);
    expect(authored('ready')?.tide).toBe('In merge pool.');
    expect(authored('ready')?.queue).toEqual({ pool: 'acme/widgets:main', position: 1 });
    expect(needs(authored('conflict'))).toEqual(['conflict']);
    expect(needs(dash.reviewing[0])).toEqual(['lgtm', 'approve', 'needs-ok-to-test', 'missing-tests']);
    expect(dash.reviewing[0]?.needs.find((n) => n.kind === 'missing-tests')?.contexts).toEqual(['unit']);
  });

  it('renders the page, titles escaped, and refuses a login that is not one', async () => {
    const page = await get('/pr?login=alice');
    expect(page.body).toContain('data-need="hold"');
    expect(page.body).not.toContain(xssName);
    const bad = await get('/api/pr?login=alice%20repo:other/x');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('not a GitHub login');
  });
});

describe('command help', () => {
  it("lists the commands of hook's /plugin-help, by repository and search", async () => {
    const all = await json<{ commands: { plugin: string; usage: string }[] }>('/api/command-help');
    // No repository: every plugin hook has, as Prow's "" entry lists them.
    expect(new Set(all.commands.map((c) => c.plugin))).toEqual(new Set(plugins.filter((p) => p.help.commands.length > 0).map((p) => p.name)));
    const widgets = await json<{ commands: { plugin: string }[] }>('/api/command-help?repo=acme/widgets');
    expect(new Set(widgets.commands.map((c) => c.plugin))).toEqual(new Set(['lgtm', 'approve', 'hold', 'trigger'].filter((n) => plugins.find((p) => p.name === n)?.help.commands.length)));
    const held = await json<{ commands: { plugin: string }[] }>('/api/command-help?repo=acme/widgets&search=hold');
    expect([...new Set(held.commands.map((c) => c.plugin))]).toEqual(['hold']);
    const page = await get('/command-help?repo=acme%2Fwidgets');
    expect(page.body).toContain('/lgtm');
    expect(page.body).toContain('<option value="acme/widgets" selected>');
  });
});

describe('the service side', () => {
  it('has /healthz and /metrics under its own prefix, and the nav marks the page', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/metrics')).body).toContain('prow_testgrid_ui_http_requests_total');
    expect((await get('/tide')).body).toContain('<a href="/tide" class="active" aria-current="page">Merge queue</a>');
    const app = buildTestgridApp({ ...world.deps, nav: [{ href: '/', label: 'Jobs' }, { href: '/grid', label: 'Grid' }] });
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(res.body).toContain('<a href="/grid">Grid</a>');
    const missing = await get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('nothing is served at /nowhere;');
    expect(JSON.parse((await get('/api/nowhere')).body)).toEqual({ error: 'nothing is served at /api/nowhere' });
  });
});
