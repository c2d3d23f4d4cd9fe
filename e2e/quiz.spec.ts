import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

interface QuizData {
  questions: Array<{ id: string; choices: Array<{ id: string; text: string; correct?: boolean; why?: string; reread?: string }> }>;
}
const read = (id: string) => JSON.parse(readFileSync(new URL(`../content/quizzes/${id}.json`, import.meta.url), 'utf8')) as QuizData;
const lifecycle = read('lifecycle-states');
const openClient = lifecycle.questions.find((q) => q.id === 'open-client')!;
const choice = (id: string) => openClient.choices.find((c) => c.id === id)!;
/** The text a learner reads: `code` spans lose their backticks. */
const plain = (s: string) => s.replace(/`/g, '');

test('a wrong answer explains itself and links the section to reread; a second wrong try gives the answer', async ({ page }) => {
  await page.goto('/lessons/lifecycle/');
  const quiz = page.locator('tcplab-quiz[data-quiz-id="lifecycle-states"][data-ready]');
  const q = quiz.locator('fieldset[data-question="open-client"]');
  const feedback = q.locator('[data-feedback]');
  const answerMark = q.getByText('✓ the right answer');

  await q.getByRole('radio', { name: 'LISTEN', exact: true }).check();
  await quiz.getByRole('button', { name: 'Check answers' }).click();
  await expect(feedback).toContainText(plain(choice('listen').why!));
  const reread = feedback.getByRole('link', { name: /^Reread “The three segments that open a connection”, lesson 1$/ });
  await expect(reread).toHaveAttribute('href', '/lessons/lifecycle/#the-three-segments-that-open-a-connection');
  await expect(answerMark).toBeHidden();
  await expect(feedback).not.toContainText('The answer:');

  // A second wrong try, with another wrong choice: its own explanation, and now the answer.
  await q.getByRole('radio', { name: 'SYN_RECV', exact: true }).check();
  await quiz.getByRole('button', { name: 'Check answers' }).click();
  await expect(feedback).toContainText(plain(choice('syn-recv').why!));
  await expect(feedback).not.toContainText(plain(choice('listen').why!));
  await expect(feedback).toContainText('The answer: SYN_SENT.');
  await expect(answerMark).toBeVisible();
  await expect(q.getByRole('button', { name: 'Answer shown' })).toHaveAttribute('aria-disabled', 'true');

  // The reread link leads to that section of the lesson.
  await page.goto('/lessons/lifecycle/#the-three-segments-that-open-a-connection');
  await expect(page.locator('#the-three-segments-that-open-a-connection')).toHaveText('The three segments that open a connection');
});

test('"Show the answer" reveals one question on demand, from the keyboard, and the quiz stays axe-clean', async ({ page }) => {
  await page.goto('/lessons/time-wait/');
  const quiz = page.locator('tcplab-quiz[data-quiz-id="time-wait-quiz"][data-ready]');
  const q = quiz.locator('fieldset[data-question="length"]');
  const show = q.getByRole('button', { name: 'Show the answer' });
  await show.focus();
  await page.keyboard.press('Enter');
  await expect(q.locator('[data-feedback]')).toContainText('The answer: 60 s, fixed in the kernel (TCP_TIMEWAIT_LEN); no sysctl changes it.');
  await expect(q.getByText('✓ the right answer')).toBeVisible();
  // Other questions are untouched.
  await expect(quiz.locator('fieldset[data-question="who"] [data-feedback]')).toBeHidden();

  // Answer a question with the keyboard alone: focus its first choice, move with the arrows, check with Enter.
  const who = quiz.locator('fieldset[data-question="who"]');
  await who.getByRole('radio').first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(who.getByRole('radio', { name: 'The side that sent the second FIN' })).toBeChecked();
  await quiz.getByRole('button', { name: 'Check answers' }).focus();
  await page.keyboard.press('Enter');
  await expect(who.locator('[data-feedback]')).toContainText('it goes from LAST_ACK straight to CLOSED');

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const results = await new AxeBuilder({ page }).include('tcplab-quiz').analyze();
    expect(results.violations.map((v) => `${theme} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }
});

test('a multiple-choice answer that misses a right choice says so and where to reread', async ({ page }) => {
  await page.goto('/lessons/who-sends-fin/');
  const quiz = page.locator('tcplab-quiz[data-quiz-id="who-sends-fin-quiz"][data-ready]');
  const q = quiz.locator('fieldset[data-question="which"]');
  await q.getByRole('checkbox', { name: 'close(fd)' }).check();
  await quiz.getByRole('button', { name: 'Check answers' }).click();
  await expect(q.locator('[data-feedback]')).toContainText('A right answer is missing.');
  await expect(q.locator('[data-feedback]').getByRole('link', { name: /^Reread “What a FIN means, exactly”, lesson 3$/ })).toBeVisible();
});

test('the review quiz states its question count from the data', async ({ page }) => {
  const review = read('review-quiz');
  await page.goto('/lessons/review/');
  const quiz = page.locator('tcplab-quiz[data-quiz-id="review-quiz"][data-ready]');
  await expect(quiz.locator('fieldset[data-question]')).toHaveCount(review.questions.length);
  await expect(quiz.locator('[data-count]')).toContainText(`${review.questions.length} questions; pass mark:`);
  // No number of questions written in the lesson's own words.
  const prose = await page.locator('#reading').evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('tcplab-quiz').forEach((q) => q.remove());
    return copy.textContent ?? '';
  });
  expect(prose).not.toMatch(/\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\s+questions\b/i);
});
