/**
 * What the grading host is asked to grade for one hand-in, and what it answers: plain data, validated on
 * both sides of the pipe (the host's answer is checked by the CLI like any input).
 */
import * as z from 'zod/mini';

export const MAX_PROGRAM_BYTES = 1 << 20;
export const MAX_SESSION_BYTES = 256 << 10;

export const handInJobSchema = z.strictObject({
  exercises: z.array(z.strictObject({ id: z.string(), source: z.string().check(z.maxLength(MAX_PROGRAM_BYTES)) })),
  labs: z.array(z.strictObject({ checkpoint: z.string(), seed: z.int(), session: z.string().check(z.maxLength(MAX_SESSION_BYTES)) })),
  quizzes: z.array(z.strictObject({ checkpoint: z.string(), answers: z.record(z.string(), z.array(z.string())) })),
});

export type HandInJob = z.infer<typeof handInJobSchema>;

const check = z.object({ name: z.string(), pass: z.boolean(), expected: z.optional(z.string()), happened: z.optional(z.string()), hint: z.optional(z.string()) });

export const verdictSchema = z.strictObject({
  checkpoint: z.string(),
  kind: z.enum(['quiz', 'lab', 'exercise']),
  status: z.enum(['pass', 'fail', 'error']),
  /** One line: why (the failing check, "6 of 7 right", "the session never reaches …"). */
  reason: z.string(),
  durationMs: z.number(),
  /** An exercise's checks and the program's output (for the report). */
  checks: z.optional(z.array(check)),
  output: z.optional(z.string()),
});

export type Verdict = z.infer<typeof verdictSchema>;

export const hostAnswerSchema = z.strictObject({ verdicts: z.array(verdictSchema) });
export type HostAnswer = z.infer<typeof hostAnswerSchema>;
