import { PARTS, type PartId } from './parts.ts';
import type { Checkpoint, LessonFrontmatter } from './lesson-schema.ts';

export interface OutlineLesson {
  slug: string;
  href: string;
  title: string;
  order: number;
  part: PartId;
  summary: string;
  minutes: number;
  checkpoints: Checkpoint[];
}

export interface OutlinePart {
  id: PartId;
  title: string;
  lessons: OutlineLesson[];
}

export interface CourseOutline {
  lessons: OutlineLesson[];
  parts: OutlinePart[];
}

export function lessonHref(slug: string): string {
  return `/lessons/${slug}/`;
}

/** The lesson's slug is its file name without the NN- order prefix: 01-lifecycle.mdx → lifecycle. */
export function slugFromId(id: string): string {
  return id.replace(/^\d+-/, '');
}

export function buildOutline(entries: ReadonlyArray<{ id: string; data: LessonFrontmatter }>): CourseOutline {
  const lessons = entries
    .map(({ id, data }) => {
      const slug = slugFromId(id);
      return {
        slug,
        href: lessonHref(slug),
        title: data.title,
        order: data.order,
        part: data.part,
        summary: data.summary,
        minutes: data.minutes,
        checkpoints: data.checkpoints,
      };
    })
    .sort((a, b) => a.order - b.order);
  const parts = PARTS.map((p) => ({ id: p.id, title: p.title, lessons: lessons.filter((l) => l.part === p.id) })).filter(
    (p) => p.lessons.length > 0,
  );
  return { lessons, parts };
}

export function neighbours(outline: CourseOutline, slug: string): { prev?: OutlineLesson; next?: OutlineLesson } {
  const i = outline.lessons.findIndex((l) => l.slug === slug);
  if (i < 0) return {};
  const prev = outline.lessons[i - 1];
  const next = outline.lessons[i + 1];
  return { ...(prev ? { prev } : {}), ...(next ? { next } : {}) };
}
