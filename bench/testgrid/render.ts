/**
 * The grid page at TestGrid's scale: a seeded 500-row × 1,000-column grid (mostly passing, some failures
 * and flakes, a few breakages) served through the real grid plugins from an in-memory GridSource, opened
 * in headless Chromium. Measured per load, in a fresh browser context: first contentful paint, and
 * interactive = navigation start until the grid is drawn, one scroll to its middle has drawn new cells,
 * and a hover there shows a cell's details. Beside it, in the same run, the naive page: the same grid as
 * one server-rendered <table> of 500,000 <td><a> cells. Medians of 5 loads. bench/testgrid.ts composes it.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createServer } from '../../lib/http/server.ts';
import { createLogger } from '../../lib/log.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { gridApi, type GridSource } from '../../services/testgrid-ui/api/grid.ts';
import { launchChromium } from '../../services/testgrid-ui/browser/chromium.ts';
import { testGroupDefaults, type Configuration } from '../../services/testgrid-ui/dashboards/config-types.ts';
import { buildLinkFor } from '../../services/testgrid-ui/grid/build-link.ts';
import { encodeResults, rowCells, type Grid, type GridRow, type Note } from '../../services/testgrid-ui/grid/grid.ts';
import { TestStatus } from '../../services/testgrid-ui/grid/status.ts';
import { gridNav, gridPages } from '../../services/testgrid-ui/pages/grid-pages.ts';
import { html } from '../../services/testgrid-ui/pages/html.ts';
import { defaultNav, pageLayout } from '../../services/testgrid-ui/pages/layout.ts';
import { staticFiles } from '../../services/testgrid-ui/pages/static-files.ts';

/** How `benchRender` runs. */
export interface RenderOptions {
  /** Test rows besides Overall; 499 (500 rows with it). */
  tests?: number;
  /** Columns (builds); 1,000. */
  columns?: number;
  /** Loads of each page; the median is reported. 5. */
  loads?: number;
  /** Loads of the naive page (each takes tens of seconds); `loads` unless set. */
  naiveLoads?: number;
  seed?: number;
}

/** One page's medians. */
export interface RenderFigures {
  firstPaintMs: number;
  interactiveMs: number;
}

/** What `benchRender` measured. */
export interface RenderResult extends RenderFigures {
  rows: number;
  columns: number;
  /** The grid page's grid JSON (`/api/testgrid/<d>/<t>`, the same JSON the page carries inline). */
  jsonBytes: number;
  naive: RenderFigures;
}

const areas = ['spin', 'gears', 'queue', 'config', 'render', 'storage', 'auth', 'api', 'cache', 'sched'];
const job = 'ci-widgets-e2e';
const gcsPrefix = `prow-artifacts/logs/${job}`;

/** A seeded grid: each test passes, fails (1%), flakes (0.5%), or is broken for a stretch of builds. */
export function syntheticGrid(tests: number, width: number, seed: number, newest: number): Grid {
  const random = seededRandom(seed);
  const columns = Array.from({ length: width }, (_, i) => {
    const build = String(1_790_000_000_000_000_000n + BigInt(width - i));
    return { build, started: newest - i * 20 * 60_000, finished: newest - i * 20 * 60_000 + 900_000, state: 'complete' as const, commit: (0xabcdef0 + width - i).toString(16).slice(0, 9), dir: `logs/${job}/${build}`, extra: [`v1.${String(30 + Math.floor((width - i) / 100))}.0`] };
  });
  const overall = new Array<number>(width).fill(TestStatus.PASS);
  const rows: GridRow[] = [];
  for (let t = 0; t < tests; t++) {
    const name = `[sig-${areas[t % areas.length] ?? ''}] Widgets ${String(Math.floor(t / areas.length))} should handle case_${String(t % 7)} with a longer description`;
    const statuses: number[] = [];
    const notes: Note[] = [];
    const brokenFrom = random() < 0.02 ? Math.floor(random() * width) : -1;
    for (let c = 0; c < width; c++) {
      const r = random();
      const broken = brokenFrom >= 0 && c >= brokenFrom && c < brokenFrom + 30;
      if (broken || r < 0.01) {
        statuses.push(TestStatus.FAIL);
        notes.push([c, 'F', `widget_test.go:${String(100 + (c % 300))}: expected ${String(c)} widgets, got ${String(c - 1)}`, 0]);
        overall[c] = TestStatus.FAIL;
      } else if (r < 0.015) {
        statuses.push(TestStatus.FLAKY);
        notes.push([c, '1/2', '1/2 runs passed: dial tcp 10.0.0.7:443: i/o timeout', 0]);
      } else statuses.push(TestStatus.PASS);
    }
    rows.push({ name, results: encodeResults(statuses), durations: statuses.map((_, c) => 1000 + ((c * 37 + t * 11) % 5000)), notes });
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : 1));
  const overallRow: GridRow = { name: 'Overall', results: encodeResults(overall), durations: overall.map(() => 900_000), notes: overall.flatMap((s, c): Note[] => (s === TestStatus.FAIL ? [[c, 'F', 'Build failed', -1]] : [])) };
  return { version: 1, columns, rows: [overallRow, ...rows], files: ['artifacts/junit_e2e.xml'] };
}

/** The naive page: every cell of the grid as a server-rendered table cell with its link and message. */
function naiveTable(grid: Grid): string {
  const links = grid.columns.map((c) => buildLinkFor(gcsPrefix, c.dir));
  const body = html`<table class="tg-naive"><thead><tr><th></th>${grid.columns.map((c) => html`<th>${c.build}</th>`)}</tr></thead><tbody>${grid.rows.map(
    (row) => html`<tr><th>${row.name}</th>${rowCells(grid, row).map((cell, c) => html`<td class="c s${cell.status}"><a href="${links[c] ?? '#'}" title="${cell.message ?? ''}">${cell.icon ?? ''}</a></td>`)}</tr>`,
  )}</tbody></table>`;
  return pageLayout([...defaultNav, gridNav])({ title: 'bench / grid (one table)', path: '/naive', body, styles: ['grid.css'] });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

const nextFrames = 'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))';
const firstPaint = "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1";

async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (box === null) throw new Error(`${selector} is not on the page`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** One load of the grid page: drawn, scrolled to the middle with new cells drawn, and a cell hovered. */
async function loadGridPage(page: Page, url: string): Promise<RenderFigures> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('#grid[data-ready="1"]', { timeout: 60_000 });
  const before = await page.getAttribute('#grid', 'data-window');
  await page.evaluate("(() => { const g = document.getElementById('grid'); g.scrollTop = g.scrollHeight / 2; g.scrollLeft = g.scrollWidth / 2; })()");
  await page.waitForFunction(`document.getElementById('grid').dataset.window !== ${JSON.stringify(before)}`);
  const { x, y } = await centre(page, '#grid');
  await page.mouse.move(x, y + 60);
  await page.waitForSelector('#grid-tip:not([hidden])');
  const interactiveMs = Number(await page.evaluate('performance.now()'));
  return { firstPaintMs: Number(await page.evaluate(firstPaint)), interactiveMs };
}

/** One load of the naive page: loaded, scrolled to the middle and painted, and a cell hovered. */
async function loadNaivePage(page: Page, url: string): Promise<RenderFigures> {
  await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
  await page.evaluate('window.scrollTo(document.documentElement.scrollWidth / 2, document.documentElement.scrollHeight / 2)');
  await page.evaluate(nextFrames);
  await page.mouse.move(640, 400);
  await page.evaluate(nextFrames);
  const interactiveMs = Number(await page.evaluate('performance.now()'));
  return { firstPaintMs: Number(await page.evaluate(firstPaint)), interactiveMs };
}

async function measure(browser: Browser, loads: number, load: (page: Page) => Promise<RenderFigures>): Promise<RenderFigures> {
  const runs: RenderFigures[] = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      runs.push(await load(await context.newPage()));
    } finally {
      await context.close();
    }
  }
  return { firstPaintMs: median(runs.map((r) => r.firstPaintMs)), interactiveMs: median(runs.map((r) => r.interactiveMs)) };
}

/** Serves the synthetic grid through the grid plugins and the naive table beside it, and loads both in Chromium. */
export async function benchRender(opts: RenderOptions = {}): Promise<RenderResult> {
  const newest = Date.UTC(2026, 0, 15, 12);
  const grid = syntheticGrid(opts.tests ?? 499, opts.columns ?? 1000, opts.seed ?? 7, newest);
  const config: Configuration = {
    test_groups: [{ ...testGroupDefaults, name: job, gcs_prefix: gcsPrefix, column_header: [{ configuration_value: 'Commit' }, { configuration_value: 'job-version' }] }],
    dashboards: [{ name: 'bench', description: '', downplay_failing_tabs: false, highlight_today: false, dashboard_tab: [{ name: 'grid', test_group_name: job, description: '', base_options: '' }] }],
    dashboard_groups: [],
  };
  const source: GridSource = {
    config: () => config,
    grids: { read: (group) => Promise.resolve(group === job ? { grid, state: { configHash: '', updated: newest + 600_000, lastRead: [] } } : undefined) },
    now: () => newest + 3_600_000,
  };
  const app = createServer({ name: 'bench-testgrid-render', logger: createLogger({ level: 'warn', name: 'bench-testgrid-render' }) });
  void app.register(staticFiles);
  void app.register(gridApi(source));
  void app.register(gridPages(source, pageLayout([...defaultNav, gridNav])));
  const naive = naiveTable(grid);
  app.get('/naive', (_req, reply) => reply.type('text/html; charset=utf-8').send(naive));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  const browser = await launchChromium();
  try {
    const jsonBytes = Buffer.byteLength(await (await fetch(`${base}/api/testgrid/bench/grid`)).text());
    const loads = opts.loads ?? 5;
    const ours = await measure(browser, loads, (page) => loadGridPage(page, `${base}/testgrid/bench/grid`));
    const baseline = await measure(browser, opts.naiveLoads ?? loads, (page) => loadNaivePage(page, `${base}/naive`));
    return { rows: grid.rows.length, columns: grid.columns.length, jsonBytes, ...ours, naive: baseline };
  } finally {
    await browser.close();
    await app.close();
  }
}
