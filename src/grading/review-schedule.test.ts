import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { emptyProgress, loadProgress, markDone, parseProgress, saveProgress, PROGRESS_KEY, type KeyValueStore, type Progress } from './progress.ts';
import { makeSubmission, parseSubmission } from './submission.ts';
import { RATINGS, buildQueue, dueTime, formatInterval, nextReview, previewIntervals, recordReview, type Rating } from './review-schedule.ts';

const T0 = new Date('2026-03-01T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const DAY = 86_400_000;

function memoryStore(): KeyValueStore {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('the drill schedule (FSRS)', () => {
  test('a new question rated "again" comes back within minutes, "easy" only after days', () => {
    const again = nextReview(undefined, 'again', T0);
    const easy = nextReview(undefined, 'easy', T0);
    expect(dueTime(again) - T0.getTime()).toBeLessThanOrEqual(10 * MIN);
    expect(dueTime(easy) - T0.getTime()).toBeGreaterThanOrEqual(DAY);
    expect(again.rating).toBe('again');
    expect(again.last).toBe(T0.toISOString());
  });

  test('the four ratings of one question come back in order: again ≤ hard ≤ good ≤ easy', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...RATINGS), { maxLength: 8 }), fc.integer({ min: 0, max: 30 }), (history, gapDays) => {
        let record = undefined as ReturnType<typeof nextReview> | undefined;
        let now = T0;
        for (const r of history) {
          record = nextReview(record, r, now);
          now = new Date(Math.max(dueTime(record), now.getTime()) + gapDays * DAY);
        }
        const p = previewIntervals(record, now);
        expect(p.again).toBeLessThanOrEqual(p.hard);
        expect(p.hard).toBeLessThanOrEqual(p.good);
        expect(p.good).toBeLessThanOrEqual(p.easy);
      }),
      { numRuns: 60 },
    );
  });

  test('answering well again and again spaces the question out further each time', () => {
    let record = nextReview(undefined, 'good', T0);
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const now = new Date(dueTime(record));
      record = nextReview(record, 'good', now);
      const interval = dueTime(record) - now.getTime();
      expect(interval).toBeGreaterThan(last);
      last = interval;
    }
    expect(last).toBeGreaterThan(7 * DAY);
    expect(record.state).toBe('review');
  });

  test('forgetting a learned question ("again") brings it back soon and counts a lapse', () => {
    let record = nextReview(undefined, 'easy', T0);
    const now = new Date(dueTime(record));
    record = nextReview(record, 'again', now);
    expect(record.lapses).toBe(1);
    expect(record.state).toBe('relearning');
    expect(dueTime(record) - now.getTime()).toBeLessThanOrEqual(15 * MIN);
  });

  test('the preview a button shows is the schedule the rating then gives', () => {
    const first = nextReview(undefined, 'good', T0);
    const now = at(20 * MIN);
    const preview = previewIntervals(first, now);
    for (const r of RATINGS) expect(dueTime(nextReview(first, r, now)) - now.getTime()).toBe(preview[r]);
  });

  test('the same ratings at the same times give the same schedule (no fuzz)', () => {
    const run = () => ['good', 'hard', 'good', 'easy'].reduce<ReturnType<typeof nextReview> | undefined>((rec, r, i) => nextReview(rec, r as Rating, at(i * DAY)), undefined);
    expect(run()).toEqual(run());
  });

  test('a stored time that does not parse makes the question due now instead of breaking the drill', () => {
    const record = { ...nextReview(undefined, 'easy', T0), due: 'not a date', last: 'garbage' };
    expect(buildQueue(['q'], { q: record }, T0).due).toEqual(['q']);
    expect(() => nextReview(record, 'good', T0)).not.toThrow();
  });
});

describe('the drill queue', () => {
  test('due questions first (most overdue first), then new ones in course order, then the rest by date', () => {
    const reviews = {
      a: { ...nextReview(undefined, 'good', T0), due: at(-5 * MIN).toISOString() },
      b: { ...nextReview(undefined, 'good', T0), due: at(-60 * MIN).toISOString() },
      c: { ...nextReview(undefined, 'good', T0), due: at(2 * DAY).toISOString() },
      d: { ...nextReview(undefined, 'good', T0), due: at(1 * DAY).toISOString() },
    };
    const q = buildQueue(['a', 'b', 'c', 'd', 'e', 'f'], reviews, T0);
    expect(q.due).toEqual(['b', 'a']);
    expect(q.fresh).toEqual(['e', 'f']);
    expect(q.later.map((l) => l.id)).toEqual(['d', 'c']);
  });

  test('learning ahead counts questions due within the window as due', () => {
    const reviews = { a: nextReview(undefined, 'good', T0) };
    expect(buildQueue(['a'], reviews, T0).due).toEqual([]);
    expect(buildQueue(['a'], reviews, T0, 20 * MIN).due).toEqual(['a']);
  });

  test('a record of a question that no longer exists is ignored, and an id named like an Object property is new', () => {
    const q = buildQueue(['constructor'], { gone: nextReview(undefined, 'good', T0) }, T0);
    expect(q).toEqual({ due: [], fresh: ['constructor'], later: [] });
  });
});

describe('the schedule in the progress store', () => {
  test('ratings survive a reload, and the checkpoints beside them are untouched', () => {
    const store = memoryStore();
    let progress: Progress = markDone(emptyProgress(), 'lifecycle-lab', T0);
    for (const [id, r] of [['why-time-wait', 'good'], ['close-wait-leak', 'again'], ['rst-vs-fin', 'easy']] as const) progress = recordReview(progress, id, r, T0);
    saveProgress(store, progress);
    const loaded = loadProgress(store);
    expect(loaded.status).toBe('ok');
    expect(loaded.progress).toEqual(progress);
    expect(Object.keys(loaded.progress.reviews ?? {})).toEqual(['why-time-wait', 'close-wait-leak', 'rst-vs-fin']);
    expect(loaded.progress.checkpoints['lifecycle-lab']?.done).toBe(true);
  });

  test('progress saved before the drill existed (no reviews field) still parses', () => {
    const old = JSON.stringify({ version: 1, checkpoints: { a: { done: true, at: '2025-01-01T00:00:00.000Z' } }, lastLesson: 'lifecycle' });
    const parsed = parseProgress(old);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.progress.reviews).toBeUndefined();
  });

  test('a malformed review is reported with where it is wrong, like any bad progress', () => {
    const store = memoryStore();
    store.setItem(PROGRESS_KEY, JSON.stringify({ version: 1, checkpoints: {}, reviews: { q: { due: 5 } } }));
    const loaded = loadProgress(store);
    expect(loaded.status).toBe('unreadable');
    if (loaded.status === 'unreadable') expect(loaded.reason).toMatch(/reviews\.q/);
  });

  test('a hand-in (the progress page export) carries the schedule, and importing it gives it back whole', () => {
    const progress = recordReview(recordReview(emptyProgress(), 'a', 'good', T0), 'b', 'hard', at(MIN));
    const text = JSON.stringify(makeSubmission(progress, { 'four-way-close': '// code' }, T0, 'Ada'));
    const parsed = parseSubmission(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.submission.progress.reviews).toEqual(progress.reviews);
  });
});

describe('interval labels', () => {
  test.each([
    [30_000, '1 min'],
    [10 * MIN, '10 min'],
    [5 * 60 * MIN, '5 h'],
    [DAY, '1 day'],
    [3 * DAY, '3 days'],
    [60 * DAY, '2 mo'],
    [400 * DAY, '1.1 yr'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(formatInterval(ms)).toBe(text);
  });
});
