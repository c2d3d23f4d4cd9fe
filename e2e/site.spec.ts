import { expect, test } from '@playwright/test';

test.describe('home', () => {
  test('renders the course with its lesson list and a start button', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('How TCP connections end');
    const lessons = page.getByRole('region', { name: 'Lessons' }).getByRole('listitem');
    await expect(lessons.first()).toContainText('What are opening, transfer and release');
    await expect(page.getByRole('link', { name: 'Start the course' })).toHaveAttribute('href', '/lessons/lifecycle/');
    await page.getByRole('main').getByRole('link', { name: 'Node exercises' }).click();
    await expect(page).toHaveURL(/\/exercises\/$/);
    await expect(page.getByRole('heading', { name: 'Node socket exercises' })).toBeVisible();
  });

  test('navigates to lesson 1 and back home', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: /What are opening, transfer and release/ }).click();
    await expect(page).toHaveURL(/\/lessons\/lifecycle\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('What are opening, transfer and release of a connection?');
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Course' }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});

test.describe('lesson navigation', () => {
  test('previous and next links follow the course order', async ({ page }) => {
    await page.goto('/lessons/lifecycle/');
    const nav = page.getByRole('navigation', { name: 'Previous and next lesson' });
    // Lesson 1 has no previous lesson.
    await expect(nav.locator('a[rel=prev]')).toHaveCount(0);
    const next = nav.locator('a[rel=next]');
    if ((await next.count()) > 0) {
      const href = await next.getAttribute('href');
      await next.click();
      await expect(page).toHaveURL(new RegExp(`${href}$`));
      await page.getByRole('navigation', { name: 'Previous and next lesson' }).locator('a[rel=prev]').click();
      await expect(page).toHaveURL(/\/lessons\/lifecycle\/$/);
    } else {
      // A one-lesson course ends with a link to the progress page.
      await expect(nav.getByRole('link', { name: /See your progress/ })).toHaveAttribute('href', '/progress/');
    }
  });

  test('the sidebar marks the current lesson', async ({ page }) => {
    await page.goto('/lessons/lifecycle/');
    const current = page.getByRole('navigation', { name: 'Course contents' }).locator('a[aria-current=page]');
    await expect(current).toContainText('What are opening, transfer and release');
  });
});

test.describe('dark mode', () => {
  test('follows the system when nothing was chosen', async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await context.close();
  });

  test('the toggle persists across reloads and pages', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    const toggle = page.getByRole('button', { name: 'Dark mode' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.goto('/lessons/lifecycle/');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByRole('button', { name: 'Dark mode' }).click();
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });
});

test.describe('server', () => {
  for (const path of ['/', '/lessons/lifecycle/', '/sandbox/', '/progress/', '/instructors/']) {
    test(`serves ${path} cross-origin isolated`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      const headers = response?.headers() ?? {};
      expect(headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(headers['content-type']).toBe('text/html; charset=utf-8');
      expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    });
  }

  test('answers an unknown address with a clear 404 page', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await expect(page.getByRole('link', { name: 'Go to the course' })).toBeVisible();
  });

  test('caches hashed assets for ever and pages not at all', async ({ page, request }) => {
    await page.goto('/lessons/lifecycle/');
    const asset = await page.evaluate(() => {
      const el = document.querySelector<HTMLLinkElement>('link[rel=stylesheet][href^="/_astro/"]') ?? document.querySelector<HTMLScriptElement>('script[src^="/_astro/"]');
      return el instanceof HTMLLinkElement ? el.href : el?.src;
    });
    expect(asset).toBeTruthy();
    const res = await request.get(asset!);
    expect(res.headers()['cache-control']).toContain('immutable');
    const html = await request.get('/lessons/lifecycle/');
    // Pages carry the local runner's per-start token: never stored by any cache.
    expect(html.headers()['cache-control']).toBe('no-store');
  });

  test('refuses a path that climbs out of the site', async ({ request }) => {
    const res = await request.get('/%2e%2e/package.json');
    expect(res.status()).toBe(404);
  });
});
