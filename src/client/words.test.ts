import { expect, test } from 'vitest';
import { checkpointsDone, plural } from './words.ts';

test('counts take the singular for one and the plural otherwise', () => {
  expect(checkpointsDone(0, 1)).toBe('0 of 1 checkpoint done');
  expect(checkpointsDone(1, 1)).toBe('1 of 1 checkpoint done');
  expect(checkpointsDone(2, 3)).toBe('2 of 3 checkpoints done');
  expect(plural(1, 'exercise')).toBe('1 exercise');
  expect(plural(0, 'exercise')).toBe('0 exercises');
});
