import { describe, expect, test } from 'vitest';
import { countLine, filtersFromQuery, matchesFilters, queryFromFilters } from './question-filter.ts';

const known = { topics: ['time-wait', 'reset'], levels: ['basic', 'advanced'] };

describe('question filters', () => {
  test('an empty filter shows everything; each set field narrows', () => {
    const q = { topic: 'time-wait', level: 'basic', article: false };
    expect(matchesFilters(q, { topic: '', level: '', article: false })).toBe(true);
    expect(matchesFilters(q, { topic: 'time-wait', level: 'basic', article: false })).toBe(true);
    expect(matchesFilters(q, { topic: 'reset', level: '', article: false })).toBe(false);
    expect(matchesFilters(q, { topic: '', level: 'advanced', article: false })).toBe(false);
    expect(matchesFilters(q, { topic: '', level: '', article: true })).toBe(false);
    expect(matchesFilters({ ...q, article: true }, { topic: '', level: '', article: true })).toBe(true);
  });

  test('filters survive a round trip through the address', () => {
    const f = { topic: 'reset', level: 'advanced', article: true };
    expect(filtersFromQuery(queryFromFilters(f), known)).toEqual(f);
    expect(queryFromFilters({ topic: '', level: '', article: false })).toBe('');
  });

  test('values the page does not offer are ignored', () => {
    expect(filtersFromQuery('?topic=<script>&level=expert&article=yes', known)).toEqual({ topic: '', level: '', article: false });
  });

  test('the count says how many are shown', () => {
    expect(countLine(3, 52)).toBe('3 of 52 questions shown.');
  });
});
