import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, strictPage } from './chromium.ts';
import { startTriageWorld, type TriageWorld } from './triage-world.ts';
import { xssName } from './ui-world.ts';

let world: TriageWorld;
let browser: Browser;
let base: string;
let page: Page;
let errors: string[];
/** Answers of 400 and over, but the browser's own favicon request. */
let failed: string[];

beforeAll(async () => {
  [world, browser] = await Promise.all([startTriageWorld(), launchChromium()]);
  base = await world.ui.app.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  await browser.close();
  await world.close();
});
afterEach(async () => {
  await page.close();
  expect(failed).toEqual([]);
  // Chromium logs each 404 to the console too; those are checked above by URL.
  expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
});

const clusters = (): Promise<number> => page.locator('li.cluster').count();

describe('triage page', () => {
  it('shows the clusters ranked with their sparklines, narrows them by SIG and text, and links to a build', async () => {
    ({ page, errors } = await strictPage(browser));
    failed = [];
    page.on('response', (res) => {
      if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) failed.push(`${String(res.status())} ${res.url()}`);
    });
    expect((await page.goto(`${base}/triage`))?.status()).toBe(200);
    expect(await clusters()).toBe(4);
    const first = page.locator('li.cluster').first();
    expect(await first.locator('pre.key').textContent()).toContain('i/o timeout');
    expect(await first.locator('pre.key mark.var').count()).toBeGreaterThan(2);
    expect(await first.locator('svg.spark rect').count()).toBe(14);
    expect(await first.locator('.owner').textContent()).toBe('sig/network');
    expect(await first.locator('ul.jobs li').count()).toBe(3);
    // Six tests: three shown, the rest folded until asked for.
    expect(await first.locator('.hits details.more').isVisible()).toBe(true);
    expect(await first.locator('details.more ul.tests li').first().isVisible()).toBe(false);
    // The test named as markup, and its text, show as text: no element made, no dialog (strictPage).
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.locator('li.cluster details.text pre', { hasText: `${xssName} expected <b>bold</b>` }).count()).toBe(1);
    expect(await page.locator('ul.tests li', { hasText: xssName }).count()).toBe(1);
    await screenshot(page, 'triage');

    await first.locator('details.more summary').first().click();
    expect(await first.locator('details.more ul.tests li').first().isVisible()).toBe(true);

    await Promise.all([page.waitForURL(/sig=storage/), page.selectOption('select[name=sig]', 'storage')]);
    expect(await clusters()).toBe(1);
    expect(await page.locator('li.cluster pre.key').textContent()).toContain('expected phase Bound');

    await page.goto(`${base}/triage`);
    await page.fill('input[name=text]', 'activeQ');
    await Promise.all([page.waitForURL(/text=activeQ/), page.press('input[name=text]', 'Enter')]);
    expect(await clusters()).toBe(1);
    const example = page.locator('li.cluster a.example').first();
    const label = (await example.textContent()) ?? '';
    expect(label).toMatch(/^pull-kubernetes-unit #\d+$/);
    const build = label.split('#')[1] ?? '';
    await Promise.all([page.waitForURL(new RegExp(`/view/gs/prow-artifacts/logs/pull-kubernetes-unit/${build}$`)), example.click()]);
    expect(await page.textContent('h1')).toBe(`logs/pull-kubernetes-unit/${build}`);
    expect(await page.locator('a.artifact', { hasText: 'junit_unit.xml' }).count()).toBe(1);
  });
});
