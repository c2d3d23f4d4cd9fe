import { z } from 'zod';
import { UNSTORABLE_KEYS } from '../grading/progress.ts';
import { PART_IDS } from './parts.ts';

/** Checkpoint ids are stable keys in saved progress and in instructor submissions: never rename one. */
export const checkpointIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a checkpoint id is kebab-case: lowercase letters, digits and dashes')
  .refine((id) => !UNSTORABLE_KEYS.includes(id), 'this name cannot be a key of saved progress; pick another');

export const checkpointSchema = z
  .object({
    id: checkpointIdSchema.describe('unique across the whole course; the key saved in progress'),
    kind: z.enum(['quiz', 'lab', 'exercise']).describe('how the checkpoint is graded'),
    title: z.string().min(3).describe('what the learner has to do, shown in the sidebar and progress page'),
  })
  .strict();

/** What the lab pane of a lesson shows. `none` keeps the page a reading-only page. */
export const labPaneSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('kernel'),
      scenario: z.string().optional().describe('a scenario in content/scenarios/ that prepares the scene'),
      terminals: z.number().int().min(1).max(4).default(2).describe('how many shells the lab opens'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('exercise'),
      exercise: z.string().describe('an exercise id from content/exercises/'),
    })
    .strict(),
]);

export const lessonSchema = z
  .object({
    title: z.string().min(3).describe('the question the lesson answers'),
    order: z.number().int().min(1).describe('position in the course, 1-based, unique'),
    part: z.enum(PART_IDS).describe('which part of the course the lesson belongs to'),
    summary: z.string().min(10).max(300).describe('one or two sentences shown on the home page'),
    minutes: z.number().int().min(1).max(120).describe('estimated minutes to complete'),
    checkpoints: z.array(checkpointSchema).min(1).describe('the auto-graded checkpoints the lesson holds'),
    lab: labPaneSchema.default({ kind: 'none' }),
  })
  .strict();

export type LessonFrontmatter = z.infer<typeof lessonSchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;

export class FrontmatterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrontmatterError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(frontmatter)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Validates one lesson's frontmatter; throws a FrontmatterError naming the file and each bad field. */
export function parseLessonFrontmatter(file: string, data: unknown): LessonFrontmatter {
  const result = lessonSchema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const missing = issue.code === 'invalid_type' && issue.message.includes('undefined');
    return `  field "${fieldPath(issue.path)}": ${missing ? 'is required but missing' : issue.message}`;
  });
  throw new FrontmatterError(`${file}: invalid lesson frontmatter\n${lines.join('\n')}`);
}

/** Cross-lesson rules: checkpoint ids unique in the course, lesson orders unique. */
export function checkCourse(lessons: ReadonlyArray<{ file: string; data: LessonFrontmatter }>): void {
  const problems: string[] = [];
  const checkpointOwner = new Map<string, string>();
  const orderOwner = new Map<number, string>();
  for (const { file, data } of lessons) {
    const earlier = orderOwner.get(data.order);
    if (earlier) problems.push(`${file}: field "order": ${data.order} is already used by ${earlier}`);
    else orderOwner.set(data.order, file);
    data.checkpoints.forEach((cp, i) => {
      const owner = checkpointOwner.get(cp.id);
      if (owner) {
        problems.push(`${file}: field "checkpoints[${i}].id": "${cp.id}" is already used by ${owner}`);
      } else checkpointOwner.set(cp.id, file);
    });
  }
  if (problems.length > 0) throw new FrontmatterError(problems.join('\n'));
}
