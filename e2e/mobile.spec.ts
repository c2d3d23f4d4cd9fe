import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

const root = join(import.meta.dirname, '..');
const lessonFiles = readdirSync(join(root, 'content/lessons')).filter((f) => f.endsWith('.mdx'));

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

test('every lesson, its quizzes included, fits a phone screen without sideways scrolling', async ({ page }) => {
  expect(lessonFiles.length).toBeGreaterThan(10);
  for (const file of lessonFiles) {
    await page.goto(`/lessons/${file.replace(/^\d+-/, '').replace(/\.mdx$/, '')}/`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect.soft(overflow, file).toBeLessThanOrEqual(0);
  }
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

// ── issue 13: a phone that works ──────────────────────────────────────────────────────────────

/** The lesson whose frontmatter lists a checkpoint. */
function lessonOf(checkpoint: string): string {
  const file = lessonFiles.find((f) => new RegExp(`^\\s*- id: ${checkpoint}\\s*$`, 'm').test(readFileSync(join(root, 'content/lessons', f), 'utf8')));
  if (!file) throw new Error(`no lesson lists ${checkpoint}`);
  return file.replace(/^\d+-/, '').replace(/\.mdx$/, '');
}

async function tapLab(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: 'Go to the lab' }).tap();
  const lab = page.locator('tcplab-kernel-lab');
  await expect(lab).toHaveAttribute('data-ready', '');
  return lab;
}

/** Types a solution's keys as a phone user would: letters on the keyboard, control keys on the on-screen key bar. */
async function typeOnPhone(page: Page, lab: Locator, terminal: number, keys: string) {
  await lab.getByRole('tab', { name: `Terminal ${terminal}` }).tap();
  await lab.locator('.term-panel:not([hidden]) .xterm').tap();
  const bar = lab.getByRole('toolbar', { name: 'Terminal keys' });
  for (const part of keys.split(/([\r\x03\x04\t])/).filter(Boolean)) {
    if (part === '\r') await page.keyboard.press('Enter');
    else if (part === '\x03') await bar.getByRole('button', { name: /Control C/ }).tap();
    else if (part === '\x04') await bar.getByRole('button', { name: /Control D/ }).tap();
    else if (part === '\t') await bar.getByRole('button', { name: /Tab/ }).tap();
    else await page.keyboard.type(part);
  }
}

const labGoals = readdirSync(join(root, 'content/labs')).filter((f) => f.endsWith('.json'));
for (const file of labGoals) {
  const spec = JSON.parse(readFileSync(join(root, 'content/labs', file), 'utf8')) as { checkpoint: string; solution: Array<{ terminal: number; keys: string; waitMs: number }> };
  test(`on a phone, the lab goal ${spec.checkpoint} can be reached with the keyboard and the on-screen keys`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(`/lessons/${lessonOf(spec.checkpoint)}/`);
    const lab = await tapLab(page);
    const goal = lab.locator(`[data-goal="${spec.checkpoint}"]`);
    let paused = false;
    for (const step of spec.solution) {
      // A step with no wait happens at the same instant as the next one (two closes that cross): on a phone, as
      // the task tells the learner, the clock is paused while both are typed, then resumed.
      if (step.waitMs === 0 && !paused) {
        await lab.getByRole('button', { name: 'Pause' }).tap();
        paused = true;
      }
      await typeOnPhone(page, lab, step.terminal, step.keys);
      if (paused && step.waitMs > 0) {
        await lab.getByRole('button', { name: 'Resume' }).tap();
        paused = false;
      }
      // Long waits are what the lab's skip buttons are for.
      if (step.waitMs >= 5000) await lab.getByRole('button', { name: '+10 s' }).tap();
      else await page.waitForTimeout(Math.max(100, step.waitMs));
    }
    await expect(goal).toHaveAttribute('data-done', '', { timeout: 10_000 });
    const page_ = await page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      // Named in the failure: what stands past the edge, outside the header's links (which scroll on their own).
      past: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('nav'))
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)} ${(e.textContent ?? '').slice(0, 30)}`)
        .slice(-8),
    }));
    expect(page_.width, `the page scrolls sideways; past the edge: ${page_.past.join('; ')}`).toBeLessThanOrEqual(390);
  });
}

const exerciseIds = readdirSync(join(root, 'content/exercises'));
for (const id of exerciseIds) {
  test(`on a phone, the exercise ${id} passes with its reference solution (simulated kernel)`, async ({ page }) => {
    await page.goto(`/exercises/${id}/`);
    const ex = page.locator('tcplab-exercise');
    await expect(ex).toHaveAttribute('data-runners-ready', 'true');
    await ex.getByLabel('Run on').selectOption('sim');
    const editor = ex.locator('[data-editor] .cm-content');
    // The editor fills its pane.
    const pane = await ex.locator('.pane.mine').boundingBox();
    const box = await ex.locator('[data-editor]').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(pane!.width - 2);
    await editor.tap();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(readFileSync(join(root, 'content/exercises', id, 'solution/main.mjs'), 'utf8'));
    await ex.getByRole('button', { name: 'Test' }).tap();
    await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'pass', { timeout: 30_000 });
  });
}

test('on a phone, one tap brings the lab into view and one tap goes back to the same place in the text', async ({ page }) => {
  await page.goto('/lessons/four-way-close/');
  await page.evaluate(() => window.scrollTo(0, 900));
  await page.waitForTimeout(200);
  const before = await page.evaluate(() => window.scrollY);
  await page.getByRole('link', { name: 'Go to the lab' }).tap();
  const lab = page.getByRole('region', { name: 'Lab', exact: true });
  await expect.poll(async () => (await lab.boundingBox())!.y).toBeLessThan(100);
  await page.getByRole('link', { name: 'Back to the lesson text' }).tap();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(before);
});

test('on a phone, the header compacts while reading down and comes back when scrolling up', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const header = page.locator('header.site-header');
  const full = (await header.boundingBox())!.height;
  expect(full).toBeLessThanOrEqual(100);
  await page.mouse.wheel(0, 600);
  await expect(header).toHaveAttribute('data-compact', '');
  // What stays on screen: the row of links.
  await expect.poll(async () => {
    const b = (await header.boundingBox())!;
    return b.y + b.height;
  }).toBeLessThanOrEqual(56);
  await expect(header.getByRole('link', { name: 'Progress' })).toBeInViewport();
  await page.mouse.wheel(0, -300);
  await expect(header).not.toHaveAttribute('data-compact', '');
});

test('on a phone, the lab terminal has on-screen Ctrl-C, Ctrl-D, Tab, ↑ and ↓, and they type into it', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const lab = await tapLab(page);
  const bar = lab.getByRole('toolbar', { name: 'Terminal keys' });
  for (const name of [/Control C/, /Control D/, /Tab/, /Up arrow/, /Down arrow/]) await expect(bar.getByRole('button', { name })).toBeVisible();
  await lab.locator('.term-panel:not([hidden]) .xterm').tap();
  await page.keyboard.type('nets');
  await bar.getByRole('button', { name: /Tab/ }).tap();
  await page.keyboard.type('-nt');
  await page.keyboard.press('Enter');
  const screen = lab.locator('.term-panel:not([hidden]) .xterm-rows');
  await expect(screen).toContainText('Active Internet connections');
  await bar.getByRole('button', { name: /Up arrow/ }).tap();
  await expect(screen).toContainText('$ netstat -nt');
});

test('on a phone, every quiz choice keeps its text beside its button, however long the text', async ({ page }) => {
  await page.goto('/lessons/review/');
  const choices = page.locator('tcplab-quiz label[data-choice]');
  const boxes = await choices.evaluateAll((labels) =>
    labels.map((label) => {
      const input = label.querySelector('input')!.getBoundingClientRect();
      const text = label.querySelector('input + span')!.getBoundingClientRect();
      return { id: label.getAttribute('data-choice'), inputRight: input.right, inputTop: input.top, textLeft: text.left, textTop: text.top, lines: Math.round(text.height / 20) };
    }),
  );
  expect(boxes.length).toBeGreaterThan(20);
  // Some choices wrap on a 390 px screen: the case that used to put the text on a line of its own.
  expect(boxes.some((b) => b.lines > 1)).toBe(true);
  for (const b of boxes) {
    expect.soft(b.textLeft, `choice ${b.id}`).toBeGreaterThan(b.inputRight);
    expect.soft(Math.abs(b.textTop - b.inputTop), `choice ${b.id}`).toBeLessThan(12);
  }
});
