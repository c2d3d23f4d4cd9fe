import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { drawQuestions, formatClock, ratingsFrom, summarize, type MockAnswer } from './mock-session.ts';

describe('the mock interview', () => {
  test('draws ten distinct questions from the bank, whatever the random source', () => {
    const ids = Array.from({ length: 52 }, (_, i) => `q${i}`);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 10, maxLength: 10 }), (rolls) => {
        let i = 0;
        const drawn = drawQuestions(ids, 10, () => rolls[i++ % rolls.length]!);
        expect(drawn).toHaveLength(10);
        expect(new Set(drawn).size).toBe(10);
        for (const id of drawn) expect(ids).toContain(id);
      }),
    );
  });

  test('with fewer questions than asked for, it uses them all', () => {
    expect(drawQuestions(['a', 'b', 'c'], 10, () => 0.5).sort()).toEqual(['a', 'b', 'c']);
  });

  test('every question can be drawn first', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const firsts = new Set([0, 0.3, 0.6, 0.9].map((r) => drawQuestions(ids, 1, () => r)[0]));
    expect(firsts).toEqual(new Set(ids));
  });

  test('the summary counts the marks and the time', () => {
    const answers: MockAnswer[] = [
      { id: 'a', mark: 'nailed', ms: 40_000 },
      { id: 'b', mark: 'partly', ms: 90_000 },
      { id: 'c', mark: 'missed', ms: 30_000 },
      { id: 'd', mark: null, ms: 0 },
    ];
    expect(summarize(answers, 1_200_000, 160_000, false)).toMatchObject({ nailed: 1, partly: 1, missed: 1, unanswered: 1, headline: '1 nailed · 1 partly · 1 missed · 1 not reached — 2:40 of 20:00 used.' });
    expect(summarize(answers, 1_200_000, 1_200_400, true).headline).toMatch(/time ran out\.$/);
  });

  test('marks become drill ratings; unmarked questions are left alone', () => {
    expect(ratingsFrom([{ id: 'a', mark: 'nailed', ms: 1 }, { id: 'b', mark: 'missed', ms: 1 }, { id: 'c', mark: null, ms: 0 }])).toEqual([
      { id: 'a', rating: 'good' },
      { id: 'b', rating: 'again' },
    ]);
  });

  test('the clock reads m:ss and never goes below zero', () => {
    expect(formatClock(1_200_000)).toBe('20:00');
    expect(formatClock(61_001)).toBe('1:02');
    expect(formatClock(-5)).toBe('0:00');
  });
});
