import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, strictPage } from './chromium.ts';
import { brokenMessage, brokenTest, flakyTest, startGridWorld, suite, unitBuilds, type GridWorld } from './grid-world.ts';
import { xssName } from './ui-world.ts';

let world: GridWorld;
let browser: Browser;
let base: string;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [world, browser] = await Promise.all([startGridWorld(), launchChromium()]);
  base = await world.ui.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await browser.close();
  await world.close();
});
afterEach(async () => {
  await page.close();
  // The browser asks for /favicon.ico, which is not served; every other console error is a failure.
  expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
});

const open = async (path: string): Promise<void> => {
  ({ page, errors } = await strictPage(browser));
  const res = await page.goto(`${base}${path}`);
  expect(res?.status()).toBe(200);
};
const openGrid = async (path: string): Promise<void> => {
  await open(path);
  await page.waitForSelector('#grid[data-ready="1"]');
};
const shownRows = (): Promise<string[]> => page.locator('#grid .tg-name').allTextContents();
const xss = encodeURIComponent(xssName);
/** What the tests touch of the page's DOM, run inside the page (the tests are typed without the DOM library). */
interface Styled {
  getComputedStyle(e: unknown): { backgroundColor: string };
}
interface Scrolled {
  scrollLeft: number;
  scrollTop: number;
  readonly scrollWidth: number;
  readonly scrollHeight: number;
}

describe('dashboards', () => {
  it('lists the groups and dashboards with each tab as a status badge, names as text', async () => {
    await open('/testgrid');
    expect(await page.locator('.tg-group h2').allTextContents()).toEqual(['acme', 'Other dashboards']);
    const badge = (d: string, t: string) => page.locator(`tr[data-dashboard="${d}"] a.tg-tab-badge >> text="${t}"`).getAttribute('data-status');
    expect(await badge('widgets', 'unit')).toBe('FAILING');
    expect(await badge('widgets', 'spin')).toBe('FLAKY');
    expect(await badge('widgets', 'e2e')).toBe('PASSING');
    expect(await badge('gadgets', 'lint')).toBe('STALE');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.textContent('main')).toContain(xssName);
    expect(await page.locator('.nav a.active').textContent()).toBe('Dashboards');
    await screenshot(page, 'testgrid-dashboards');
  });

  it("shows a dashboard's summary: statuses, failing tests with first failure and last pass, flakiness with trend", async () => {
    await open('/testgrid/widgets');
    const unit = page.locator('section[data-tab="unit"]');
    expect(await unit.locator('h2 .tg-badge').textContent()).toBe('FAILING');
    const failing = unit.locator('table.tg-failing-tests tbody tr', { hasText: brokenTest });
    expect(await failing.locator('td').nth(1).textContent()).toBe('6');
    expect(await failing.locator('td').nth(2).textContent()).toContain(world.unitBuild(5));
    expect(await failing.locator('td').nth(3).textContent()).toContain(world.unitBuild(6));
    expect(await failing.textContent()).toContain(brokenMessage);
    const flaky = unit.locator('table.tg-flaky-tests tbody tr').first();
    expect(await flaky.locator('td').first().textContent()).toBe(`${suite}.${flakyTest}`);
    expect(await flaky.locator('.tg-trend').textContent()).toBe('▲ up');
    await screenshot(page, 'testgrid-summary');
    await Promise.all([page.waitForURL(/\/testgrid\/widgets\/unit\/test\?name=/), failing.locator('a').click()]);
    expect(await page.textContent('h1')).toBe(`${suite}.${brokenTest}`);
  });
});

describe('grid', () => {
  it('draws the visible window of a tab: Overall first, newest build first, headers, colours and icons', async () => {
    await openGrid('/testgrid/widgets/unit');
    const rows = await shownRows();
    expect(rows[0]).toBe('Overall');
    expect(rows[1]).toBe(`${suite}.${xssName}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#grid a.tg-hc').first().textContent()).toBe(world.unitBuild(0));
    // The newest build is still running: its Overall cell is RUNNING (4).
    expect(await page.locator('#grid a.c[data-r="0"][data-c="0"]').getAttribute('class')).toBe('c s4');
    const broken = rows.indexOf(`${suite}.${brokenTest}`);
    const cell = page.locator(`#grid a.c[data-r="${String(broken)}"][data-c="1"]`);
    expect(await cell.getAttribute('class')).toBe('c s12');
    expect(await cell.textContent()).toBe('F');
    expect(await cell.evaluate((e: unknown) => (globalThis as unknown as Styled).getComputedStyle(e).backgroundColor)).toBe('rgb(170, 34, 68)');
    // Only the window is drawn, not every cell.
    expect(await page.locator('#grid a.c, #grid span.c').count()).toBeLessThan(rows.length * unitBuilds);
    await cell.hover();
    await page.waitForSelector('#grid-tip:not([hidden])');
    expect(await page.textContent('#grid-tip')).toContain(brokenMessage);
    expect(await page.textContent('.tg-alerts')).toContain(brokenTest);
    await screenshot(page, 'testgrid-grid');
  });

  it('filters in the query string: failures only, search, flaky only, sort by failures', async () => {
    await openGrid('/testgrid/widgets/unit');
    const all = await shownRows();
    const data = JSON.parse((await page.textContent('#grid-data')) ?? '{}') as { grid: { rows: { name: string }[] }; row_stats: { failures: number }[] };
    const passingOnly = data.grid.rows.filter((_, i) => data.row_stats[i]?.failures === 0).map((r) => r.name);
    expect(passingOnly.length).toBeGreaterThan(10);
    await Promise.all([page.waitForURL(/exclude-non-failed-tests=/), page.check('input[name=exclude-non-failed-tests]')]);
    await page.waitForSelector('#grid[data-ready="1"]');
    const failing = await shownRows();
    expect(failing.length).toBeLessThan(all.length);
    expect(failing).toContain(`${suite}.${brokenTest}`);
    expect(failing.filter((n) => passingOnly.includes(n))).toEqual([]);
    await page.goto(`${base}/testgrid/widgets/unit`);
    await page.waitForSelector('#grid[data-ready="1"]');
    await page.fill('input[name=include-filter-by-regex]', 'Gears[0-9]');
    await Promise.all([page.waitForURL(/include-filter-by-regex=Gears/), page.press('input[name=include-filter-by-regex]', 'Enter')]);
    await page.waitForSelector('#grid[data-ready="1"]');
    expect(await shownRows()).toEqual([1, 2, 3, 4, 5].map((n) => `${suite}.TestGears${String(n)}`));

    await page.goto(`${base}/testgrid/widgets/unit`);
    await Promise.all([page.waitForURL(/sort=failures/), page.selectOption('select[name=sort]', 'failures')]);
    await page.waitForSelector('#grid[data-ready="1"]');
    const sorted = await shownRows();
    expect(sorted.slice(0, 2)).toEqual(['Overall', `${suite}.${brokenTest}`]);

    await page.goto(`${base}/testgrid/widgets/unit`);
    await Promise.all([page.waitForURL(/flaky-tests-only=/), page.check('input[name=flaky-tests-only]')]);
    await page.waitForSelector('#grid[data-ready="1"]');
    const flaky = await shownRows();
    expect(flaky).toContain(`${suite}.${flakyTest}`);
    expect(flaky.length).toBeLessThan(all.length);
  });

  it("links a cell to its build's page", async () => {
    await openGrid('/testgrid/widgets/unit');
    const build = world.unitBuild(2);
    await Promise.all([page.waitForURL(new RegExp(`/view/gs/prow-artifacts/logs/ci-widgets-unit/${build}$`)), page.click('#grid a.c[data-r="0"][data-c="2"]')]);
    expect(await page.textContent('h1')).toBe(`logs/ci-widgets-unit/${build}`);
    expect(await page.textContent('main')).toContain('junit_unit.xml');
  });

  it('draws further cells when the grid scrolls', async () => {
    await openGrid('/testgrid/widgets/unit');
    const last = unitBuilds - 1;
    expect(await page.locator(`#grid a.c[data-c="${String(last)}"]`).count()).toBe(0);
    await page.locator('#grid').evaluate((e: Scrolled) => {
      e.scrollLeft = e.scrollWidth;
      e.scrollTop = e.scrollHeight;
    });
    await page.waitForSelector(`#grid a.c[data-c="${String(last)}"]`);
    const names = await shownRows();
    expect(names.at(-1)).toBe(`${suite}.TestStorage5`);
    expect(await page.locator('#grid a.c[data-c="0"]').count()).toBe(0);
  });

  it('shows a dashboard and tab named as markup as text', async () => {
    await openGrid(`/testgrid/${xss}/${xss}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.textContent('h1')).toBe(`${xssName} / ${xssName}`);
    expect(await shownRows()).toContain('Overall');
  });
});

describe('test history', () => {
  it("shows a test's cells over the columns, its flakiness and trend, and a daily chart", async () => {
    await open(`/testgrid/widgets/unit/test?name=${encodeURIComponent(`${suite}.${flakyTest}`)}`);
    expect(await page.locator('.tg-strip .c').count()).toBe(unitBuilds);
    expect(await page.locator('.tg-flakiness').textContent()).toContain('▲ up');
    expect(await page.locator('svg.tg-chart rect.tg-bar-flaky').count()).toBeGreaterThan(0);
    expect(await page.locator('table.tg-runs tbody tr').first().textContent()).toContain('FLAKY');
    await screenshot(page, 'testgrid-test-history');
    await Promise.all([page.waitForURL(/\/view\/gs\/prow-artifacts\/logs\/ci-widgets-unit\/\d+$/), page.locator('.tg-strip a.c').first().click()]);
  });

  it('shows a test named as markup as text', async () => {
    await open(`/testgrid/widgets/unit/test?name=${encodeURIComponent(`${suite}.${xssName}`)}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.textContent('h1')).toBe(`${suite}.${xssName}`);
    expect(await page.textContent('table.tg-runs')).toContain(xssName);
  });
});
