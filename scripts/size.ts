/**
 * `npm run size`: the JavaScript each kind of page makes the browser fetch, gzip-compressed, against budgets.
 * Measured in Debian's Chromium on the built site: every script, module and worker the page requests,
 * after the page has loaded everything it loads by itself (islands scrolled into view and ready).
 */
import { chromium, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRunner } from '../src/server/local-runner/index.ts';
import { createSiteServer, listenLocal } from '../src/server/server.ts';
import { CHROMIUM } from './ensure-system.ts';

interface Target {
  name: string;
  path: string;
  budgetKb: number;
  /** A phone-sized viewport, where the lab pane sits below the text (not on screen, so not loaded). */
  phone?: boolean;
  /** Brings the page to the state being measured (e.g. every island loaded). */
  settle?: (page: Page) => Promise<void>;
}

const loadAllIslands = async (page: Page) => {
  // Islands load when they come into view: bring each one on screen in turn (on a long lesson the bottom of
  // the page no longer shows an exercise placed in its middle).
  for (const island of await page.locator('[data-island]').all()) {
    await island.scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
  }
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForLoadState('networkidle');
  const pending = page.locator('[data-island]:not([data-ready])');
  await page.waitForFunction(() => document.querySelectorAll('[data-island]:not([data-ready])').length === 0, null, { timeout: 20000 }).catch(() => undefined);
  if ((await pending.count()) > 0) console.warn(`  (warning: ${await pending.count()} islands never became ready on ${page.url()})`);
  await page.waitForLoadState('networkidle');
};

/**
 * Everything an exercise (or the playground) can load: editor, terminal, runners, and the sim worker
 * once `act` (Test or Run) ran on the simulated kernel and `done` shows up.
 */
const loadExercise = (act: 'test' | 'run', done: string) => async (page: Page) => {
  await loadAllIslands(page);
  await page.waitForSelector('tcplab-exercise[data-runners-ready]');
  await page.selectOption('tcplab-exercise [data-runner]', 'sim');
  await page.click(`tcplab-exercise [data-act=${act}]`);
  await page.waitForSelector(`tcplab-exercise ${done}`, { timeout: 30000 });
  await page.waitForLoadState('networkidle');
};
const afterTest = loadExercise('test', '[data-verdict]:not([data-verdict=""])');

/** The sandbox's "Be the peer" tab opened and a script run: the editor and the interpreter's worker load only then. */
const afterPeerRun = async (page: Page) => {
  await loadAllIslands(page);
  await page.click('tcplab-kernel-lab [role=tab]:has-text("Be the peer")');
  await page.waitForSelector('tcplab-peer-lab[data-ready]', { timeout: 30000 });
  await page.click('tcplab-peer-lab [data-act=run]');
  await page.waitForSelector('tcplab-peer-lab [data-peer-result][data-outcome]', { timeout: 30000 });
  await page.waitForLoadState('networkidle');
};

const TARGETS: Target[] = [
  { name: 'home', path: '/', budgetKb: 30 },
  { name: 'lesson text (lesson 1 on a phone, lab not on screen yet)', path: '/lessons/lifecycle/', budgetKb: 30, phone: true },
  { name: 'progress page', path: '/progress/', budgetKb: 30 },
  { name: 'kernel lab (lesson 1 with its lab, everything loaded)', path: '/lessons/lifecycle/', budgetKb: 130, settle: loadAllIslands },
  { name: 'kernel lab (sandbox, everything loaded)', path: '/sandbox/', budgetKb: 130, settle: loadAllIslands },
  { name: 'exercise page (editor, terminal, runners, sim worker after a Test)', path: '/exercises/four-way-close/', budgetKb: 250, settle: afterTest },
  { name: 'Node playground (editor, terminal, runners, sim worker after a Run)', path: '/playground/', budgetKb: 250, settle: loadExercise('run', '[data-ladder-wrap]:not([hidden])') },
  { name: 'lesson 2 with exercise and kernel lab, everything loaded', path: '/lessons/four-way-close/', budgetKb: 250, settle: afterTest },
  { name: 'interview questions (static list and its filters)', path: '/interview/', budgetKb: 30 },
  { name: 'interview drill (island loaded)', path: '/interview/drill/', budgetKb: 30, settle: loadAllIslands },
  { name: 'mock interview (island loaded)', path: '/interview/mock/', budgetKb: 30, settle: loadAllIslands },
  { name: 'interview cheat sheet', path: '/interview/sheet/', budgetKb: 30 },
  { name: 'sandbox with "Be the peer" open and a script run (editor, interpreter worker)', path: '/sandbox/', budgetKb: 250, settle: afterPeerRun },
];
for (const extra of (process.env['SIZE_EXTRA'] ?? '').split(',').filter(Boolean)) {
  const [name, path, budget] = extra.split('|');
  if (name && path && budget) TARGETS.push({ name, path, budgetKb: Number(budget), settle: loadAllIslands });
}

const root = fileURLToPath(new URL('..', import.meta.url));
// Served as `npm start` serves it: with the local runner, so pages load what they load for a learner.
const local = createLocalRunner();
const server = createSiteServer({ root: join(root, 'dist'), routes: [local.route], transformHtml: local.transformHtml });
server.on('upgrade', (req, socket, head) => {
  if (!local.handleUpgrade(req, socket, head)) socket.destroy();
});
const port = await listenLocal(server, 4700, false);
local.setPort(port);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});

export async function measure(page: Page, target: Target): Promise<{ files: Array<{ url: string; raw: number; gz: number }>; gz: number }> {
  const bodies = new Map<string, Promise<Buffer>>();
  page.on('response', (res) => {
    const type = res.request().resourceType();
    const url = res.url();
    if ((type === 'script' || url.endsWith('.js') || url.endsWith('.mjs')) && !bodies.has(url)) bodies.set(url, res.body().catch(() => Buffer.alloc(0)));
  });
  // Workers' scripts are fetched by the worker, not the page: count them too.
  page.on('worker', (worker) => {
    const url = worker.url();
    if (!bodies.has(url) && url.startsWith('http')) bodies.set(url, fetch(url).then(async (r) => Buffer.from(await r.arrayBuffer())));
  });
  await page.goto(`http://127.0.0.1:${port}${target.path}`, { waitUntil: 'networkidle' });
  if (target.settle) await target.settle(page);
  const files = await Promise.all([...bodies].map(async ([url, body]) => {
    const b = await body;
    return { url: url.replace(`http://127.0.0.1:${port}`, ''), raw: b.length, gz: gzipSync(b, { level: 9 }).length };
  }));
  // Inline scripts count too (they are part of the HTML, but they are JavaScript the page runs).
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].filter((s) => !s.getAttribute('type') || s.getAttribute('type') === 'module').map((s) => s.textContent ?? '').join('\n'));
  if (inline.length > 0) files.push({ url: '(inline scripts)', raw: inline.length, gz: gzipSync(Buffer.from(inline), { level: 9 }).length });
  return { files, gz: files.reduce((n, f) => n + f.gz, 0) };
}

let over = 0;
for (const target of TARGETS) {
  const page = await browser.newPage(target.phone ? { viewport: { width: 390, height: 844 } } : { viewport: { width: 1440, height: 900 } });
  const { files, gz } = await measure(page, target);
  await page.close();
  const kb = gz / 1024;
  const ok = kb <= target.budgetKb;
  if (!ok) over++;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${target.name}: ${kb.toFixed(1)} KB of JS (gzip) / budget ${target.budgetKb} KB  [${target.path}]`);
  if (process.argv.includes('--verbose') || !ok) {
    for (const f of files.sort((a, b) => b.gz - a.gz)) console.log(`       ${(f.gz / 1024).toFixed(1).padStart(6)} KB  ${f.url}`);
  }
}
await browser.close();
await local.stopAll();
server.close();
process.exit(over === 0 ? 0 : 1);
