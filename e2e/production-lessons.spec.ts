import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

const NEW_LESSONS = ['simultaneous-close', 'graceful-close', 'time-wait-in-production', 'close-wait-leaks', 'dead-peers', 'orphans'];

async function openLab(page: Page, path: string): Promise<Locator> {
  await page.goto(path);
  const lab = page.locator('tcplab-kernel-lab[data-ready]').first();
  await lab.scrollIntoViewIfNeeded();
  await expect(lab).toBeVisible();
  return lab;
}

/** Types a line into terminal n of the lab, as a person would: select the tab, click, type, Enter. */
async function type(page: Page, lab: Locator, n: number, line: string) {
  await lab.getByRole('tab', { name: `Terminal ${n}` }).click();
  await lab.locator('.term-panel:not([hidden]) .xterm').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

const screen = (lab: Locator) => lab.locator('.term-panel:not([hidden]) .xterm-rows');

// These tests type a dozen lines into terminals and run axe over long pages: more than the default 30 s on a
// loaded machine. Nothing here waits on time; the limit only bounds a stuck run.
test.describe.configure({ timeout: 120_000 });

test('simultaneous close (lesson 13): with the clock paused, two closes cross; both sockets reach TIME_WAIT and the goal ticks', async ({ page }) => {
  const lab = await openLab(page, '/lessons/simultaneous-close/');
  const goal = lab.locator('[data-goal="simultaneous-close"]');
  await expect(goal).not.toHaveAttribute('data-done', '');
  await type(page, lab, 1, 'sock');
  await expect(screen(lab)).toContainText('sock>');
  for (const line of ['l = socket', 'bind l 127.0.0.1:8080', 'listen l', 'a = accept l']) await type(page, lab, 1, line);
  await type(page, lab, 2, 'sock');
  await expect(screen(lab)).toContainText('sock>');
  await type(page, lab, 2, 's = socket');
  await type(page, lab, 2, 'connect s 127.0.0.1:8080');
  await lab.getByRole('tab', { name: 'Terminal 1' }).click();
  await expect(screen(lab)).toContainText('4 (from 127.0.0.1:');
  await lab.getByRole('button', { name: 'Pause' }).click();
  await type(page, lab, 1, 'close a');
  await type(page, lab, 2, 'close s');
  await lab.getByRole('button', { name: 'Resume' }).click();
  await expect(goal).toHaveAttribute('data-done', '');
  await lab.getByRole('tab', { name: 'States' }).click();
  await expect(lab.locator('[data-sockets] tr').filter({ hasText: 'TIME_WAIT' })).toHaveCount(2);
  await page.reload();
  await expect(page.locator('.lesson-sidebar li[data-checkpoint="simultaneous-close"]')).toHaveAttribute('data-done', '');
});

test('dead peers (lesson 17): keepalive probes go unanswered after drop all, and recv ends with ETIMEDOUT', async ({ page }) => {
  const lab = await openLab(page, '/lessons/dead-peers/');
  const goal = lab.locator('[data-goal="keepalive-dead-peer"]');
  await type(page, lab, 1, 'sock');
  await expect(screen(lab)).toContainText('sock>');
  for (const line of ['l = socket', 'bind l 127.0.0.1:8080', 'listen l', 'a = accept l']) await type(page, lab, 1, line);
  await type(page, lab, 2, 'sock');
  await expect(screen(lab)).toContainText('sock>');
  for (const line of ['s = socket', 'keepalive s on idle=5 intvl=2 cnt=3', 'connect s 127.0.0.1:8080', 'recv s 100']) await type(page, lab, 2, line);
  // From here the clock moves only when asked, however slowly the test types.
  await lab.getByRole('button', { name: 'Pause' }).click();
  await type(page, lab, 3, 'drop all any from 8080');
  await lab.getByRole('button', { name: '+1 s' }).click();
  await expect(screen(lab)).toContainText('every segment from port 8080 will be lost');
  await type(page, lab, 3, 'ss -tno');
  await lab.getByRole('button', { name: '+1 s' }).click();
  await expect(screen(lab)).toContainText('timer:(keepalive,');
  await expect(goal).not.toHaveAttribute('data-done', '');
  await lab.getByRole('button', { name: '+10 s' }).click();
  await lab.getByRole('button', { name: '+10 s' }).click();
  await lab.getByRole('tab', { name: 'Terminal 2' }).click();
  await expect(screen(lab)).toContainText('ETIMEDOUT');
  await expect(goal).toHaveAttribute('data-done', '');
});

for (const lesson of NEW_LESSONS) {
  test(`no console errors on /lessons/${lesson}/`, async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`/lessons/${lesson}/`);
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`axe finds no serious or critical violation on /lessons/${lesson}/ (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(`/lessons/${lesson}/`);
      await page.waitForLoadState('networkidle');
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    });
  }
}

test('the course lists the new lessons in order, with the review last', async ({ page }) => {
  await page.goto('/lessons/orphans/');
  const paths = await page
    .getByRole('navigation', { name: 'Course contents' })
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths.slice(-7)).toEqual([...NEW_LESSONS.map((slug) => `/lessons/${slug}/`), '/lessons/review/']);
});
