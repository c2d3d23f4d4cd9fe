/**
 * What a learner hands in: their progress plus the code of each exercise, as exported by the site's
 * progress page. `tcplab regrade` re-runs every exercise's grader on that code and never trusts the
 * verdicts recorded in the browser.
 */
import * as z from 'zod/mini';
import { firstIssue, parseJsonText } from './json-input.ts';
import { progressSchema, type Progress } from './progress.ts';

export const SUBMISSION_FORMAT = 'tcplab-submission';

export const submissionSchema = z.object({
  format: z.literal(SUBMISSION_FORMAT),
  version: z.literal(1),
  /** Who hands it in (typed by the learner on the progress page; optional). */
  learner: z.optional(z.string()),
  exportedAt: z.string(),
  progress: progressSchema,
  /** The learner's main.mjs of each exercise, by exercise id. */
  code: z.record(z.string(), z.string()),
});

export type Submission = z.infer<typeof submissionSchema>;

export function makeSubmission(progress: Progress, code: Record<string, string>, now: Date, learner?: string): Submission {
  return { format: SUBMISSION_FORMAT, version: 1, ...(learner ? { learner } : {}), exportedAt: now.toISOString(), progress, code };
}

/** Parses a submission file; a bare progress file (no code) is accepted too, with no code to grade. */
export function parseSubmission(raw: string): { ok: true; submission: Submission } | { ok: false; reason: string } {
  const json = parseJsonText(raw);
  if (!json.ok) return json;
  const full = submissionSchema.safeParse(json.value);
  if (full.success) return { ok: true, submission: full.data };
  const bare = progressSchema.safeParse(json.value);
  if (bare.success) return { ok: true, submission: { format: SUBMISSION_FORMAT, version: 1, exportedAt: '', progress: bare.data, code: {} } };
  const { where, message } = firstIssue(full.error.issues, 'submission');
  return { ok: false, reason: `${where || 'the top level'}: ${message}` };
}
