/**
 * Grades one hand-in, never trusting what the browser claimed: quiz answers and lab sessions through
 * grade-evidence.ts, each exercise's program run against its grader on real Node. Runs in the grading host
 * (in a jail of its own).
 */
import type { Catalogue } from './course-catalogue.ts';
import type { GradeResult } from './exercise-types.ts';
import { GRADERS } from './graders/index.ts';
import type { HandInJob, Verdict } from './hand-in-job.ts';
import { gradeSourceOnRealNode, type ProgramStarter } from './run-real.ts';

const own = <T>(o: Record<string, T>, k: string): T | undefined => (Object.hasOwn(o, k) ? o[k] : undefined);

export function exerciseVerdict(r: GradeResult): Verdict {
  const failed = r.checks.find((c) => !c.pass);
  const reason = r.status === 'pass' ? `${r.checks.length} checks passed` : r.status === 'error' ? (r.error ?? 'could not be judged') : failed ? `failed: ${failed.name}` : 'failed';
  return { checkpoint: r.exercise, kind: 'exercise', status: r.status, reason, durationMs: r.durationMs, checks: r.checks, output: r.output.slice(0, 64 << 10) };
}

export interface HandInGrading {
  /** The grader's helper programs signal their start too (a loaded grading host). */
  helpersSignalReady?: boolean;
  /** Read only when the hand-in has quizzes or labs (a single exercise needs no course content). */
  catalogue: () => Catalogue | Promise<Catalogue>;
  starter: ProgramStarter;
  /** Exercises graded at once (each in its own jail, on its own ports). */
  concurrency?: number;
}

/** Every verdict of one hand-in. Never throws. */
export async function gradeHandIn(job: HandInJob, g: HandInGrading): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  if (job.quizzes.length + job.labs.length > 0) {
    const { gradeQuizAnswers, gradeLabSession } = await import('./grade-evidence.ts');
    const catalogue = await g.catalogue();
    for (const q of job.quizzes) verdicts.push(gradeQuizAnswers(catalogue, q.checkpoint, q.answers));
    // Labs replay on the simulated kernel before any program runs, so they never hold up a grader's timers.
    for (const l of job.labs) verdicts.push(gradeLabSession(catalogue, l.checkpoint, l.seed, l.session));
  }
  const queue = [...job.exercises];
  const worker = async () => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      const grader = own(GRADERS, e.id);
      if (!grader) {
        verdicts.push({ checkpoint: e.id, kind: 'exercise', status: 'error', reason: 'no such exercise', durationMs: 0 });
        continue;
      }
      verdicts.push(exerciseVerdict(await gradeSourceOnRealNode(grader, e.source, { starter: g.starter, helpersSignalReady: g.helpersSignalReady === true })));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, g.concurrency ?? 6) }, worker));
  return verdicts;
}
