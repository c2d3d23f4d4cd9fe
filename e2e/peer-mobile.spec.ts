import { expect, test } from '@playwright/test';

test('on a phone a "Be the peer" block opens, runs and fits the screen', async ({ page }) => {
  await page.goto('/lessons/three-way-close/');
  const block = page.locator('tcplab-peer-lab').first();
  await block.scrollIntoViewIfNeeded();
  await block.getByRole('button', { name: 'Edit and run this script' }).tap();
  await expect(block).toHaveAttribute('data-ready', '');
  await block.getByRole('button', { name: 'Run' }).tap();
  await expect(block.locator('[data-peer-result]')).toHaveAttribute('data-outcome', 'pass');
  await expect(block.locator('[data-peer-ladder] g.seg').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
