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
