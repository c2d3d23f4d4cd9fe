import { getCollection } from 'astro:content';
import { buildOutline, type CourseOutline } from './course-outline.ts';

let cached: Promise<CourseOutline> | undefined;

/** The course outline, read once per build from the lessons collection. */
export function getCourse(): Promise<CourseOutline> {
  cached ??= getCollection('lessons').then((entries) => buildOutline(entries));
  return cached;
}
