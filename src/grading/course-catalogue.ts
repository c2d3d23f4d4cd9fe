/**
 * The course's checkpoints as the command line sees them, read from content/: every checkpoint of every
 * lesson in course order (the gradebook's columns), each quiz's answer key, each lab's goal, each exercise's
 * grader. Node only (it reads files); the browser gets the same data from the build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GRADERS } from './graders/index.ts';
import { parseLabCheckpoint, type LabGoal } from './lab-goals.ts';
import { parseQuiz, type Quiz } from './quiz.ts';

export type CheckpointKind = 'quiz' | 'lab' | 'exercise';

export interface CatalogueCheckpoint {
  id: string;
  kind: CheckpointKind;
  title: string;
  lesson: string;
}

export interface Catalogue {
  /** In course order. */
  checkpoints: CatalogueCheckpoint[];
  quiz(id: string): Quiz | undefined;
  labGoal(id: string): LabGoal | undefined;
  has(id: string): boolean;
}

interface LessonHead {
  order: number;
  slug: string;
  checkpoints: Array<{ id: string; kind: CheckpointKind; title: string }>;
}

function frontmatter(file: string): LessonHead | null {
  const text = readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!m) return null;
  const data = parseYaml(m[1]!) as { order?: unknown; checkpoints?: unknown };
  const checkpoints = Array.isArray(data.checkpoints) ? data.checkpoints : [];
  return {
    order: typeof data.order === 'number' ? data.order : 0,
    slug: file.replace(/^.*\//, '').replace(/\.mdx$/, '').replace(/^\d+-/, ''),
    checkpoints: checkpoints.flatMap((c: { id?: unknown; kind?: unknown; title?: unknown }) =>
      typeof c.id === 'string' && (c.kind === 'quiz' || c.kind === 'lab' || c.kind === 'exercise') ? [{ id: c.id, kind: c.kind, title: typeof c.title === 'string' ? c.title : c.id }] : [],
    ),
  };
}

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

/** Reads content/ under `root` (the project). Throws, naming the file, on a malformed quiz or lab. */
export function loadCatalogue(root: string): Catalogue {
  const content = join(root, 'content');
  const lessons = readdirSync(join(content, 'lessons'))
    .filter((f) => f.endsWith('.mdx'))
    .flatMap((f) => frontmatter(join(content, 'lessons', f)) ?? [])
    .sort((a, b) => a.order - b.order);
  const checkpoints = lessons.flatMap((l) => l.checkpoints.map((c) => ({ ...c, lesson: l.slug })));
  const quizzes = new Map<string, Quiz>();
  for (const f of jsonFiles(join(content, 'quizzes'))) {
    const file = join(content, 'quizzes', f);
    const quiz = parseQuiz(file, JSON.parse(readFileSync(file, 'utf8')) as unknown);
    quizzes.set(quiz.id, quiz);
  }
  const labs = new Map<string, LabGoal>();
  for (const f of jsonFiles(join(content, 'labs'))) {
    const file = join(content, 'labs', f);
    const lab = parseLabCheckpoint(file, JSON.parse(readFileSync(file, 'utf8')) as unknown);
    labs.set(lab.checkpoint, lab.goal);
  }
  const ids = new Set(checkpoints.map((c) => c.id));
  // Exercises no lesson embeds still get a column (an instructor's own exercise).
  for (const id of Object.keys(GRADERS)) if (!ids.has(id)) checkpoints.push({ id, kind: 'exercise', title: id, lesson: '' }), ids.add(id);
  return {
    checkpoints,
    quiz: (id) => quizzes.get(id),
    labGoal: (id) => labs.get(id),
    has: (id) => ids.has(id),
  };
}
