/**
 * The README's second picture (docs/exercise.png): an exercise graded on the simulated kernel, from the
 * real built site. Usage: node scripts/screenshot-exercise.ts (after a build).
 */
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSiteServer, listenLocal } from '../src/server/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = createSiteServer({ root: join(root, 'dist') });
const port = await listenLocal(server, 4650, false);
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
await page.goto(`http://127.0.0.1:${port}/exercises/self-connect-retry/`);
const ex = page.locator('tcplab-exercise');
await page.waitForSelector('tcplab-exercise[data-runners-ready]');
await ex.getByLabel('Run on').selectOption('sim');
await ex.locator('[data-editor] .cm-content').click();
await page.keyboard.press('Control+A');
await page.keyboard.press('Delete');
await page.keyboard.insertText(readFileSync(join(root, 'content/exercises/self-connect-retry/solution/main.mjs'), 'utf8'));
await ex.getByRole('button', { name: 'Test' }).click();
await page.waitForSelector('[data-verdict=pass]');
await page.locator('[data-ladder-wrap] summary').click();
await page.evaluate(() => window.scrollTo(0, 0));
await page.waitForTimeout(300);
const box = (await ex.boundingBox())!;
const file = join(root, 'docs/exercise.png');
await page.screenshot({ path: file, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 1500) } });
console.log(`wrote ${file}`);
await browser.close();
server.close();
