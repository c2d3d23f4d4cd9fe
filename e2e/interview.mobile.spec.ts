import { expect, test, type Page } from '@playwright/test';

/** The phone project (390×844, touch) runs every *mobile.spec.ts: the interview track on a phone. */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const path of ['/interview/', '/interview/drill/', '/interview/mock/', '/interview/sheet/']) {
  test(`${path} fits a phone screen without sideways scrolling`, async ({ page }) => {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
  });
}

test('on a phone the drill can be answered, revealed and rated by touch, and the rating buttons stay on screen', async ({ page }) => {
  await page.goto('/interview/drill/');
  const drill = page.locator('tcplab-drill[data-ready]');
  const id = await drill.getAttribute('data-current');
  await drill.getByRole('button', { name: 'Show the answer' }).tap();
  const good = drill.getByRole('button', { name: /^Good back in/ });
  await expect(good).toBeInViewport();
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  await good.tap();
  await expect(drill).not.toHaveAttribute('data-current', id!);
  await expect(drill.locator('[data-drill-stats]')).toContainText('Scheduled later: 1');
});

test('on a phone the mock interview runs to its summary', async ({ page }) => {
  await page.goto('/interview/mock/');
  const mock = page.locator('tcplab-mock[data-ready]');
  await mock.getByRole('button', { name: 'Start the interview' }).tap();
  for (let i = 0; i < 10; i++) {
    await mock.getByRole('button', { name: /show the model answer/ }).tap();
    const mark = mock.getByRole('button', { name: 'Partly' });
    await expect(mark).toBeInViewport();
    await mark.tap();
  }
  await expect(mock.locator('[data-headline]')).toContainText('0 nailed · 10 partly · 0 missed');
  expect(await sideways(page)).toBeLessThanOrEqual(0);
});

test('on a phone the question filters work and the list stays readable', async ({ page }) => {
  await page.goto('/interview/');
  await page.getByLabel('Level').selectOption('basic');
  for (const el of await page.locator('article.question:visible').all()) await expect(el).toHaveAttribute('data-level', 'basic');
  expect(await sideways(page)).toBeLessThanOrEqual(0);
});
