/**
 * The drill's schedule in the browser: read from and written to the saved progress (its `reviews` field), so it
 * survives a reload and travels in the progress page's export. A progress that cannot be read is never written
 * over: ratings then live for this visit only, and the caller says so.
 */
import { PROGRESS_EVENT, readProgress } from '../progress-store.ts';
import { saveProgress, type Progress } from '../../grading/progress.ts';
import { recordReview, type Rating } from '../../grading/review-schedule.ts';

export type SaveOutcome = 'saved' | 'not-saved' | 'unreadable';

export function loadReviews(): { reviews: NonNullable<Progress['reviews']>; unreadable: boolean } {
  const loaded = readProgress();
  return { reviews: loaded.progress.reviews ?? {}, unreadable: loaded.status === 'unreadable' };
}

/** Records ratings (in order) at `now`. Returns the schedule as it now stands and whether it was saved. */
export function saveRatings(ratings: ReadonlyArray<{ id: string; rating: Rating }>, now: Date, fallback: NonNullable<Progress['reviews']>): { reviews: NonNullable<Progress['reviews']>; outcome: SaveOutcome } {
  const loaded = readProgress();
  const base: Progress = loaded.status === 'unreadable' ? { version: 1, checkpoints: {}, reviews: fallback } : loaded.progress;
  let next = base;
  for (const { id, rating } of ratings) next = recordReview(next, id, rating, now);
  const reviews = next.reviews ?? {};
  if (loaded.status === 'unreadable') return { reviews, outcome: 'unreadable' };
  let saved = false;
  try {
    saved = saveProgress(window.localStorage, next);
  } catch {
    saved = false;
  }
  document.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: next }));
  return { reviews, outcome: saved ? 'saved' : 'not-saved' };
}

/** The learner's typed answer to a question, kept for this tab only until the question is rated. */
export const drafts = {
  key: (id: string) => `tcplab:interview:draft:${id}`,
  get(id: string): string {
    try {
      return sessionStorage.getItem(this.key(id)) ?? '';
    } catch {
      return '';
    }
  },
  set(id: string, text: string): void {
    try {
      if (text) sessionStorage.setItem(this.key(id), text);
      else sessionStorage.removeItem(this.key(id));
    } catch {
      /* storage blocked: the text stays in the textarea */
    }
  },
};
