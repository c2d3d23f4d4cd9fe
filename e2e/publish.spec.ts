/**
 * The course published as a static site under a sub-path (issue 17): built with SITE_BASE=/tcp-lab/ into a
 * directory of its own (not the dist/ the other specs serve), served by a plain static host on a port of its
 * own, once with no headers at all (GitHub Pages: the service worker isolates the pages after one reload) and
 * once with the build's _headers applied (Netlify, Cloudflare Pages: isolated from the first load).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readBuildManifest } from '../src/server/build-manifest.ts';
import { escapingUrlsOf } from '../src/publish/integration.ts';
import { HEADERS_FILE, parseHeadersFile } from '../src/publish/headers-file.ts';
import { NO_LOCAL_SERVER } from '../src/runners/local/protocol.ts';
import { ensurePublishBuild, projectRoot, PUBLISH_BASE as BASE, PUBLISH_SITE as SITE, publishOutDir as outDir } from './support/publish-build.ts';
import { startStaticHost, type StaticHost } from './support/static-host.ts';

// One worker builds the site once and runs these in order (a failure does not skip the others).
test.describe.configure({ mode: 'default' });

test.beforeAll(() => {
  test.setTimeout(300_000);
  ensurePublishBuild();
});

let host: StaticHost;
test.afterEach(async () => {
  await host?.close();
});

/**
 * Watches what the page asks for: every request must stay on the host under the base path and succeed.
 * Loads cut short by the one reload (net::ERR_ABORTED) are not failures.
 */
function watchNetwork(page: Page): { problems: string[] } {
  const problems: string[] = [];
  const origin = () => host.origin;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin() || !url.pathname.startsWith(BASE)) problems.push(`request outside ${BASE}: ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return { problems };
}

/** What the host saw (the service worker's fetches included): everything under the base, nothing missing. */
function expectCleanHostLog() {
  expect(host.log.length).toBeGreaterThan(0);
  expect(host.log.filter((r) => !r.path.startsWith(BASE) || r.status === 404)).toEqual([]);
}

/** Opens a page of the site on the plain host: it reloads once through the service worker, then is isolated. */
async function openIsolated(page: Page, path: string): Promise<void> {
  await page.goto(`${host.origin}${BASE}${path}`);
  await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
}

async function typeIn(page: Page, lab: Locator, n: number, command: string) {
  await lab.getByRole('tab', { name: `Terminal ${n}` }).click();
  await lab.locator('.term-panel:not([hidden]) .xterm').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

test('the build for /tcp-lab/ keeps every address under the base, and records how it was built', () => {
  expect(escapingUrlsOf(outDir, BASE)).toEqual([]);
  expect(readBuildManifest(outDir)).toEqual(SITE);
  expect(existsSync(join(outDir, '.nojekyll'))).toBe(true);
  const rules = parseHeadersFile(readFileSync(join(outDir, HEADERS_FILE), 'utf8'));
  expect(rules.map((r) => r.path)).toEqual([`${BASE}*`, `${BASE}_astro/*`]);
  expect(Object.fromEntries(rules[0]!.headers)).toMatchObject({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'X-Frame-Options': 'DENY' });
});

test.describe('on a host that sends no headers (GitHub Pages)', () => {
  test.beforeEach(async () => {
    host = await startStaticHost({ root: outDir, base: BASE });
  });

  test('the home page reloads once through the service worker, says why, and is then cross-origin isolated', async ({ page }) => {
    const net = watchNetwork(page);
    let navigations = 0;
    page.on('framenavigated', (frame) => void (frame === page.mainFrame() && navigations++));
    await page.goto(`${host.origin}${BASE}`);
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(navigations).toBe(2);
    await expect(page.getByRole('status').filter({ hasText: 'reloaded once' })).toHaveText(/^This page reloaded once so that WebContainer can run here: this host cannot send the cross-origin isolation headers/);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const axe = await new AxeBuilder({ page }).include('[data-isolation-notice]').analyze();
      expect(axe.violations.map((v) => `${scheme}: ${v.id}`)).toEqual([]);
    }
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((r) => new URL(r.scope).pathname))).toEqual([BASE]);
    // The next page comes through the worker at once: no second reload, no notice.
    await page.getByRole('link', { name: 'Open the sandbox' }).click();
    await expect(page).toHaveURL(`${host.origin}${BASE}sandbox/`);
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    expect(navigations).toBe(3);
    await expect(page.locator('[data-isolation-notice]')).toBeHidden();
    // Every link of the header and the lesson list stays under the base.
    await page.getByRole('link', { name: 'TCP Teardown Lab' }).first().click();
    const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(10);
    expect(hrefs.filter((h) => !h.startsWith(BASE))).toEqual([]);
    expect(net.problems).toEqual([]);
    expectCleanHostLog();
  });

  test('a lesson’s lab: a command typed in its terminal draws its segments on the ladder', async ({ page }) => {
    const net = watchNetwork(page);
    await openIsolated(page, 'lessons/self-connection/');
    const lab = page.locator('tcplab-kernel-lab[data-ready]').first();
    await lab.scrollIntoViewIfNeeded();
    await typeIn(page, lab, 1, 'nc -p 6666 127.0.0.1 6666');
    await typeIn(page, lab, 2, 'netstat -nt');
    await expect(lab.locator('.term-panel:not([hidden]) .xterm-rows')).toContainText('127.0.0.1:6666          127.0.0.1:6666          ESTABLISHED');
    await lab.getByRole('tab', { name: 'Ladder' }).click();
    await expect(lab.locator('[data-ladder] g.seg')).toHaveCount(3);
    expect(net.problems).toEqual([]);
    expectCleanHostLog();
  });

  test('an exercise graded on the simulated kernel passes and shows on the progress page; WebContainer is offered, the local runner says it needs npm start', async ({ page }) => {
    const net = watchNetwork(page);
    await openIsolated(page, 'exercises/half-close-request/');
    const ex = page.locator('tcplab-exercise').first();
    await expect(ex).toHaveAttribute('data-runners-ready', 'true');
    const picker = ex.getByLabel('Run on');
    await expect(picker.locator('option[value=webcontainer]')).toBeEnabled();
    await expect(picker.locator('option[value=local]')).toBeDisabled();
    await picker.selectOption('sim');
    await expect(ex).toHaveAttribute('data-runner', 'sim');
    await expect(ex.locator('[data-runner-note]')).toContainText(NO_LOCAL_SERVER);
    await ex.locator('[data-editor] .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(readFileSync(join(projectRoot, 'content/exercises/half-close-request/solution/main.mjs'), 'utf8'));
    await ex.getByRole('button', { name: 'Test' }).click();
    await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'pass', { timeout: 30_000 });
    await expect(ex.locator('[data-checkpoint="half-close-request"]')).toHaveAttribute('data-done', '');

    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    await expect(page).toHaveURL(`${host.origin}${BASE}progress/`);
    await expect(page.locator('[data-checkpoint="half-close-request"]').first()).toHaveAttribute('data-done', '');
    await expect(page.locator('[data-progress-summary]')).toContainText('1 of');
    expect(net.problems).toEqual([]);
    expectCleanHostLog();
  });

  test('the interview track: the question bank, a scene opened in the sandbox from its link, the drill', async ({ page }) => {
    const net = watchNetwork(page);
    await openIsolated(page, 'interview/?topic=opening');
    await page.locator('article[data-qid="self-connection"]').getByRole('link', { name: /opened in three segments and closed in two/ }).click();
    await expect(page).toHaveURL(`${host.origin}${BASE}sandbox/?scenario=16-self-connect`);
    const lab = page.locator('tcplab-kernel-lab[data-ready]');
    await expect(page.getByText('Prepared scene 16-self-connect')).toBeVisible();
    await lab.getByRole('tab', { name: /Segments/ }).click();
    await expect(lab.locator('[data-segments] tr')).toHaveCount(7);

    await page.getByRole('link', { name: 'Interview', exact: true }).click();
    await page.getByRole('link', { name: 'Drill them' }).click();
    await expect(page).toHaveURL(`${host.origin}${BASE}interview/drill/`);
    const drill = page.locator('tcplab-drill[data-ready]');
    await expect(drill).toBeVisible();
    await drill.getByRole('button', { name: 'Show the answer' }).click();
    await expect(drill.getByRole('heading', { name: 'In 30 seconds' }).first()).toBeVisible();
    expect(net.problems).toEqual([]);
    expectCleanHostLog();
  });

  test('a missing page gets the site’s own 404 page, whose links stay under the base', async ({ page }) => {
    await page.goto(`${host.origin}${BASE}lessons/no-such-lesson/`);
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    expect((await page.reload())?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.filter((h) => !h.startsWith(BASE))).toEqual([]);
  });
});

test.describe('on a host that applies the build’s _headers (Netlify, Cloudflare Pages)', () => {
  test.beforeEach(async () => {
    host = await startStaticHost({ root: outDir, base: BASE, headerRules: parseHeadersFile(readFileSync(join(outDir, HEADERS_FILE), 'utf8')) });
  });

  test('a page is cross-origin isolated from its first load: no service worker, no reload', async ({ page }) => {
    const net = watchNetwork(page);
    let navigations = 0;
    page.on('framenavigated', (frame) => void (frame === page.mainFrame() && navigations++));
    const res = await page.goto(`${host.origin}${BASE}exercises/four-way-close/`);
    expect(res?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const ex = page.locator('tcplab-exercise').first();
    await expect(ex).toHaveAttribute('data-runners-ready', 'true');
    await expect(ex.getByLabel('Run on').locator('option[value=webcontainer]')).toBeEnabled();
    expect(navigations).toBe(1);
    await expect(page.locator('[data-isolation-notice]')).toBeHidden();
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    expect(net.problems).toEqual([]);
    expectCleanHostLog();
  });
});

test('served by npm start (the local runner’s server), a page is isolated by its headers and registers no service worker', async ({ page }) => {
  // The base URL of the suite is npm start's server, with the dist/ built for the root.
  await page.goto(`/?token=${process.env['TCPLAB_TOKEN']}`);
  await expect(page.locator('html')).toHaveAttribute('data-isolation', 'isolated');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  await expect(page.locator('[data-isolation-notice]')).toBeHidden();
});
