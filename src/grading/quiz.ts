import * as z from 'zod/mini';

/** A quiz checkpoint as data: content/quizzes/<checkpoint-id>.json. */
export const quizChoiceSchema = z.object({ id: z.string(), text: z.string(), correct: z.optional(z.boolean()) });
export const quizQuestionSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  /** single: exactly one choice is right; multiple: tick every right one and no wrong one. */
  kind: z.enum(['single', 'multiple']),
  choices: z.array(quizChoiceSchema).check(z.minLength(2)),
  /** Shown after an answer: why the right answer is right. */
  explanation: z.string(),
});
export const quizSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** How many questions must be right to pass; all of them when absent. */
  passMark: z.optional(z.number()),
  questions: z.array(quizQuestionSchema).check(z.minLength(1)),
});

export type Quiz = z.infer<typeof quizSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
export type QuizAnswers = Record<string, readonly string[]>;

export interface QuizResult {
  passed: boolean;
  score: number;
  total: number;
  questions: Array<{ id: string; correct: boolean; answered: boolean; explanation: string }>;
}

/** Throws with the file named when a quiz file is malformed or inconsistent. */
export function parseQuiz(file: string, data: unknown): Quiz {
  const result = quizSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid quiz'}`);
  }
  const quiz = result.data;
  for (const q of quiz.questions) {
    const right = q.choices.filter((c) => c.correct).length;
    if (q.kind === 'single' && right !== 1) throw new Error(`${file}: question "${q.id}" is single-choice but has ${right} right answers`);
    if (q.kind === 'multiple' && right < 1) throw new Error(`${file}: question "${q.id}" has no right answer`);
  }
  return quiz;
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
