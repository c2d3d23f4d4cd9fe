/** The quizzes of lessons 13–18 parse, and every choice of every question carries its own explanation. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuiz } from './quiz.ts';

const dir = join(import.meta.dirname, '../../content/quizzes');
const QUIZZES = ['simultaneous-close-quiz', 'graceful-close-quiz', 'time-wait-production-quiz', 'close-wait-leaks-quiz', 'dead-peers-quiz', 'orphans-quiz'];

describe('quizzes of the production lessons', () => {
  for (const id of QUIZZES) {
    test(`${id}: valid, its id matches its file, every choice explained`, () => {
      const raw = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as { questions: Array<{ id: string; choices: Array<{ id: string; explanation?: unknown }> }> };
      const quiz = parseQuiz(`content/quizzes/${id}.json`, raw);
      expect(quiz.id).toBe(id);
      expect(quiz.questions.length).toBeGreaterThanOrEqual(5);
      for (const q of raw.questions) {
        expect(new Set(q.choices.map((c) => c.id)).size).toBe(q.choices.length);
        for (const c of q.choices) expect(typeof c.explanation === 'string' && c.explanation.length > 10, `${q.id}/${c.id}`).toBe(true);
      }
    });
  }
});
