import type { Quiz, QuizAnswers, QuizQuestion } from './quiz.ts';

/**
 * Grading a quiz and the feedback of one question: pure functions the browser runs, kept apart from the
 * zod schemas of quiz.ts so that a page's quiz script does not carry them.
 */
export interface QuizResult {
  passed: boolean;
  score: number;
  total: number;
  questions: Array<{ id: string; correct: boolean; answered: boolean; explanation: string }>;
}

export function gradeQuiz(quiz: Quiz, answers: QuizAnswers): QuizResult {
  const questions = quiz.questions.map((q) => {
    const given = new Set(answers[q.id] ?? []);
    const right = new Set(q.choices.filter((c) => c.correct).map((c) => c.id));
    const correct = given.size === right.size && [...right].every((id) => given.has(id));
    return { id: q.id, correct, answered: given.size > 0, explanation: q.explanation };
  });
  const score = questions.filter((q) => q.correct).length;
  const total = questions.length;
  return { passed: score >= (quiz.passMark ?? total), score, total, questions };
}

/** What one question should tell the learner after a check. */
export type QuestionFeedback =
  | { kind: 'right' }
  | { kind: 'unanswered' }
  /** Wrong: the wrong choices picked (each with its own explanation), whether a right one was missed, and whether to reveal the answer now. */
  | { kind: 'wrong'; picked: string[]; missed: boolean; reveal: boolean };

/**
 * Feedback for one question: a wrong answer explains each wrong choice picked; the right answer is revealed
 * after the second wrong try (or earlier, on demand: `revealed`).
 */
export function questionFeedback(q: QuizQuestion, given: readonly string[], wrongTriesBefore: number, revealed = false): QuestionFeedback {
  const picked = new Set(given);
  if (picked.size === 0) return { kind: 'unanswered' };
  const right = q.choices.filter((c) => c.correct).map((c) => c.id);
  const wrongPicked = q.choices.filter((c) => !c.correct && picked.has(c.id)).map((c) => c.id);
  const missed = right.some((id) => !picked.has(id));
  if (wrongPicked.length === 0 && !missed) return { kind: 'right' };
  return { kind: 'wrong', picked: wrongPicked, missed, reveal: revealed || wrongTriesBefore + 1 >= 2 };
}
