import { describe, expect, test } from 'vitest';
import { checkCourse, parseLessonFrontmatter, type LessonFrontmatter } from './lesson-schema.ts';

const good = {
  title: 'What are opening, transfer and release?',
  order: 1,
  part: 'basics',
  summary: 'The three phases of a TCP connection.',
  minutes: 10,
  checkpoints: [{ id: 'lifecycle-lab', kind: 'lab', title: 'See a full open and close' }],
};

describe('lesson frontmatter schema', () => {
  test('accepts a complete lesson and defaults the lab pane to none', () => {
    const parsed = parseLessonFrontmatter('content/lessons/01-lifecycle.mdx', good);
    expect(parsed.lab).toEqual({ kind: 'none' });
  });

  test('rejects a missing title, naming the file and the field', () => {
    const { title: _omit, ...noTitle } = good;
    expect(() => parseLessonFrontmatter('content/lessons/01-lifecycle.mdx', noTitle)).toThrow(
      /content\/lessons\/01-lifecycle\.mdx[\s\S]*field "title": is required but missing/,
    );
  });

  test('rejects a checkpoint of an unknown kind, naming the file and the field', () => {
    const bad = { ...good, checkpoints: [{ id: 'x-lab', kind: 'essay', title: 'Write an essay' }] };
    expect(() => parseLessonFrontmatter('content/lessons/02-four-way-close.mdx', bad)).toThrow(
      /content\/lessons\/02-four-way-close\.mdx[\s\S]*field "checkpoints\[0\]\.kind"/,
    );
  });

  test('rejects an unknown field instead of ignoring a typo', () => {
    expect(() => parseLessonFrontmatter('a.mdx', { ...good, minuets: 3 })).toThrow(/a\.mdx[\s\S]*minuets/);
  });

  test('rejects a checkpoint id that saved progress could not keep (a prototype key)', () => {
    const bad = { ...good, checkpoints: [{ id: 'constructor', kind: 'lab', title: 'See a full open and close' }] };
    expect(() => parseLessonFrontmatter('a.mdx', bad)).toThrow(/field "checkpoints\[0\]\.id": this name cannot be a key of saved progress/);
  });

  test('rejects a part that does not exist', () => {
    expect(() => parseLessonFrontmatter('a.mdx', { ...good, part: 'nope' })).toThrow(/field "part"/);
  });
});

describe('course-wide checks', () => {
  const lesson = (order: number, ids: string[]): LessonFrontmatter =>
    parseLessonFrontmatter('x.mdx', {
      ...good,
      order,
      checkpoints: ids.map((id) => ({ id, kind: 'quiz', title: 'A quiz' })),
    });

  test('rejects a checkpoint id used twice, naming both files', () => {
    expect(() =>
      checkCourse([
        { file: 'content/lessons/01-a.mdx', data: lesson(1, ['shared-id']) },
        { file: 'content/lessons/02-b.mdx', data: lesson(2, ['other', 'shared-id']) },
      ]),
    ).toThrow(
      'content/lessons/02-b.mdx: field "checkpoints[1].id": "shared-id" is already used by content/lessons/01-a.mdx',
    );
  });

  test('rejects two lessons with the same order', () => {
    expect(() =>
      checkCourse([
        { file: 'a.mdx', data: lesson(1, ['a']) },
        { file: 'b.mdx', data: lesson(1, ['b']) },
      ]),
    ).toThrow('b.mdx: field "order": 1 is already used by a.mdx');
  });

  test('accepts distinct ids and orders', () => {
    expect(() =>
      checkCourse([
        { file: 'a.mdx', data: lesson(1, ['a']) },
        { file: 'b.mdx', data: lesson(2, ['b']) },
      ]),
    ).not.toThrow();
  });
});
