/**
 * A timing run, not a timed test: how long after navigation each lesson's lab shows its prompt (the
 * first terminal's `learner@tcplab:~$`). Figures go to the report (test info annotations and the log);
 * the only assertion is that the prompt appears. Run: npx playwright test e2e/timing.spec.ts --workers=1
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const lessons = readdirSync(join(import.meta.dirname, '../content/lessons'))
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => f.replace(/^\d+-/, '').replace(/\.mdx$/, ''));

test('time from navigation to the lab prompt, every lesson with a kernel lab (cold, then warm)', async ({ page }, info) => {
  test.setTimeout(120_000);
  const rows: string[] = [];
  for (const slug of lessons) {
    const times: string[] = [];
    for (const run of ['cold', 'warm', 'warm']) {
      if (run === 'cold') await page.context().clearCookies();
      await page.goto(`/lessons/${slug}/`, { waitUntil: 'commit' });
      const lab = page.locator('tcplab-kernel-lab');
      if ((await lab.count()) === 0) break;
      await expect(lab.locator('.term-panel:not([hidden]) .xterm-rows')).toContainText('learner@tcplab', { timeout: 15_000 });
      times.push(
        await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          const live = performance.getEntriesByName('tcplab:lab-prompt')[0];
          // The prompt is in the page's markup (shown at first paint, taking keys); the terminal goes live later.
          return `${Math.round((paint?.startTime ?? 0) - nav.startTime)} (live ${Math.round((live?.startTime ?? 0) - nav.startTime)})`;
        }),
      );
    }
    if (times.length > 0) rows.push(`${slug}: ${times.join(' / ')} ms`);
  }
  info.annotations.push({ type: 'lab prompt on screen after navigation, ms (first / second / third load); in brackets when the terminal is live', description: rows.join('; ') });
  console.log(rows.join('\n'));
});
