import { expect, test } from 'vitest';
import { buildOutline, neighbours, slugFromId } from './course-outline.ts';
import { parseLessonFrontmatter } from './lesson-schema.ts';

const lesson = (order: number, part: string) =>
  parseLessonFrontmatter('x.mdx', {
    title: `Lesson ${order}`,
    order,
    part,
    summary: 'A summary long enough.',
    minutes: 5,
    checkpoints: [{ id: `c-${order}`, kind: 'quiz', title: 'Quiz' }],
  });

test('slugs drop the order prefix of the file name', () => {
  expect(slugFromId('01-lifecycle')).toBe('lifecycle');
  expect(slugFromId('time-wait')).toBe('time-wait');
});

test('lessons are ordered by their order field and grouped by part in course order', () => {
  const outline = buildOutline([
    { id: '03-c', data: lesson(3, 'beyond') },
    { id: '01-a', data: lesson(1, 'basics') },
    { id: '02-b', data: lesson(2, 'basics') },
  ]);
  expect(outline.lessons.map((l) => l.slug)).toEqual(['a', 'b', 'c']);
  expect(outline.parts.map((p) => [p.id, p.lessons.map((l) => l.slug)])).toEqual([
    ['basics', ['a', 'b']],
    ['beyond', ['c']],
  ]);
});

test('previous and next follow the course order, with none at the ends', () => {
  const outline = buildOutline([
    { id: '01-a', data: lesson(1, 'basics') },
    { id: '02-b', data: lesson(2, 'basics') },
  ]);
  expect(neighbours(outline, 'a').prev).toBeUndefined();
  expect(neighbours(outline, 'a').next?.slug).toBe('b');
  expect(neighbours(outline, 'b').prev?.slug).toBe('a');
  expect(neighbours(outline, 'b').next).toBeUndefined();
});
