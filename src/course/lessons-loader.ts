import { glob } from 'astro/loaders';
import type { Loader } from 'astro/loaders';
import { relative } from 'node:path';
import { checkCourse, parseLessonFrontmatter, type LessonFrontmatter } from './lesson-schema.ts';

/**
 * Astro's glob loader over content/lessons/*.mdx, with our own validation in front of it so that
 * a bad lesson fails the build with the file and the field named, and with the cross-lesson rules
 * (unique checkpoint ids and orders) that a per-entry schema cannot see.
 */
export function lessonsLoader(base = './content/lessons'): Loader {
  const inner = glob({ pattern: '*.mdx', base });
  return {
    name: 'tcplab-lessons',
    load: async (context) => {
      const root = context.config.root;
      const rel = (filePath: string | undefined, id: string) =>
        filePath ? relative(new URL('.', root).pathname, filePath) : `${base}/${id}.mdx`;
      await inner.load({
        ...context,
        parseData: async (props) => {
          parseLessonFrontmatter(rel(props.filePath, props.id), props.data);
          return context.parseData(props);
        },
      });
      const lessons = [...context.store.values()].map((entry) => ({
        file: rel(entry.filePath ? new URL(entry.filePath, root).pathname : undefined, entry.id),
        data: entry.data as LessonFrontmatter,
      }));
      checkCourse(lessons.sort((a, b) => a.file.localeCompare(b.file)));
    },
  };
}
