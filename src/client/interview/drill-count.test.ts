import { describe, expect, test } from 'vitest';
import { nextReview } from '../../grading/review-schedule.ts';
import { drillCountLine } from './drill-count.ts';

describe('the progress page line about the drill', () => {
  const t0 = new Date('2026-03-01T00:00:00Z');
  test('nothing when the drill was never used', () => {
    expect(drillCountLine(undefined, t0.getTime())).toBeNull();
    expect(drillCountLine({}, t0.getTime())).toBeNull();
  });
  test('counts scheduled and due questions', () => {
    const reviews = { a: nextReview(undefined, 'again', t0), b: nextReview(undefined, 'easy', t0) };
    expect(drillCountLine(reviews, t0.getTime())).toBe('2 questions scheduled, 0 due now.');
    expect(drillCountLine(reviews, t0.getTime() + 5 * 60_000)).toBe('2 questions scheduled, 1 due now.');
    expect(drillCountLine({ a: reviews.a }, t0.getTime() + 30 * 86_400_000)).toBe('1 question scheduled, 1 due now.');
  });
});
