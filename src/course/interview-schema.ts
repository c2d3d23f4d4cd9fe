/**
 * Interview questions as data: content/interview/<id>.json, one question per file, validated at build so
 * a bad file fails the build naming the file and the field. The id (the file name) is the key of the
 * question's schedule in saved progress: never rename a file.
 */
import { z } from 'zod';

export const TOPICS = [
  { id: 'closing', title: 'The close: four, three or two segments' },
  { id: 'half-close', title: 'Half-close and shutdown()' },
  { id: 'reset', title: 'RST, lost data and errors' },
  { id: 'time-wait', title: 'TIME_WAIT' },
  { id: 'leaks', title: 'CLOSE_WAIT and FIN_WAIT_2 pile-ups' },
  { id: 'opening', title: 'Odd openings' },
  { id: 'dead-peers', title: 'Dead peers and keepalive' },
  { id: 'ports', title: 'Ports and reuse' },
  { id: 'tools', title: 'Seeing it: ss and friends' },
  { id: 'node', title: 'Node.js sockets' },
] as const;

export const LEVELS = [
  { id: 'basic', title: 'Basic', hint: 'asked of anyone who writes network code' },
  { id: 'intermediate', title: 'Intermediate', hint: 'the follow-up once the basics are right' },
  { id: 'advanced', title: 'Advanced', hint: 'what separates someone who has debugged it in production' },
] as const;

export type TopicId = (typeof TOPICS)[number]['id'];
export type LevelId = (typeof LEVELS)[number]['id'];
const topicIds = TOPICS.map((t) => t.id) as [TopicId, ...TopicId[]];
const levelIds = LEVELS.map((l) => l.id) as [LevelId, ...LevelId[]];

/** About 150 spoken words a minute: the two answers are held to what fits their time. */
export const SHORT_MAX_WORDS = 95;
export const LONG_MIN_WORDS = 120;
export const LONG_MAX_WORDS = 400;

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

const prose = z.string().trim().min(1);
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase words joined by dashes');

/** Where the learner can check the answer. Every target is checked to exist at build. */
export const proofSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('lesson'), lesson: slug.describe('a lesson slug (content/lessons/NN-<slug>.mdx)') }),
  z.strictObject({ kind: z.literal('goal'), goal: slug.describe('a lab goal: content/labs/<goal>.json, a checkpoint of some lesson') }),
  z.strictObject({ kind: z.literal('exercise'), exercise: slug.describe('a Node exercise: content/exercises/<exercise>/') }),
  z.strictObject({
    kind: z.literal('lab'),
    scenario: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a scenario file name without .tcplab').describe('content/scenarios/<scenario>.tcplab, opened in the sandbox'),
    label: prose.describe('what the learner will see when the scene is replayed'),
  }),
]);

export const sourceSchema = z.strictObject({
  label: prose.describe('e.g. "RFC 9293 §3.6.1" or "Linux: tcp_close()"'),
  href: z.url({ protocol: /^https$/ }).describe('an https address'),
});

export const questionSchema = z
  .strictObject({
    question: prose.min(10).describe('the question as an interviewer asks it'),
    topic: z.enum(topicIds),
    level: z.enum(levelIds),
    order: z.number().int().min(1).describe('position within its topic on the question page, lower first'),
    /** True for the questions the source article itself asks. */
    fromArticle: z.boolean().default(false),
    short: prose.describe('the 30-second answer'),
    long: z.array(prose).min(1).describe('the 2-minute answer, one paragraph per entry'),
    wrong: z.strictObject({
      answer: prose.describe('an answer candidates often give'),
      why: prose.describe('why it is wrong'),
    }),
    proof: z.array(proofSchema).min(1).describe('lessons, lab goals, exercises or lab scenes that prove the answer'),
    sources: z.array(sourceSchema).default([]).describe('RFCs, Linux source, manuals'),
  })
  .superRefine((q, ctx) => {
    const short = countWords(q.short);
    if (short > SHORT_MAX_WORDS) ctx.addIssue({ code: 'custom', path: ['short'], message: `a 30-second answer has at most ${SHORT_MAX_WORDS} words; this one has ${short}` });
    const long = countWords(q.long.join(' '));
    if (long < LONG_MIN_WORDS || long > LONG_MAX_WORDS) {
      ctx.addIssue({ code: 'custom', path: ['long'], message: `a 2-minute answer has ${LONG_MIN_WORDS}–${LONG_MAX_WORDS} words; this one has ${long}` });
    }
  });

export type QuestionData = z.infer<typeof questionSchema>;
export type Proof = z.infer<typeof proofSchema>;
export interface InterviewQuestion extends QuestionData {
  id: string;
  file: string;
}

export class InterviewContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterviewContentError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The question id is the file name: content/interview/why-time-wait.json → why-time-wait. */
export function questionIdFromFile(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.json$/, '');
}

/** Validates one question file; throws an InterviewContentError naming the file and every bad field. */
export function parseQuestion(file: string, data: unknown): InterviewQuestion {
  const id = questionIdFromFile(file);
  const problems: string[] = [];
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) problems.push(`  file name: "${id}" must be lowercase words joined by dashes (it is the question's id)`);
  const result = questionSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const missing = issue.code === 'invalid_type' && issue.message.includes('undefined');
      problems.push(`  field "${fieldPath(issue.path)}": ${missing ? 'is required but missing' : issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new InterviewContentError(`${file}: invalid interview question\n${problems.join('\n')}`);
  return { ...result.data, id, file };
}
