import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const LESSONS = ['lifecycle', 'four-way-close', 'who-sends-fin', 'fin-wait-2-pileup', 'close-with-data', 'half-close', 'close-or-shutdown', 'fin-timeout', 'three-way-close', 'self-connection', 'simultaneous-open', 'time-wait', 'review'];
const PAGES = ['/', ...LESSONS.map((l) => `/lessons/${l}/`), '/sandbox/', '/progress/', '/instructors/', '/exercises/', '/exercises/four-way-close/', '/playground/', '/no-such-page'];

function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

for (const path of PAGES) {
  test(`no console errors on ${path}`, async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    // The 404 page's own status is reported by Chromium as a failed resource load: that one is expected.
    expect(errors.filter((e) => !(path === '/no-such-page' && e.includes('404')))).toEqual([]);
  });
}

/**
 * Islands mount when they come near the viewport: bring each one there in turn and wait until it says it is
 * ready, so that axe sees every lab, exercise and drill as a learner does (a lab that never mounts fails here).
 */
async function loadEveryIsland(page: Page): Promise<void> {
  const islands = page.locator('[data-island]');
  for (let i = 0; i < (await islands.count()); i++) {
    const island = islands.nth(i);
    await island.scrollIntoViewIfNeeded();
    await expect(island).toHaveAttribute('data-ready', /.*/, { timeout: 20_000 });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

// Every page, both themes, WCAG 2.1 AA (code blocks included), with its islands loaded.
for (const path of PAGES) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe finds no serious or critical violation on ${path} (${theme})`, async ({ page }) => {
      // axe's colour checks of a whole lesson with its lab take 10–30 s on a busy two-core machine.
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await loadEveryIsland(page);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    });
  }
}

test('keyboard alone reaches every link of the lesson sidebar', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const sidebarLinks = await page
    .getByRole('navigation', { name: 'Course contents' })
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  expect(sidebarLinks.length).toBeGreaterThan(0);
  const reached = new Set<string>();
  for (let i = 0; i < 200 && reached.size < sidebarLinks.length; i++) {
    await page.keyboard.press('Tab');
    const href = await page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLAnchorElement && el.closest('nav[aria-label="Course contents"]') ? el.href : null;
    });
    if (href) reached.add(href);
  }
  expect([...reached].sort()).toEqual([...sidebarLinks].sort());
});

test('the skip link is the first stop and moves focus to the content', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test('the pane splitter resizes the reading pane from the keyboard and remembers it', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const splitter = page.getByRole('separator', { name: 'Resize the reading and lab panes' });
  await expect(splitter).toHaveAttribute('aria-valuenow', '50');
  const before = await page.locator('#reading').boundingBox();
  await splitter.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', '60');
  const after = await page.locator('#reading').boundingBox();
  expect(after!.width).toBeGreaterThan(before!.width + 50);
  await page.reload();
  await expect(page.getByRole('separator', { name: 'Resize the reading and lab panes' })).toHaveAttribute('aria-valuenow', '60');
});
