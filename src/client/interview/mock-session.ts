/**
 * The mock interview's rules, apart from the page: ten questions drawn at random, a clock for the whole
 * interview, one self-assessment per question, and a summary at the end. Pure: the caller passes the random
 * source and the times.
 */
import type { Rating } from '../../grading/review-schedule.ts';

export const MOCK_QUESTIONS = 10;
/** Two minutes a question: about what an interviewer gives a question and its follow-up. */
export const MOCK_MS_PER_QUESTION = 120_000;

export type Mark = 'nailed' | 'partly' | 'missed';
export const MARKS: ReadonlyArray<{ id: Mark; word: string }> = [
  { id: 'nailed', word: 'Nailed it' },
  { id: 'partly', word: 'Partly' },
  { id: 'missed', word: 'Missed it' },
];
/** How a self-assessment feeds the drill schedule, if the learner asks for it. */
export const MARK_RATING: Record<Mark, Rating> = { nailed: 'good', partly: 'hard', missed: 'again' };

export interface MockAnswer {
  id: string;
  /** null: the clock ran out or the interview was ended before this question was marked. */
  mark: Mark | null;
  ms: number;
}

/** Up to `n` distinct ids in random order (a partial Fisher–Yates shuffle). */
export function drawQuestions(ids: readonly string[], n: number, random: () => number): string[] {
  const pool = [...ids];
  const count = Math.min(n, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

export interface MockSummary {
  nailed: number;
  partly: number;
  missed: number;
  unanswered: number;
  usedMs: number;
  limitMs: number;
  outOfTime: boolean;
  /** The line the summary starts with. */
  headline: string;
}

export function summarize(answers: readonly MockAnswer[], limitMs: number, usedMs: number, outOfTime: boolean): MockSummary {
  const count = (m: Mark | null) => answers.filter((a) => a.mark === m).length;
  const s = { nailed: count('nailed'), partly: count('partly'), missed: count('missed'), unanswered: count(null) };
  const parts = [`${s.nailed} nailed`, `${s.partly} partly`, `${s.missed} missed`];
  if (s.unanswered > 0) parts.push(`${s.unanswered} not reached`);
  const used = `${formatClock(Math.min(usedMs, limitMs))} of ${formatClock(limitMs)}`;
  return { ...s, usedMs, limitMs, outOfTime, headline: `${parts.join(' · ')} — ${outOfTime ? 'time ran out' : `${used} used`}.` };
}

/** m:ss, never negative. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** The ratings to record for the answers that were marked (unmarked ones are left to the drill). */
export function ratingsFrom(answers: readonly MockAnswer[]): Array<{ id: string; rating: Rating }> {
  return answers.flatMap((a) => (a.mark ? [{ id: a.id, rating: MARK_RATING[a.mark] }] : []));
}
