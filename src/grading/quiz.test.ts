import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { gradeQuiz, parseQuiz, questionFeedback, rereadTargets } from './quiz.ts';

const wrong = (id: string, text: string) => ({ id, text, why: `${text} is wrong because of this.`, reread: 'lifecycle#transfer' });

const quiz = parseQuiz('q.json', {
  id: 'states',
  title: 'States',
  questions: [
    { id: 'q1', kind: 'single', prompt: 'Which?', explanation: 'Because.', choices: [{ id: 'a', text: 'A', correct: true }, wrong('b', 'B')] },
    {
      id: 'q2',
      kind: 'multiple',
      prompt: 'Which ones?',
      explanation: 'Both.',
      reread: 'lifecycle#try-it',
      choices: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B', correct: true }, wrong('c', 'C')],
    },
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

describe('every wrong choice explains itself', () => {
  const withChoice = (choice: object) => ({
    id: 'x', title: 'X',
    questions: [{ id: 'q', kind: 'single', prompt: 'p', explanation: 'e', choices: [{ id: 'a', text: 'A', correct: true }, choice] }],
  });

  test('a wrong choice without "why" fails, naming the file and the field', () => {
    expect(() => parseQuiz('content/quizzes/x.json', withChoice({ id: 'b', text: 'B', reread: 'lifecycle#transfer' }))).toThrow(
      'content/quizzes/x.json: field "questions.0.choices.1.why": every wrong choice needs "why": why it is wrong, in a sentence or two',
    );
  });

  test('a wrong choice without "reread" fails, naming the field', () => {
    expect(() => parseQuiz('content/quizzes/x.json', withChoice({ id: 'b', text: 'B', why: 'Because it is not so.' }))).toThrow(
      'content/quizzes/x.json: field "questions.0.choices.1.reread": every wrong choice needs "reread"',
    );
  });

  test('a reread that is not LESSON#section fails', () => {
    expect(() => parseQuiz('content/quizzes/x.json', withChoice({ id: 'b', text: 'B', why: 'Because it is not so.', reread: 'lesson 3' }))).toThrow(
      'content/quizzes/x.json: field "questions.0.choices.1.reread": expected "LESSON-SLUG#section-anchor"',
    );
  });

  test('a multiple-choice question needs its own reread, for a missed right answer', () => {
    expect(() =>
      parseQuiz('content/quizzes/x.json', {
        id: 'x', title: 'X',
        questions: [{ id: 'q', kind: 'multiple', prompt: 'p', explanation: 'e', choices: [{ id: 'a', text: 'A', correct: true }, wrong('b', 'B')] }],
      }),
    ).toThrow('content/quizzes/x.json: field "questions.0.reread": a multiple-choice question needs "reread" for a missed right answer');
  });

  test('rereadTargets lists every target with its field', () => {
    expect(rereadTargets(quiz)).toEqual([
      { field: 'questions.0.choices.1.reread', lesson: 'lifecycle', section: 'transfer' },
      { field: 'questions.1.reread', lesson: 'lifecycle', section: 'try-it' },
      { field: 'questions.1.choices.2.reread', lesson: 'lifecycle', section: 'transfer' },
    ]);
  });
});

describe('feedback that teaches', () => {
  const [single, multiple] = quiz.questions as [(typeof quiz.questions)[0], (typeof quiz.questions)[0]];

  test('a first wrong try names the wrong choice picked and keeps the answer hidden', () => {
    expect(questionFeedback(single, ['b'], 0)).toEqual({ kind: 'wrong', picked: ['b'], missed: true, reveal: false });
  });

  test('a second wrong try reveals the answer', () => {
    expect(questionFeedback(single, ['b'], 1)).toMatchObject({ kind: 'wrong', reveal: true });
  });

  test('an answer shown on demand stays shown', () => {
    expect(questionFeedback(single, ['b'], 0, true)).toMatchObject({ kind: 'wrong', reveal: true });
  });

  test('a right answer after wrong tries is right', () => {
    expect(questionFeedback(single, ['a'], 3)).toEqual({ kind: 'right' });
  });

  test('a multiple-choice answer missing a right choice, with nothing wrong ticked, says so', () => {
    expect(questionFeedback(multiple, ['a'], 0)).toEqual({ kind: 'wrong', picked: [], missed: true, reveal: false });
    expect(questionFeedback(multiple, ['a', 'b', 'c'], 0)).toEqual({ kind: 'wrong', picked: ['c'], missed: false, reveal: false });
  });

  test('nothing picked is unanswered, not wrong', () => {
    expect(questionFeedback(single, [], 5)).toEqual({ kind: 'unanswered' });
  });
});

describe('the course quizzes', () => {
  const dir = fileURLToPath(new URL('../../content/quizzes/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  test.each(files)('%s parses, and every wrong choice has its own explanation', (file) => {
    const q = parseQuiz(`content/quizzes/${file}`, JSON.parse(readFileSync(join(dir, file), 'utf8')));
    for (const question of q.questions) {
      const whys = question.choices.filter((c) => !c.correct).map((c) => c.why);
      // Each wrong choice explains itself: no copy-pasted explanation shared by two choices.
      expect(new Set(whys).size).toBe(whys.length);
    }
  });
});
