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
