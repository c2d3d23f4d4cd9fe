import * as z from 'zod/mini';
import { UNSTORABLE_KEYS } from './progress.ts';

/**
 * Where a learner should reread: a lesson's slug and the anchor of one of its sections, as the lesson page
 * names it ("half-close#in-node"). The site checks at build time that the section exists.
 */
export const rereadSchema = z
  .string()
  .check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*#[a-z0-9_-]+$/, 'expected "LESSON-SLUG#section-anchor", like "half-close#in-node"'));

/** A quiz checkpoint as data: content/quizzes/<checkpoint-id>.json. */
export const quizChoiceSchema = z
  .object({
    id: z.string(),
    text: z.string(),
    correct: z.optional(z.boolean()),
    /** Why this choice is wrong: shown as soon as a learner picks it. Required on every wrong choice. */
    why: z.optional(z.string().check(z.minLength(10, 'is too short to explain anything'))),
    /** The lesson section that answers the misunderstanding behind this choice. Required on every wrong choice. */
    reread: z.optional(rereadSchema),
  })
  .check(
    z.superRefine((choice, ctx) => {
      if (choice.correct) return;
      if (choice.why === undefined) ctx.addIssue({ code: 'custom', message: 'every wrong choice needs "why": why it is wrong, in a sentence or two', path: ['why'], input: choice });
      if (choice.reread === undefined) ctx.addIssue({ code: 'custom', message: 'every wrong choice needs "reread": the lesson section to reread, like "half-close#in-node"', path: ['reread'], input: choice });
    }),
  );

export const quizQuestionSchema = z.object({
  /** The key of the learner's answers in saved progress (evidence). */
  id: z.string().check(z.refine((id) => !UNSTORABLE_KEYS.includes(id), 'this name cannot be a key of saved progress; pick another')),
  prompt: z.string(),
  /** single: exactly one choice is right; multiple: tick every right one and no wrong one. */
  kind: z.enum(['single', 'multiple']),
  choices: z.array(quizChoiceSchema).check(z.minLength(2)),
  /** Shown with the right answer: why it is right. */
  explanation: z.string(),
  /** Where to reread when a right choice was missed (multiple-choice questions need it). */
  reread: z.optional(rereadSchema),
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
export type QuizChoice = z.infer<typeof quizChoiceSchema>;
export type QuizAnswers = Record<string, readonly string[]>;

export type { QuizResult } from './quiz-grade.ts';

/** Every reread target of a quiz, with the field that names it (for the build's check of lesson sections). */
export function rereadTargets(quiz: Quiz): Array<{ field: string; lesson: string; section: string }> {
  const out: Array<{ field: string; lesson: string; section: string }> = [];
  const add = (field: string, target: string | undefined) => {
    if (!target) return;
    const [lesson, section] = target.split('#') as [string, string];
    out.push({ field, lesson, section });
  };
  quiz.questions.forEach((q, i) => {
    add(`questions.${i}.reread`, q.reread);
    q.choices.forEach((c, j) => add(`questions.${i}.choices.${j}.reread`, c.reread));
  });
  return out;
}

/** Throws with the file and the field named when a quiz file is malformed or inconsistent. */
export function parseQuiz(file: string, data: unknown): Quiz {
  const result = quizSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid quiz'}`);
  }
  const quiz = result.data;
  quiz.questions.forEach((q, i) => {
    const right = q.choices.filter((c) => c.correct).length;
    if (q.kind === 'single' && right !== 1) throw new Error(`${file}: question "${q.id}" is single-choice but has ${right} right answers`);
    if (q.kind === 'multiple' && right < 1) throw new Error(`${file}: question "${q.id}" has no right answer`);
    if (q.kind === 'multiple' && !q.reread) throw new Error(`${file}: field "questions.${i}.reread": a multiple-choice question needs "reread" for a missed right answer`);
  });
  return quiz;
}

export { gradeQuiz, questionFeedback, type QuestionFeedback } from './quiz-grade.ts';
