import { expect, test } from '@playwright/test';

test('on a phone the lesson stacks reading, lab and contents without sideways scrolling', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const reading = await page.locator('#reading').boundingBox();
  const lab = await page.getByRole('region', { name: 'Lab', exact: true }).boundingBox();
  expect(reading && lab).toBeTruthy();
  expect(lab!.y).toBeGreaterThanOrEqual(reading!.y + reading!.height - 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole('separator')).toBeHidden();
});

test('the home page fits a phone screen', async ({ page }) => {
  await page.goto('/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole('link', { name: 'Start the course' })).toBeVisible();
});

test('on a phone an exercise fits the screen and can be tested', async ({ page }) => {
  await page.goto('/lessons/four-way-close/');
  const ex = page.locator('tcplab-exercise');
  await ex.scrollIntoViewIfNeeded();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await ex.getByLabel('Run on').selectOption('sim');
  await ex.getByRole('button', { name: 'Test' }).tap();
  await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'fail', { timeout: 20_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
