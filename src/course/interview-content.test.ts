/**
 * The interview question bank as shipped (content/interview/*.json): every file valid, every question with both
 * answers and at least one link, and every link leading to a lesson, lab goal, exercise or scenario that exists.
 * The link targets are read from the content folders here, as the build reads them through Vite.
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { LEVELS, TOPICS, countWords, parseQuestion, type InterviewQuestion } from './interview-schema.ts';
import { checkQuestionBank, resolveProof, type LinkTargets } from './interview-links.ts';
import { slugFromId } from './course-outline.ts';
import { parseLabCheckpoint } from '../grading/lab-goals.ts';

const CONTENT = join(import.meta.dirname, '../../content');
const jsonFiles = (dir: string) => readdirSync(join(CONTENT, dir)).filter((f) => f.endsWith('.json')).sort();

function frontmatter(text: string): string {
  return /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
}

/** The lessons, lab goals, exercises and scenarios of the course, straight from content/. */
function contentTargets(): LinkTargets {
  const lessons = new Map<string, { title: string; order: number; href: string }>();
  const lessonOfCheckpoint = new Map<string, string>();
  for (const file of readdirSync(join(CONTENT, 'lessons')).filter((f) => f.endsWith('.mdx'))) {
    const fm = frontmatter(readFileSync(join(CONTENT, 'lessons', file), 'utf8'));
    const slug = slugFromId(file.replace(/\.mdx$/, ''));
    const title = /^title:\s*(.+)$/m.exec(fm)?.[1]?.trim() ?? slug;
    const order = Number(/^order:\s*(\d+)/m.exec(fm)?.[1]);
    lessons.set(slug, { title, order, href: `/lessons/${slug}/` });
    for (const m of fm.matchAll(/^\s*- id:\s*(\S+)\s*$/gm)) lessonOfCheckpoint.set(m[1]!, slug);
  }
  const goals = new Map<string, { task: string; lesson: string }>();
  for (const file of jsonFiles('labs')) {
    const lab = parseLabCheckpoint(`content/labs/${file}`, JSON.parse(readFileSync(join(CONTENT, 'labs', file), 'utf8')));
    const lesson = lessonOfCheckpoint.get(lab.checkpoint);
    if (lesson) goals.set(lab.checkpoint, { task: lab.task, lesson });
  }
  const exercises = new Map(
    readdirSync(join(CONTENT, 'exercises'))
      .filter((d) => existsSync(join(CONTENT, 'exercises', d, 'exercise.json')))
      .map((d) => [d, { title: (JSON.parse(readFileSync(join(CONTENT, 'exercises', d, 'exercise.json'), 'utf8')) as { title: string }).title }] as const),
  );
  const scenarios = new Set(readdirSync(join(CONTENT, 'scenarios')).filter((f) => f.endsWith('.tcplab')).map((f) => f.replace(/\.tcplab$/, '')));
  return { lessons, goals, exercises, scenarios };
}

const questions: InterviewQuestion[] = jsonFiles('interview').map((f) =>
  parseQuestion(`content/interview/${f}`, JSON.parse(readFileSync(join(CONTENT, 'interview', f), 'utf8'))),
);
const targets = contentTargets();

describe('the interview question bank (content/interview)', () => {
  test('holds at least 40 questions, every one valid', () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
  });

  test('every question has a 30-second answer, a 2-minute answer longer than it, and a wrong answer with its why', () => {
    for (const q of questions) {
      expect(countWords(q.short), q.file).toBeGreaterThan(20);
      expect(countWords(q.long.join(' ')), q.file).toBeGreaterThan(countWords(q.short));
      expect(q.wrong.answer.length, q.file).toBeGreaterThan(10);
      expect(q.wrong.why.length, q.file).toBeGreaterThan(20);
    }
  });

  test('every question has at least one link, and every link leads somewhere that exists', () => {
    for (const q of questions) expect(q.proof.length, q.file).toBeGreaterThan(0);
    expect(() => checkQuestionBank(questions, targets)).not.toThrow();
    for (const q of questions) {
      for (const p of q.proof) {
        const r = resolveProof(p, targets);
        if (p.kind === 'lab') expect(existsSync(join(CONTENT, 'scenarios', `${p.scenario}.tcplab`))).toBe(true);
        expect(r.href).toMatch(/^\/(lessons|exercises|sandbox)\//);
      }
    }
  });

  test('every topic and every level has questions, and the article\'s own questions are all there', () => {
    for (const t of TOPICS) expect(questions.filter((q) => q.topic === t.id).length, t.id).toBeGreaterThan(0);
    for (const l of LEVELS) expect(questions.filter((q) => q.level === l.id).length, l.id).toBeGreaterThan(0);
    // The source article asks: the four-way close, FIN without close(), FIN_WAIT_2 piles, close() with data,
    // data after the FIN, close vs shutdown, the missing third FIN, three- and two-segment closes, self-connection
    // and simultaneous open.
    expect(questions.filter((q) => q.fromArticle).length).toBeGreaterThanOrEqual(12);
  });

  test('the classics the issue lists are asked', () => {
    const ids = new Set(questions.map((q) => q.id));
    for (const id of ['why-four-not-three', 'why-time-wait', 'time-wait-length', 'close-wait-leak', 'close-with-unread', 'two-segment-close', 'self-connection', 'simultaneous-open', 'rst-vs-fin', 'half-close-uses', 'nc-half-close', 'keepalive-vs-heartbeat', 'tcp-tw-reuse', 'so-reuseaddr', 'ss-states', 'node-allowhalfopen']) {
      expect(ids.has(id), id).toBe(true);
    }
  });

  test('the answers to the traps the course itself fell into (issue 14) keep the right stance', () => {
    const byId = new Map(questions.map((q) => [q.id, q]));
    const said = (id: string) => {
      const q = byId.get(id);
      expect(q, id).toBeDefined();
      return [q!.short, ...q!.long].join(' ');
    };
    expect(said('shut-rdwr-vs-close')).toMatch(/^No\. .*shutdown\(\) never resets/);
    expect(said('simultaneous-close')).toMatch(/both machines keep a TIME_WAIT/);
    expect(said('linger-zero')).toMatch(/From TIME_WAIT\s+nothing is sent/);
    expect(said('tcp-fin-timeout')).toMatch(/does not set the length of TIME_WAIT/);
    expect(said('fin-without-close')).toMatch(/close\(\) does not always send a FIN/);
    expect(said('close-wait-recvq')).toMatch(/Recv-Q 0 means it read the end-of-file/);
    expect(said('tcp-tw-reuse')).toMatch(/2, the\s+default, on for loopback only/);
    expect(said('tcp-tw-recycle')).toMatch(/Linux 4\.12 removed/);
    expect(said('node-close-wait-leak')).toMatch(/'end' is emitted only when the readable side\s+has been consumed/);
    // Keepalive defaults, wherever they are stated, are Linux's 7200/75/9.
    for (const q of questions) {
      const text = [q.short, ...q.long].join(' ');
      if (/tcp_keepalive_time/.test(text)) expect(text, q.file).toMatch(/7200 s[\s\S]*75 s[\s\S]*\(9\)/);
    }
  });
});
