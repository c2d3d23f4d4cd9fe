import * as z from 'zod/mini';
import type { LabGoal } from './lab-goal-check.ts';

/** The schemas of lab goals and lab checkpoints (content/labs/*.json); the predicates are in lab-goal-check.ts. */
export { goalMet, type LabGoal } from './lab-goal-check.ts';

const state = z.enum(['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);

export const labGoalSchema: z.ZodMiniType<LabGoal> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('open-and-close') }),
    z.object({ kind: z.literal('close-in-segments'), segments: z.number(), selfConnection: z.optional(z.boolean()) }),
    z.object({ kind: z.literal('states-at-once'), states: z.array(state), min: z.optional(z.number()) }),
    z.object({ kind: z.literal('transition'), from: z.optional(z.array(state)), to: z.array(state), reason: z.optional(z.string()), never: z.optional(state), count: z.optional(z.number()) }),
    z.object({ kind: z.literal('simultaneous-open') }),
    z.object({ kind: z.literal('call-sends-nothing'), call: z.string(), quietUs: z.number() }),
    z.object({ kind: z.literal('fin-retransmitted-and-acked') }),
    z.object({ kind: z.literal('simultaneous-close') }),
    z.object({ kind: z.literal('data-after-fin') }),
    z.object({ kind: z.literal('all'), goals: z.array(labGoalSchema) }),
  ]),
) as z.ZodMiniType<LabGoal>;

/** A lab checkpoint as data: content/labs/<checkpoint-id>.json. */
export const labCheckpointSchema = /* @__PURE__ */ z.object({
  checkpoint: z.string(),
  /** What to do, shown in the lab beside the goal's tick box. */
  task: z.string(),
  goal: labGoalSchema,
  /** Lines typed into the lab's terminals that meet the goal (the reference solution, replayed by a test). */
  solution: z.array(z.object({ terminal: z.number(), keys: z.string(), waitMs: z.optional(z.number()) })),
  /** How many terminals the lab needs. */
  terminals: z.optional(z.number()),
  /** Sysctls set before the lab starts (e.g. a short tcp_fin_timeout). */
  sysctl: z.optional(z.record(z.string(), z.string())),
});
export type LabCheckpoint = z.infer<typeof labCheckpointSchema>;

export function parseLabCheckpoint(file: string, data: unknown): LabCheckpoint {
  const r = labCheckpointSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${file}: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid lab checkpoint'}`);
  }
  return r.data;
}
