/**
 * The local runner belongs to whoever opened the link `npm start` printed: without it the course works on
 * the simulated kernel and the runner picker says how to get the local one; with it, the token leaves the
 * address bar and the local runner works. No page of the site can be framed by another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

const TOKEN = process.env['TCPLAB_TOKEN'] ?? '';

test('without the login link, the course runs on sim and the picker says how to get the local runner', async ({ page }) => {
  await page.goto('/exercises/four-way-close/');
  const ex = page.locator('tcplab-exercise').first();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  const local = ex.getByLabel('Run on').locator('option[value="local"]');
  await expect(local).toBeDisabled();
  await expect(ex).toContainText('open the link `npm start` printed');
  expect(await page.evaluate(() => document.querySelector('meta[name="tcplab-local"]'))).toBeNull();
  await expect(ex).not.toHaveAttribute('data-runner', 'local');
});

test('the login link sets the session, leaves the address bar without its token, and the local runner works', async ({ page, context }) => {
  await page.goto(`/exercises/four-way-close/?token=${TOKEN}`);
  expect(new URL(page.url()).search).toBe('');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'tcplab_runner');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  const ex = page.locator('tcplab-exercise').first();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  await ex.getByLabel('Run on').selectOption('local');
  await expect(ex).toHaveAttribute('data-runner', 'local');
  // The session lasts across pages.
  await page.goto('/playground/');
  expect(await page.evaluate(() => document.querySelector('meta[name="tcplab-local"]') !== null)).toBe(true);
});

test('a wrong token sets no session', async ({ page, context }) => {
  await page.goto(`/?token=${'x'.repeat(TOKEN.length)}`);
  expect(new URL(page.url()).search).toBe('');
  expect((await context.cookies()).find((c) => c.name === 'tcplab_runner')).toBeUndefined();
});

test('a page of another origin cannot frame the site', async ({ page, baseURL }) => {
  const framer: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><title>framer</title><iframe name="course" src="${baseURL}/exercises/four-way-close/" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((r) => framer.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (framer.address() as AddressInfo).port;
    // localhost is another origin than 127.0.0.1 (and another site for the browser's framing rules).
    const blocked = page.waitForEvent('console', { predicate: (m) => /frame-ancestors|X-Frame-Options|Refused to display/i.test(m.text()), timeout: 10_000 }).catch(() => null);
    await page.goto(`http://localhost:${port}/`);
    // The blocked frame is swapped for Chromium's error page: wait until the frame named "course" has settled there.
    await expect.poll(() => page.frame({ name: 'course' })?.url() ?? 'none').not.toMatch(/^(none|about:blank)$/);
    const frame = page.frame({ name: 'course' });
    // Chromium shows its own error page instead of ours: no element of the site is in the frame.
    expect(await frame!.locator('tcplab-exercise').count()).toBe(0);
    expect(await frame!.locator('text=TCP Teardown Lab').count()).toBe(0);
    expect(await blocked).not.toBeNull();
  } finally {
    framer.close();
  }
});
