/**
 * Takes screenshots of the real site for the README (docs/screenshot.png) and for review.
 * Usage: node scripts/screenshot.ts [url-path ...] — the site must be built; the server is started here.
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSiteServer, listenLocal } from '../src/server/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = createSiteServer({ root: join(root, 'dist') });
const port = await listenLocal(server, 4600, false);
const outDir = process.env['SHOT_DIR'] ?? join(root, 'docs');
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
const targets = process.argv.slice(2);
const shots = targets.length > 0 ? targets.map((p, i) => ({ path: p, name: `shot-${i}` })) : [{ path: '/lessons/lifecycle/', name: 'screenshot' }];
for (const theme of process.env['SHOT_THEMES']?.split(',') ?? ['light']) {
  const context = await browser.newContext({ viewport: { width: Number(process.env['SHOT_W'] ?? 1440), height: Number(process.env['SHOT_H'] ?? 900) }, colorScheme: theme === 'dark' ? 'dark' : 'light' });
  const page = await context.newPage();
  for (const shot of shots) {
    await page.goto(`http://127.0.0.1:${port}${shot.path}`);
    await page.waitForLoadState('networkidle');
    const ready = process.env['SHOT_WAIT'];
    if (ready) await page.waitForSelector(ready, { timeout: 15000 });
    const file = join(outDir, `${shot.name}${theme === 'light' ? '' : `-${theme}`}.png`);
    await page.screenshot({ path: file, fullPage: process.env['SHOT_FULL'] === '1' });
    console.log(`wrote ${file}`);
  }
  await context.close();
}
await browser.close();
server.close();
