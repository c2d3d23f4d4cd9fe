import { getCollection, render } from 'astro:content';
import { lessonHref, slugFromId } from './course-outline.ts';

export interface LessonSections {
  slug: string;
  order: number;
  title: string;
  /** Section anchor (the id Astro gives the heading) → the heading's text. */
  sections: Map<string, string>;
}

let cached: Promise<Map<string, LessonSections>> | undefined;

/** Every lesson's sections, read once per build from the rendered lessons (the ids their pages carry). */
export function getLessonSections(): Promise<Map<string, LessonSections>> {
  cached ??= (async () => {
    const out = new Map<string, LessonSections>();
    for (const entry of await getCollection('lessons')) {
      const { headings } = await render(entry);
      const slug = slugFromId(entry.id);
      out.set(slug, { slug, order: entry.data.order, title: entry.data.title, sections: new Map(headings.map((h) => [h.slug, h.text])) });
    }
    return out;
  })();
  return cached;
}

export interface SectionLink {
  href: string;
  /** “In Node”, lesson 6 */
  label: string;
}

/**
 * Resolves "lesson-slug#section" to a link, or explains what is wrong (no such lesson, no such section), so the
 * build can fail naming the content file and field.
 */
export function sectionLink(all: Map<string, LessonSections>, target: string): SectionLink | { error: string } {
  const [slug = '', anchor = ''] = target.split('#');
  const lesson = all.get(slug);
  if (!lesson) return { error: `no lesson "${slug}" (lessons: ${[...all.keys()].join(', ')})` };
  const text = lesson.sections.get(anchor);
  if (text === undefined) return { error: `lesson "${slug}" has no section "${anchor}" (sections: ${[...lesson.sections.keys()].join(', ')})` };
  return { href: `${lessonHref(slug)}#${anchor}`, label: `“${text}”, lesson ${lesson.order}` };
}
