import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, strictPage } from './chromium.ts';
import { startUiWorld, xssName, type UiWorld } from './ui-world.ts';

let world: UiWorld;
let browser: Browser;
let base: string;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [world, browser] = await Promise.all([startUiWorld(), launchChromium()]);
  base = await world.app.listen({ port: 0, host: '127.0.0.1' });
}, 90_000);
afterAll(async () => {
  await browser.close();
  await world.close();
});
afterEach(async () => {
  await page.close();
  // A 404 for a build that never uploaded is what the link says; every other console error is a failure.
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});
const open = async (path: string): Promise<void> => {
  ({ page, errors } = await strictPage(browser));
  const res = await page.goto(`${base}${path}`);
  expect(res?.status()).toBe(200);
};
/** The page shows the markup-named value as text and made no element of it. */
const showsXssAsText = async (): Promise<void> => {
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.textContent('main')).toContain(xssName);
};

describe('jobs', () => {
  it('lists the jobs, filters by state, and links to the build and the PR page', async () => {
    await open('/');
    expect(await page.locator('table.jobs tbody tr').count()).toBe(6);
    await showsXssAsText();
    await screenshot(page, 'jobs');
    await Promise.all([page.waitForURL(/state=failure/), page.selectOption('select[name=state]', 'failure')]);
    expect(await page.locator('table.jobs tbody tr').count()).toBe(3);
    expect(await page.locator('table.jobs tbody tr[data-state=failure]').count()).toBe(3);
    await page.fill('input[name=job]', 'unit');
    await Promise.all([page.waitForURL(/job=unit/), page.press('input[name=job]', 'Enter')]);
    expect(await page.locator('table.jobs tbody tr').count()).toBe(2);
    await Promise.all([page.waitForURL(/\/view\/gs\/prow-artifacts\/pr-logs\/pull\/acme_widgets\/7\/pull-widgets-unit\/101$/), page.click('a.build-link >> text=build 101')]);
    expect(await page.textContent('h1')).toBe('pull-widgets-unit #101');
    await page.goBack();
    await Promise.all([page.waitForURL(/\/pr-history\?org=acme&repo=widgets&pr=7$/), page.click('a.pr-link >> text=#7')]);
    expect(await page.locator('section.pr-job h2').allTextContents()).toEqual(['pull-widgets-lint pending', 'pull-widgets-unit success']);
    await screenshot(page, 'pr-history');
  });
});

describe('build page', () => {
  it('shows the first piece of a long log with failures marked, and loads the rest on request', async () => {
    await open('/view/gs/prow-artifacts/pr-logs/pull/acme_widgets/7/pull-widgets-unit/101');
    const first = await page.locator('#log .line').count();
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThan(3000);
    expect(await page.locator('#log-failures li').count()).toBe(1);
    await screenshot(page, 'build');
    await page.click('#log-more button[data-load=all]');
    await page.waitForSelector('#log-more', { state: 'detached' });
    expect(await page.locator('#log .line').count()).toBe(3000);
    expect(await page.textContent('#l3000')).toContain('TestWidget3000');
    expect(await page.locator('#log .line.failure').count()).toBe(await page.locator('#log-failures li').count());
    expect(await page.locator('#log .line.failure').count()).toBe(1 + 12 + 9);
    await Promise.all([page.waitForURL(/#l250$/), page.click('#log-failures a >> text=line 250')]);
    const [download] = await Promise.all([page.waitForResponse(/\/artifact\/.*\/started\.json$/), page.click('a.artifact >> text=started.json')]);
    expect(download.status()).toBe(200);
  });

  it('shows a job and log named as markup as text', async () => {
    await open('/view/gs/prow-artifacts/logs/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/105');
    await showsXssAsText();
    expect(await page.locator('#log .line.failure').count()).toBe(1);
  });
});

describe('merge queue', () => {
  it("shows Tide's pools and trains, and narrows the history by pool", async () => {
    await open('/tide');
    expect(await page.textContent('section.pool h2')).toContain('acme/widgets:main');
    expect(await page.locator('table.trains tbody tr').count()).toBe(1);
    expect(await page.locator('table.history tbody tr').count()).toBe(3);
    await showsXssAsText();
    await screenshot(page, 'merge-queue');
    await Promise.all([page.waitForURL(/pool=acme%2Fgadgets/), page.selectOption('select[name=pool]', 'acme/gadgets:main')]);
    expect(await page.locator('table.history tbody tr').count()).toBe(1);
  });
});

describe('PR dashboard', () => {
  it("shows a login's PRs and what each still needs", async () => {
    await open('/pr');
    await page.fill('input[name=login]', 'alice');
    await Promise.all([page.waitForURL(/login=alice/), page.press('input[name=login]', 'Enter')]);
    expect(await page.locator('#authored table.prs tbody tr').count()).toBe(4);
    expect(await page.locator('#reviewing table.prs tbody tr').count()).toBe(1);
    expect(await page.locator('li[data-need=hold]').count()).toBe(1);
    expect(await page.locator('tr.ready').count()).toBe(1);
    await showsXssAsText();
    await screenshot(page, 'pr-dashboard');
    const jobsLink = page.locator('#authored a.jobs-link').first();
    expect(await jobsLink.getAttribute('href')).toMatch(/^\/pr-history\?org=acme&repo=widgets&pr=\d+$/);
  });
});

describe('command help', () => {
  it("lists hook's commands and narrows them to a repository's plugins", async () => {
    await open('/command-help');
    const all = await page.locator('table.commands tbody tr').count();
    await screenshot(page, 'command-help');
    await Promise.all([page.waitForURL(/repo=acme%2Fwidgets/), page.selectOption('select[name=repo]', 'acme/widgets')]);
    const narrowed = await page.locator('table.commands tbody tr').count();
    expect(narrowed).toBeGreaterThan(0);
    expect(narrowed).toBeLessThan(all);
    const shown = new Set<string | null>();
    for (const row of await page.locator('table.commands tbody tr').all()) shown.add(await row.getAttribute('data-plugin'));
    expect(shown).toEqual(new Set(['lgtm', 'approve', 'hold', 'trigger']));
    await Promise.all([page.waitForURL(/\/$/), page.click('nav a >> text=Jobs')]);
  });
});
