import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

const quiz = JSON.parse(readFileSync(new URL('../content/quizzes/review-quiz.json', import.meta.url), 'utf8')) as {
  questions: Array<{ id: string; choices: Array<{ id: string; correct?: boolean }> }>;
};

test('the interview review is shuffled and timed, and passing it ticks its checkpoint', async ({ page }) => {
  await page.goto('/lessons/review/');
  const review = page.locator('tcplab-quiz[data-quiz-id="review-quiz"][data-ready]');
  await expect(review.getByText(/^Time: \d+:\d\d$/)).toBeVisible();
  const order = await review.locator('fieldset').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-question')));
  expect([...order].sort()).toEqual(quiz.questions.map((q) => q.id).sort());
  for (const q of quiz.questions) {
    for (const c of q.choices.filter((c) => c.correct)) {
      await review.locator(`fieldset[data-question="${q.id}"] input[value="${c.id}"]`).check();
    }
  }
  await review.getByRole('button', { name: 'Check answers' }).click();
  await expect(review.getByRole('status')).toContainText(`Passed: ${quiz.questions.length} of ${quiz.questions.length} right in 0:`);
  await expect(page.locator('.checkpoints li[data-checkpoint="review-quiz"]')).toHaveAttribute('data-done', '');
});
