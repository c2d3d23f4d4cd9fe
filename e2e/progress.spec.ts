import { expect, test } from '@playwright/test';

test('passing the lesson 1 quiz ticks its checkpoint everywhere, and it survives a reload', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const quiz = page.locator('tcplab-quiz[data-quiz-id="lifecycle-states"][data-ready]');
  await expect(quiz).toBeVisible();
  // A wrong answer first: the quiz says so and nothing is ticked.
  await quiz.getByRole('radio', { name: 'LISTEN' }).check();
  await quiz.getByRole('button', { name: 'Check answers' }).click();
  await expect(quiz.getByRole('status')).toContainText('Try again');
  await expect(page.locator('.checkpoints li[data-checkpoint="lifecycle-states"]')).not.toHaveAttribute('data-done', '');

  const answers: Array<[string, string]> = [
    ['open-client', 'SYN_SENT'],
    ['passive-after-fin', 'CLOSE_WAIT'],
    ['active-waits', 'FIN_WAIT_2'],
    ['fin-seq', '7'],
    ['who-time-wait', 'The side that sent the first FIN'],
  ];
  for (const [question, choice] of answers) {
    await quiz.locator(`fieldset[data-question="${question}"]`).getByRole('radio', { name: choice, exact: true }).check();
  }
  await quiz.getByRole('button', { name: 'Check answers' }).click();
  await expect(quiz.getByRole('status')).toContainText('Passed: 5 of 5');
  await expect(page.locator('.checkpoints li[data-checkpoint="lifecycle-states"]')).toHaveAttribute('data-done', '');

  await page.reload();
  await expect(page.locator('.checkpoints li[data-checkpoint="lifecycle-states"]')).toHaveAttribute('data-done', '');
  await expect(page.locator('.lesson-sidebar li[data-checkpoint="lifecycle-states"]')).toHaveAttribute('data-done', '');

  await page.goto('/');
  await expect(page.getByText('1 of 2 checkpoints done')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Continue where you left off' })).toHaveAttribute('href', '/lessons/lifecycle/');

  await page.goto('/progress/');
  await expect(page.locator('[data-progress-summary]')).toContainText('1 of');
});

test('a corrupt saved progress is reported and kept, not wiped', async ({ page }) => {
  await page.goto('/progress/');
  await page.evaluate(() => localStorage.setItem('tcplab:progress', '{"version":1,"checkpoints":{"x":'));
  await page.reload();
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('could not be read');
  const kept = await page.evaluate(() => localStorage.getItem('tcplab:progress:unreadable'));
  expect(JSON.parse(kept ?? '[]')).toEqual(['{"version":1,"checkpoints":{"x":']);
  // Working on afterwards does not destroy the copy.
  await page.goto('/lessons/lifecycle/');
  await page.goto('/progress/');
  const still = await page.evaluate(() => localStorage.getItem('tcplab:progress:unreadable'));
  expect(JSON.parse(still ?? '[]')).toEqual(['{"version":1,"checkpoints":{"x":']);
});

test('the name field is remembered, and an import says what it restored', async ({ page }) => {
  await page.goto('/progress/');
  const name = page.getByLabel('Your name (optional, for your instructor)');
  await name.fill('Ada Lovelace');
  await page.reload();
  await expect(page.getByLabel('Your name (optional, for your instructor)')).toHaveValue('Ada Lovelace');

  const submission = {
    format: 'tcplab-submission',
    version: 1,
    learner: 'Ada Lovelace',
    exportedAt: '2026-11-01T10:00:00.000Z',
    progress: { version: 1, checkpoints: { 'lifecycle-states': { done: true, at: '2026-11-01T09:00:00.000Z', detail: 'quiz' } } },
    code: { 'four-way-close': "console.log('mine');\n" },
  };
  await page.getByLabel('Import progress').setInputFiles({ name: 'tcplab-ada-progress.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(submission)) });
  const restored = page.locator('[data-progress-restored]');
  await expect(restored).toBeVisible();
  await expect(restored).toContainText('Imported tcplab-ada-progress.json');
  await expect(restored).toContainText('by Ada Lovelace');
  await expect(restored).toContainText(/1 of \d+ checkpoints done/);
  await expect(restored).toContainText('the code of 1 exercise');
  await expect(page.locator('li[data-checkpoint="lifecycle-states"]')).toHaveAttribute('data-done', '');

  // A file that is not an export changes nothing and says so.
  await page.getByLabel('Import progress').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.getByRole('alert')).toContainText('is not a progress export');
  await expect(restored).toBeHidden();
});

test('words: the exercise page names its lesson, the runner note reads as a sentence, counts take their plural', async ({ page }) => {
  // The local runner is for whoever opened the link `npm start` printed.
  await page.goto(`/?token=${process.env['TCPLAB_TOKEN']}`);
  await page.goto('/exercises/four-way-close/');
  await expect(page.locator('.lesson-link')).toHaveText(/^Part of lesson 2, What are the four segments of a close/);
  const ex = page.locator('tcplab-exercise');
  await expect(ex).toHaveAttribute('data-runners-ready', 'true');
  await ex.getByLabel('Run on').selectOption('local');
  await expect(ex.locator('[data-runner-note]')).toContainText('Runs on this computer (local).');
  await page.goto('/');
  await expect(page.getByText('0 of 1 checkpoint done').first()).toBeVisible();
});
