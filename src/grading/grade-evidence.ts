/**
 * The checkpoints a hand-in proves with evidence rather than a program: quiz answers checked against the
 * answer key, and a lab session replayed on the deterministic simulated kernel with its goal evaluated
 * again. Loaded only when a hand-in holds such evidence (a single exercise's grading never needs it).
 */
import { runScenarioSource } from '../kernel/scenario/index.ts';
import type { Catalogue } from './course-catalogue.ts';
import type { Verdict } from './hand-in-job.ts';
import { goalMet } from './lab-goals.ts';
import { gradeQuiz } from './quiz.ts';

export function gradeQuizAnswers(catalogue: Catalogue, checkpoint: string, answers: Record<string, string[]>): Verdict {
  const started = Date.now();
  const quiz = catalogue.quiz(checkpoint);
  if (!quiz) return { checkpoint, kind: 'quiz', status: 'error', reason: 'no such quiz in this course', durationMs: 0 };
  const r = gradeQuiz(quiz, Object.fromEntries(Object.entries(answers).filter(([k]) => quiz.questions.some((q) => q.id === k))));
  return { checkpoint, kind: 'quiz', status: r.passed ? 'pass' : 'fail', reason: `${r.score} of ${r.total} right${r.passed ? '' : `, ${quiz.passMark ?? r.total} needed`}`, durationMs: Date.now() - started };
}

export function gradeLabSession(catalogue: Catalogue, checkpoint: string, seed: number, session: string): Verdict {
  const started = Date.now();
  const goal = catalogue.labGoal(checkpoint);
  const v = (status: Verdict['status'], reason: string): Verdict => ({ checkpoint, kind: 'lab', status, reason, durationMs: Date.now() - started });
  if (!goal) return v('error', 'no such lab goal in this course');
  let run;
  try {
    run = runScenarioSource(session, `${checkpoint}.tcplab`, { seed });
  } catch (e) {
    return v('fail', `the session does not replay: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (run.error) return v('fail', `the session does not replay: ${run.error}`);
  const met = goalMet(goal, run.kernel.trace.events, run.kernel.now());
  return met ? v('pass', 'the replayed session reaches the goal') : v('fail', 'the replayed session never reaches the goal');
}
