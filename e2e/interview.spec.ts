import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

const PAGES = ['/interview/', '/interview/drill/', '/interview/mock/', '/interview/sheet/'];

function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

async function openDrill(page: Page): Promise<Locator> {
  await page.goto('/interview/drill/');
  const drill = page.locator('tcplab-drill[data-ready]');
  await expect(drill).toBeVisible();
  return drill;
}

const stats = (drill: Locator) => drill.locator('[data-drill-stats]');

/** Answers the question on screen: types a draft, reveals the model answer, rates it. Returns its id. */
async function drillOne(drill: Locator, rating: 'Again' | 'Hard' | 'Good' | 'Easy'): Promise<string> {
  const id = await drill.getAttribute('data-current');
  expect(id).toBeTruthy();
  const card = drill.locator(`article[data-qid="${id}"]`);
  await expect(card).toBeVisible();
  await card.getByLabel(/Your answer/).fill('FIN, ACK, FIN, ACK');
  await drill.getByRole('button', { name: 'Show the answer' }).click();
  await expect(card.getByRole('heading', { name: 'In 30 seconds' })).toBeVisible();
  await expect(card.getByRole('link').first()).toBeVisible();
  await drill.getByRole('button', { name: new RegExp(`^${rating} back in`) }).click();
  await expect(drill).not.toHaveAttribute('data-current', id!);
  return id!;
}

test.describe('the question bank', () => {
  test('lists every question with both answers, a wrong answer and working links; filters by topic and level, kept in the address', async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await page.goto('/interview/');
    const questions = page.locator('article.question');
    const total = await questions.count();
    expect(total).toBeGreaterThanOrEqual(40);
    const first = questions.first();
    await expect(first.getByRole('heading', { name: 'In 30 seconds' })).toBeVisible();
    await first.getByText('The 2-minute answer').click();
    await first.getByText('A common wrong answer').click();
    await expect(first.getByText('Why it is wrong:')).toBeVisible();

    const filters = page.getByRole('form', { name: 'Filter the questions' });
    await expect(filters).toHaveAttribute('data-ready', '');
    await filters.getByLabel('Topic').selectOption('time-wait');
    await filters.getByLabel('Level').selectOption('advanced');
    await expect(page).toHaveURL(/\?topic=time-wait&level=advanced$/);
    const shown = page.locator('article.question:visible');
    const n = await shown.count();
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(total);
    for (const el of await shown.all()) {
      await expect(el).toHaveAttribute('data-topic', 'time-wait');
      await expect(el).toHaveAttribute('data-level', 'advanced');
    }
    await expect(filters.getByRole('status')).toHaveText(`${n} of ${total} questions shown.`);
    await page.reload();
    await expect(page.locator('article.question:visible')).toHaveCount(n);
    await filters.getByLabel("Only the article's questions").check();
    await filters.getByLabel('Topic').selectOption('');
    await filters.getByLabel('Level').selectOption('');
    for (const el of await page.locator('article.question:visible').all()) await expect(el).toHaveAttribute('data-article', '');
    expect(errors).toEqual([]);
  });

  test('every link of the bank leads to a page that exists', async ({ page, request }) => {
    await page.goto('/interview/');
    const hrefs = await page.locator('article.question .proof a').evaluateAll((as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''))]);
    expect(hrefs.length).toBeGreaterThan(20);
    for (const href of hrefs) {
      const res = await request.get(href);
      expect(res.status(), href).toBe(200);
      const scene = /\?scenario=(.+)$/.exec(href)?.[1];
      if (scene) expect((await request.get(`/scenarios/${decodeURIComponent(scene)}.tcplab`)).status(), scene).toBe(200);
    }
  });

  test('a "Run it in the lab" link opens the sandbox with its scene already replayed', async ({ page }) => {
    await page.goto('/interview/?topic=opening');
    await page.locator('article[data-qid="self-connection"]').getByRole('link', { name: /opened in three segments and closed in two/ }).click();
    await expect(page).toHaveURL(/\/sandbox\/\?scenario=16-self-connect$/);
    const lab = page.locator('tcplab-kernel-lab[data-ready]');
    await expect(lab).toBeVisible();
    await expect(page.getByText('Prepared scene 16-self-connect')).toBeVisible();
    await lab.getByRole('tab', { name: /Segments/ }).click();
    const rows = lab.locator('[data-segments] tr');
    await expect(rows).toHaveCount(7);
    await expect(rows.nth(5).locator('td').nth(2)).toHaveText('F.');
    await lab.getByRole('tab', { name: 'States' }).click();
    await expect(lab.locator('[data-sockets]')).toContainText('TIME_WAIT');
  });

  test('the sandbox opened with an unknown or malformed scene says so and still works', async ({ page }) => {
    const errors = collectConsoleErrors(page);
    for (const bad of ['99-no-such-scene', '..%2F..%2Fetc%2Fpasswd']) {
      await page.goto(`/sandbox/?scenario=${bad}`);
      const lab = page.locator('tcplab-kernel-lab[data-ready]');
      await expect(lab).toBeVisible();
      await expect(page.getByText(/No scene was prepared/)).toBeVisible();
      await lab.locator('.term-panel:not([hidden]) .xterm').click();
      await page.keyboard.type('ss -tan');
      await page.keyboard.press('Enter');
      await expect(lab.locator('.term-panel:not([hidden]) .xterm-rows')).toContainText('State');
    }
    // The 404 of the unknown scenario is the only failed load.
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });
});

test.describe('the drill', () => {
  test('drill three questions, rate them, reload: the schedule holds', async ({ page }) => {
    const drill = await openDrill(page);
    const total = await drill.locator('article.question').count();
    await expect(stats(drill)).toHaveText(`Due now: 0 · New: ${total} · Scheduled later: 0 · Rated this visit: 0`);
    const rated = [await drillOne(drill, 'Good'), await drillOne(drill, 'Easy'), await drillOne(drill, 'Hard')];
    expect(new Set(rated).size).toBe(3);
    await expect(stats(drill)).toHaveText(`Due now: 0 · New: ${total - 3} · Scheduled later: 3 · Rated this visit: 3`);
    await expect(drill.getByText(/Rated hard: this question comes back in \d+ min\./)).toBeAttached();

    await page.reload();
    const again = page.locator('tcplab-drill[data-ready]');
    await expect(stats(again)).toHaveText(`Due now: 0 · New: ${total - 3} · Scheduled later: 3 · Rated this visit: 0`);
    expect(rated).not.toContain(await again.getAttribute('data-current'));
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('tcplab:progress') ?? '{}'));
    expect(saved.version).toBe(1);
    expect(Object.keys(saved.reviews).sort()).toEqual([...rated].sort());
    expect(saved.reviews[rated[0]!].rating).toBe('good');
    for (const id of rated) expect(Date.parse(saved.reviews[id].due)).toBeGreaterThan(Date.now());
  });

  test('a question rated "again" comes back first once it is due, and a typed answer survives a reload until it is rated', async ({ page }) => {
    await page.clock.install();
    const drill = await openDrill(page);
    const first = await drillOne(drill, 'Again');
    const second = await drill.getAttribute('data-current');
    const card = drill.locator(`article[data-qid="${second}"]`);
    await card.getByLabel(/Your answer/).fill('a draft I do not want to lose');
    await page.reload();
    await expect(page.locator(`tcplab-drill[data-ready] article[data-qid="${second}"]`).getByLabel(/Your answer/)).toHaveValue('a draft I do not want to lose');
    await page.clock.fastForward('02:00');
    await page.reload();
    const later = page.locator('tcplab-drill[data-ready]');
    await expect(later).toHaveAttribute('data-current', first);
    await expect(stats(later)).toContainText('Due now: 1');
  });

  test('the topic filter drills only that topic, and an empty queue says when the next question is due', async ({ page }) => {
    const drill = await openDrill(page);
    await drill.getByLabel('Topic').selectOption('opening');
    const n = await drill.locator('article.question[data-topic="opening"]').count();
    for (let i = 0; i < n; i++) {
      await expect(drill.locator(`article[data-qid="${await drill.getAttribute('data-current')}"]`)).toHaveAttribute('data-topic', 'opening');
      await drillOne(drill, 'Easy');
    }
    await expect(drill.getByText(/Nothing is due\. The next question comes back in \d+ days/)).toBeVisible();
    await drill.getByRole('button', { name: 'Review the next one now anyway' }).click();
    await expect(drill.getByRole('button', { name: 'Show the answer' })).toBeVisible();
  });

  test('the schedule goes out with the progress export and comes back with the import', async ({ page }) => {
    const drill = await openDrill(page);
    const rated = [await drillOne(drill, 'Good'), await drillOne(drill, 'Again')];
    await page.goto('/progress/');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: /Download progress/ }).click();
    const file = await (await downloading).path();
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(exported.progress.reviews).sort()).toEqual([...rated].sort());

    await expect(page.getByText(/Interview drill: 2 questions scheduled, [01] due now\./)).toBeVisible();
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect(page.getByText(/Interview drill:/)).toBeHidden();
    await page.locator('[data-import]').setInputFiles(file);
    await expect.poll(() => page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('tcplab:progress') ?? '{}').reviews ?? {}).sort())).toEqual([...rated].sort());
    await expect(page.getByText(/Interview drill: 2 questions scheduled, [01] due now\./)).toBeVisible();
    const back = await openDrill(page);
    await expect(stats(back)).toContainText('Scheduled later: 2');
  });

  test('an unreadable saved progress is left untouched: the drill says so and rates for this visit only', async ({ page }) => {
    await page.goto('/interview/drill/');
    await page.evaluate(() => localStorage.setItem('tcplab:progress', '{"version":1,"checkpoints":'));
    const drill = await openDrill(page);
    await expect(drill.getByRole('alert')).toContainText('could not be read');
    await drillOne(drill, 'Good');
    await expect(stats(drill)).toContainText('Scheduled later: 1');
    expect(await page.evaluate(() => localStorage.getItem('tcplab:progress'))).toBe('{"version":1,"checkpoints":');
  });
});

test.describe('the mock interview', () => {
  test('ten questions against the clock complete with a summary, which can feed the drill', async ({ page }) => {
    const errors = collectConsoleErrors(page);
    await page.goto('/interview/mock/');
    const mock = page.locator('tcplab-mock[data-ready]');
    await mock.getByRole('button', { name: 'Start the interview' }).click();
    await expect(mock.getByRole('timer')).toHaveText('20:00');
    const seen = new Set<string>();
    const marks = ['Nailed it', 'Partly', 'Missed it'] as const;
    for (let i = 0; i < 10; i++) {
      await expect(mock.getByText(`Question ${i + 1} of 10`)).toBeVisible();
      seen.add((await mock.getAttribute('data-current'))!);
      await mock.getByRole('button', { name: /show the model answer/ }).click();
      await expect(mock.locator('article.question:visible').getByRole('heading', { name: 'In 30 seconds' })).toBeVisible();
      await mock.getByRole('button', { name: marks[i % 3] }).click();
    }
    expect(seen.size).toBe(10);
    await expect(mock).toHaveAttribute('data-phase', 'summary');
    await expect(mock.getByRole('heading', { name: 'How the interview went' })).toBeFocused();
    await expect(mock.locator('[data-headline]')).toHaveText(/^4 nailed · 3 partly · 3 missed — \d+:\d\d of 20:00 used\.$/);
    await expect(mock.locator('[data-results] li')).toHaveCount(10);
    await mock.getByRole('button', { name: 'Put these results into my drill schedule' }).click();
    await expect(mock.getByRole('status').filter({ hasText: 'added to your drill schedule' })).toHaveText(/^10 questions added/);
    const reviews = await page.evaluate(() => JSON.parse(localStorage.getItem('tcplab:progress') ?? '{}').reviews);
    expect(Object.keys(reviews).sort()).toEqual([...seen].sort());
    expect(Object.values(reviews as Record<string, { rating: string }>).filter((r) => r.rating === 'again')).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  test('when the clock runs out the interview ends by itself', async ({ page }) => {
    await page.clock.install();
    await page.goto('/interview/mock/');
    const mock = page.locator('tcplab-mock[data-ready]');
    await mock.getByLabel('Questions').selectOption('basic');
    await mock.getByRole('button', { name: 'Start the interview' }).click();
    await mock.getByRole('button', { name: /show the model answer/ }).click();
    await mock.getByRole('button', { name: 'Nailed it' }).click();
    await page.clock.runFor('19:00');
    await expect(mock.getByRole('timer')).toHaveText(/^0:\d\d$/);
    await page.clock.runFor('01:01');
    await expect(mock).toHaveAttribute('data-phase', 'summary');
    await expect(mock.locator('[data-headline]')).toHaveText(/^1 nailed · 0 partly · 0 missed · 9 not reached — time ran out\.$/);
    for (const li of await mock.locator('[data-results] li').all()) {
      const id = (await li.getByRole('link').getAttribute('href'))!.replace('/interview/#q-', '');
      await expect(page.locator(`article[data-qid="${id}"]`).first()).toHaveAttribute('data-level', 'basic');
    }
  });
});

test.describe('the cheat sheet', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`prints on exactly one page in A4 and in Letter (${theme} mode), with no site chrome`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto('/interview/sheet/');
      for (const format of ['A4', 'Letter'] as const) {
        const pdf = await page.pdf({ format, printBackground: true });
        const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
        expect(pages, format).toHaveLength(1);
      }
      await page.emulateMedia({ media: 'print', colorScheme: theme });
      await expect(page.getByRole('banner')).toBeHidden();
      await expect(page.getByRole('navigation', { name: 'Interview track' })).toBeHidden();
      const ink = await page.locator('.sheet').evaluate((el) => [getComputedStyle(el).color, getComputedStyle(document.body).backgroundColor]);
      expect(ink).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
      for (const part of ['The close, state by state', '4, 3 or 2 segments', 'RST rules', 'Timers and their knobs', 'See it']) {
        await expect(page.getByRole('heading', { name: part })).toBeVisible();
      }
    });
  }
});

test('the home page offers the interview track beside the course and the sandbox', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Prepare for an interview' }).click();
  await expect(page).toHaveURL(/\/interview\/$/);
  await expect(page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Interview' })).toHaveAttribute('aria-current', 'page');
});

for (const path of PAGES) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe finds no serious or critical violation on ${path} (${theme})`, async ({ page }) => {
      const errors = collectConsoleErrors(page);
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      if (path === '/interview/drill/') {
        const drill = page.locator('tcplab-drill[data-ready]');
        await drill.getByRole('button', { name: 'Show the answer' }).click();
      }
      if (path === '/interview/mock/') {
        await page.locator('tcplab-mock[data-ready]').getByRole('button', { name: 'Start the interview' }).click();
        await page.getByRole('button', { name: /show the model answer/ }).click();
      }
      if (path === '/interview/') await page.locator('details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
}
