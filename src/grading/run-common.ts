import type { Check, ExerciseGrader, GradeResult, GraderContext } from './exercise-types.ts';

/** Runs a grader over a prepared context; never throws: a grader crash becomes status "error". */
export async function runGrader(grader: ExerciseGrader, ctx: Omit<GraderContext, 'check'>, output: () => string, started: number, now: () => number): Promise<GradeResult> {
  const checks: Check[] = [];
  try {
    await grader.run({ ...ctx, check: (c) => checks.push(c) });
  } catch (e) {
    return { exercise: grader.id, status: 'error', checks, output: output(), error: `the grader failed: ${e instanceof Error ? e.message : String(e)}`, durationMs: now() - started };
  }
  const status = checks.length > 0 && checks.every((c) => c.pass) ? 'pass' : 'fail';
  return { exercise: grader.id, status, checks, output: output(), durationMs: now() - started };
}

export function randomToken(): string {
  return Math.random().toString(36).slice(2, 10);
}
