/**
 * The interview question bank, read once per build: every content/interview/*.json validated, every link
 * checked against the lessons, lab goals, exercises and scenarios the site has, and resolved to addresses.
 * A bad file or a broken link fails the build with the file and the field named.
 */
import { getCourse } from './course.ts';
import { parseExerciseSpec } from '../grading/exercise-spec.ts';
import { parseLabCheckpoint } from '../grading/lab-goals.ts';
import { LEVELS, TOPICS, parseQuestion, type InterviewQuestion } from './interview-schema.ts';
import { checkQuestionBank, resolveProof, type LinkTargets, type ResolvedProof } from './interview-links.ts';

export interface BankQuestion extends InterviewQuestion {
  links: ResolvedProof[];
  topicTitle: string;
  levelTitle: string;
}

const questionFiles = import.meta.glob<unknown>('../../content/interview/*.json', { eager: true, import: 'default' });
const labFiles = import.meta.glob<unknown>('../../content/labs/*.json', { eager: true, import: 'default' });
const exerciseFiles = import.meta.glob<string>('../../content/exercises/*/exercise.json', { eager: true, query: '?raw', import: 'default' });
const scenarioFiles = import.meta.glob<string>('../../content/scenarios/*.tcplab', { eager: true, query: '?raw', import: 'default' });

const contentPath = (p: string) => p.replace(/^(\.\.\/)+/, '');

async function linkTargets(): Promise<LinkTargets> {
  const course = await getCourse();
  const lessons = new Map(course.lessons.map((l) => [l.slug, { title: l.title, order: l.order, href: l.href }]));
  const lessonOfCheckpoint = new Map(course.lessons.flatMap((l) => l.checkpoints.map((c) => [c.id, l.slug] as const)));
  const goals = new Map<string, { task: string; lesson: string }>();
  for (const [path, data] of Object.entries(labFiles)) {
    const lab = parseLabCheckpoint(contentPath(path), data);
    const lesson = lessonOfCheckpoint.get(lab.checkpoint);
    if (lesson) goals.set(lab.checkpoint, { task: lab.task, lesson });
  }
  const exercises = new Map(
    Object.entries(exerciseFiles).map(([path, text]) => {
      const spec = parseExerciseSpec(text, contentPath(path));
      return [spec.id, { title: spec.title }] as const;
    }),
  );
  const scenarios = new Set(Object.keys(scenarioFiles).map((p) => p.replace(/^.*\//, '').replace(/\.tcplab$/, '')));
  return { lessons, goals, exercises, scenarios };
}

const topicOrder = new Map<string, number>(TOPICS.map((t, i) => [t.id, i]));

/** Questions in topic order, then their order within the topic, then id (the list, the drill and the mock agree). */
export function sortQuestions<T extends Pick<InterviewQuestion, 'topic' | 'order' | 'id'>>(questions: readonly T[]): T[] {
  return [...questions].sort((a, b) => topicOrder.get(a.topic)! - topicOrder.get(b.topic)! || a.order - b.order || a.id.localeCompare(b.id));
}

let cached: Promise<BankQuestion[]> | undefined;

export function getInterviewBank(): Promise<BankQuestion[]> {
  cached ??= (async () => {
    const questions = Object.entries(questionFiles).map(([path, data]) => parseQuestion(contentPath(path), data));
    const targets = await linkTargets();
    checkQuestionBank(questions, targets);
    return sortQuestions(questions).map((q) => ({
      ...q,
      links: q.proof.map((p) => resolveProof(p, targets)),
      topicTitle: TOPICS.find((t) => t.id === q.topic)!.title,
      levelTitle: LEVELS.find((l) => l.id === q.level)!.title,
    }));
  })();
  return cached;
}
