/**
 * The interview drill's spaced-repetition schedule: which question comes back when.
 * FSRS (ts-fsrs) decides the intervals; this module only converts between its cards and the plain
 * records kept in the progress store (progress.ts `reviews`), and orders the drill's queue.
 * Pure: every function takes `now`, nothing reads a clock.
 */
import { Rating as FsrsRating, State, createEmptyCard, fsrs, generatorParameters, type Card, type Grade } from 'ts-fsrs';
import type { Progress, ReviewRecord } from './progress.ts';

export type Rating = ReviewRecord['rating'];
export const RATINGS: readonly Rating[] = ['again', 'hard', 'good', 'easy'];

const GRADE: Record<Rating, Grade> = { again: FsrsRating.Again, hard: FsrsRating.Hard, good: FsrsRating.Good, easy: FsrsRating.Easy };
const STATE_NAME = { [State.Learning]: 'learning', [State.Review]: 'review', [State.Relearning]: 'relearning' } as const;
const STATE_OF: Record<ReviewRecord['state'], State> = { learning: State.Learning, review: State.Review, relearning: State.Relearning };

/** No fuzz: the same ratings at the same times give the same schedule (tests, and learners comparing notes). */
const scheduler = fsrs(generatorParameters({ enable_fuzz: false, maximum_interval: 365 }));

/** A time from the store in ms since the epoch; one that does not parse counts as long ago (due now). */
function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

function toCard(record: ReviewRecord | undefined, now: Date): Card {
  if (!record) return createEmptyCard(now);
  return {
    due: new Date(timeOf(record.due)),
    stability: record.stability,
    difficulty: record.difficulty,
    elapsed_days: 0,
    scheduled_days: record.scheduledDays,
    learning_steps: record.step,
    reps: record.reps,
    lapses: record.lapses,
    state: STATE_OF[record.state],
    last_review: new Date(timeOf(record.last)),
  };
}

function toRecord(card: Card, rating: Rating, now: Date): ReviewRecord {
  const state = card.state === State.New ? 'learning' : STATE_NAME[card.state];
  return {
    due: card.due.toISOString(),
    last: now.toISOString(),
    rating,
    state,
    stability: card.stability,
    difficulty: card.difficulty,
    step: card.learning_steps,
    scheduledDays: card.scheduled_days,
    reps: card.reps,
    lapses: card.lapses,
  };
}

/** The record after the learner rates a question at `now` (a question never rated before starts fresh). */
export function nextReview(record: ReviewRecord | undefined, rating: Rating, now: Date): ReviewRecord {
  const { card } = scheduler.next(toCard(record, now), now, GRADE[rating]);
  return toRecord(card, rating, now);
}

/** For each rating, how long (ms) until the question would come back: the labels of the rating buttons. */
export function previewIntervals(record: ReviewRecord | undefined, now: Date): Record<Rating, number> {
  const preview = scheduler.repeat(toCard(record, now), now);
  const out = {} as Record<Rating, number>;
  for (const r of RATINGS) out[r] = Math.max(0, preview[GRADE[r]].card.due.getTime() - now.getTime());
  return out;
}

/** The progress with one more rating recorded. Everything else in it is kept as it was. */
export function recordReview(progress: Progress, questionId: string, rating: Rating, now: Date): Progress {
  const reviews = progress.reviews ?? {};
  return { ...progress, reviews: { ...reviews, [questionId]: nextReview(reviews[questionId], rating, now) } };
}

export function dueTime(record: ReviewRecord): number {
  return timeOf(record.due);
}

export interface DrillQueue {
  /** Questions due now (most overdue first), then, when `learnAheadMs` allows, those due within it. */
  due: string[];
  /** Questions never rated, in the order given. */
  fresh: string[];
  /** Questions scheduled later, soonest first. */
  later: Array<{ id: string; due: number }>;
}

/**
 * Orders the drill: what is due, then what is new, then what is scheduled later. Ids of questions that
 * no longer exist are ignored (a record outlives a question that was removed from the course).
 */
export function buildQueue(ids: readonly string[], reviews: Progress['reviews'], now: Date, learnAheadMs = 0): DrillQueue {
  const known = reviews ?? {};
  const due: Array<{ id: string; due: number }> = [];
  const later: Array<{ id: string; due: number }> = [];
  const fresh: string[] = [];
  for (const id of ids) {
    const record = Object.hasOwn(known, id) ? known[id] : undefined;
    if (!record) fresh.push(id);
    else if (dueTime(record) <= now.getTime() + learnAheadMs) due.push({ id, due: dueTime(record) });
    else later.push({ id, due: dueTime(record) });
  }
  const byDue = (a: { due: number }, b: { due: number }) => a.due - b.due;
  return { due: due.sort(byDue).map((d) => d.id), fresh, later: later.sort(byDue) };
}

/** "1 min", "10 min", "5 h", "3 days", "2 mo": how a rating button says when the question comes back. */
export function formatInterval(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h`;
  const d = Math.round(h / 24);
  if (d < 31) return d === 1 ? '1 day' : `${d} days`;
  const mo = Math.round(d / 30);
  if (mo < 12) return `${mo} mo`;
  return `${Math.round((d / 365) * 10) / 10} yr`;
}
