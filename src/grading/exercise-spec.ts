/**
 * An exercise as data (content/exercises/<id>/exercise.json), validated with zod so a bad file fails
 * with its path and field. The grader itself lives in graders/<id>.ts under the same id.
 */
import { z } from 'zod';
import { firstIssue, parseJsonText } from './json-input.ts';

export const CAPABILITIES = ['halfClose', 'reset', 'localPort', 'selfConnect', 'processKill'] as const;

export const exerciseSpecSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by -'),
  title: z.string().min(1),
  /** Slug of the lesson that embeds it (content/lessons/<slug>.mdx). */
  lesson: z.string().min(1),
  role: z.enum(['server', 'client']),
  summary: z.string().min(1),
  /** The task, one paragraph per entry; `code` in backticks. */
  task: z.array(z.string().min(1)).min(1),
  hints: z.array(z.string().min(1)).min(1),
  needs: z.array(z.enum(CAPABILITIES)),
  /** Plausible wrong solutions (wrong/<file>) and how the grader must reject them. */
  wrong: z
    .array(
      z.strictObject({
        file: z.string().regex(/^[a-z0-9-]+\.mjs$/),
        why: z.string().min(1),
        /** Part of the name of a check that must fail. */
        failing: z.string().min(1),
        /** Part of what the failing check must say (expected, happened or hint). */
        message: z.string().min(1),
      }),
    )
    .min(2),
});

export type ExerciseSpec = z.infer<typeof exerciseSpecSchema>;

export interface ExerciseFiles {
  spec: ExerciseSpec;
  starter: string;
  solution: string;
  wrong: Record<string, string>;
  /** Correct programs written differently (also-correct/*.mjs): graders judge behaviour, not shape. */
  alsoCorrect: Record<string, string>;
}

/** Parses exercise.json text; the error names the file and the field. */
export function parseExerciseSpec(text: string, file: string): ExerciseSpec {
  const json = parseJsonText(text);
  if (!json.ok) throw new Error(`${file}: ${json.reason.replace(/^not JSON/, 'not valid JSON')}`);
  const r = exerciseSpecSchema.safeParse(json.value);
  if (r.success) return r.data;
  const { where, message } = firstIssue(r.error.issues, 'exercise');
  throw new Error(`${file}: field "${where || '(root)'}": ${message}`);
}
