/**
 * A learner's whole hand-in, end to end: a quiz answered, a lab goal met and an exercise passed in the
 * browser; the progress page's download; the instructor's `tcplab regrade`, which re-checks each of them
 * from the hand-in's evidence (answers, the lab session, the code) and trusts no claim without it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const root = join(import.meta.dirname, '..');
const code = (id: string, part: string) => readFileSync(join(root, 'content/exercises', id, part), 'utf8');

async function passQuiz(page: Page, slug: string, quizId: string) {
  const quiz = JSON.parse(readFileSync(join(root, 'content/quizzes', `${quizId}.json`), 'utf8')) as { questions: Array<{ id: string; choices: Array<{ id: string; correct?: boolean }> }> };
  await page.goto(`/lessons/${slug}/`);
  const el = page.locator(`tcplab-quiz[data-ready]`).filter({ has: page.locator(`[data-question]`) }).first();
  await el.scrollIntoViewIfNeeded();
  for (const q of quiz.questions) {
    for (const c of q.choices.filter((x) => x.correct)) await el.locator(`input[name="${quizId}-${q.id}"][value="${c.id}"]`).check();
  }
  await el.getByRole('button', { name: /check/i }).click();
  await expect(el).toHaveAttribute('data-state', 'passed');
}

function csv(text: string): string[][] {
  return text.trim().split('\n').map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, -1));
}

test('hand-in: quiz, lab and exercise pass in the browser and again under `tcplab regrade`; a claim without evidence gets no credit', async ({ page }) => {
  test.setTimeout(90_000);
  // A quiz.
  await passQuiz(page, 'fin-timeout', 'fin-timeout-quiz');
  // A lab goal: a self-connection closed in two segments.
  await page.goto('/lessons/self-connection/');
  const lab = page.locator('tcplab-kernel-lab[data-ready]').first();
  await lab.scrollIntoViewIfNeeded();
  await lab.getByRole('tab', { name: 'Terminal 1' }).click();
  await lab.locator('.term-panel:not([hidden]) .xterm').click();
  await page.keyboard.type('nc -p 6666 127.0.0.1 6666');
  await page.keyboard.press('Enter');
  // The self-connection is open (SYN, SYN-ACK, ACK) before Ctrl-C closes it.
  await expect(lab.locator('[data-segment-count]')).toHaveText('3');
  await page.keyboard.press('Control+C');
  await expect(lab.locator('[data-goal="self-connect-two-segment"]')).toHaveAttribute('data-done', '', { timeout: 15_000 });
  // An exercise, on sim.
  await page.goto('/exercises/half-close-request/');
  const ex = page.locator('tcplab-exercise').first();
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  await ex.getByLabel('Run on').selectOption('sim');
  await ex.locator('[data-editor] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code('half-close-request', 'solution/main.mjs'));
  await ex.getByRole('button', { name: 'Test' }).click();
  await expect(ex.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'pass', { timeout: 20_000 });
  // Claims made by hand: a quiz and a lab marked done with no evidence, an exercise with wrong code.
  await page.evaluate(() => {
    const p = JSON.parse(localStorage.getItem('tcplab:progress') ?? '{}');
    const at = new Date().toISOString();
    p.checkpoints['review-quiz'] = { done: true, at };
    p.checkpoints['orphan-expires'] = { done: true, at, detail: 'lab goal met' };
    p.checkpoints['reset-on-unread'] = { done: true, at };
    localStorage.setItem('tcplab:progress', JSON.stringify(p));
    localStorage.setItem('tcplab:code:reset-on-unread', JSON.stringify({ v: 1, code: "import net from 'node:net';\nnet.connect(Number(process.env.PEER_PORT), '127.0.0.1');\n", at }));
  });

  await page.goto('/progress/');
  await page.getByLabel('Your name (optional, for your instructor)').fill('Grace Hopper');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download progress and code (JSON)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('tcplab-grace-hopper-progress.json');
  const file = join(mkdtempSync(join(tmpdir(), 'tcplab-handin-')), download.suggestedFilename());
  await download.saveAs(file);
  const submission = JSON.parse(readFileSync(file, 'utf8'));
  expect(submission.learner).toBe('Grace Hopper');
  expect(submission.progress.checkpoints['fin-timeout-quiz'].evidence.kind).toBe('quiz');
  expect(submission.progress.checkpoints['self-connect-two-segment'].evidence.session).toContain('connect');

  const r = spawnSync(process.execPath, [join(root, 'bin/tcplab.mjs'), 'regrade', file, '--csv'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [header, row] = csv(r.stdout);
  const cell = (id: string) => row![header!.indexOf(id)];
  expect(row![0]).toBe('tcplab-grace-hopper-progress');
  expect(cell('learner')).toBe('Grace Hopper');
  expect(cell('fin-timeout-quiz')).toBe('pass');
  expect(cell('self-connect-two-segment')).toBe('pass');
  expect(cell('half-close-request')).toBe('pass');
  expect(cell('review-quiz')).toBe('missing');
  expect(cell('orphan-expires')).toBe('missing');
  expect(cell('reset-on-unread')).toBe('fail');
  const notes = cell('notes')!;
  expect(notes).toContain('review-quiz: done in the browser, but no answers handed in');
  expect(notes).toContain('orphan-expires: done in the browser, but no lab session handed in');
  expect(notes).toContain('reset-on-unread: done in the browser, fail on re-grading');
});
