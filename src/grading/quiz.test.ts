import { expect, test } from 'vitest';
import { gradeQuiz, parseQuiz } from './quiz.ts';

const quiz = parseQuiz('q.json', {
  id: 'states',
  title: 'States',
  questions: [
    { id: 'q1', kind: 'single', prompt: 'Which?', explanation: 'Because.', choices: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B' }] },
    { id: 'q2', kind: 'multiple', prompt: 'Which ones?', explanation: 'Both.', choices: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B', correct: true }, { id: 'c', text: 'C' }] },
  ],
});

test('all right answers pass', () => {
  expect(gradeQuiz(quiz, { q1: ['a'], q2: ['b', 'a'] })).toMatchObject({ passed: true, score: 2, total: 2 });
});

test('a multiple-choice question needs every right choice and no wrong one', () => {
  expect(gradeQuiz(quiz, { q1: ['a'], q2: ['a'] }).passed).toBe(false);
  expect(gradeQuiz(quiz, { q1: ['a'], q2: ['a', 'b', 'c'] }).passed).toBe(false);
});

test('unanswered questions are wrong and marked unanswered', () => {
  const r = gradeQuiz(quiz, {});
  expect(r.score).toBe(0);
  expect(r.questions.every((q) => !q.answered)).toBe(true);
});

test('a single-choice question with two right answers is rejected, naming the file', () => {
  expect(() =>
    parseQuiz('content/quizzes/x.json', {
      id: 'x', title: 'X',
      questions: [{ id: 'q', kind: 'single', prompt: 'p', explanation: 'e', choices: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B', correct: true }] }],
    }),
  ).toThrow(/content\/quizzes\/x\.json: question "q" is single-choice but has 2 right answers/);
});
