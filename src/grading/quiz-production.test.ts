/** The quizzes of lessons 13–18 parse, and every choice of every question carries its own explanation. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuiz } from './quiz.ts';

const dir = join(import.meta.dirname, '../../content/quizzes');
const QUIZZES = ['simultaneous-close-quiz', 'graceful-close-quiz', 'time-wait-production-quiz', 'close-wait-leaks-quiz', 'dead-peers-quiz', 'orphans-quiz'];

describe('quizzes of the production lessons', () => {
  for (const id of QUIZZES) {
    test(`${id}: valid, its id matches its file, every wrong choice says why and where to reread`, () => {
      const quiz = parseQuiz(`content/quizzes/${id}.json`, JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')));
      expect(quiz.id).toBe(id);
      expect(quiz.questions.length).toBeGreaterThanOrEqual(5);
      for (const q of quiz.questions) {
        expect(new Set(q.choices.map((c) => c.id)).size).toBe(q.choices.length);
        for (const c of q.choices.filter((x) => !x.correct)) {
          expect((c.why ?? '').length, `${q.id}/${c.id}`).toBeGreaterThan(10);
          expect(c.reread, `${q.id}/${c.id}`).toMatch(/^[a-z0-9-]+#[a-z0-9_-]+$/);
        }
      }
    });
  }
});
