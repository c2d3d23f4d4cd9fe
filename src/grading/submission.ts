/**
 * What a learner hands in: their progress plus the code of each exercise, as exported by the site's
 * progress page. `tcplab regrade` re-runs every exercise's grader on that code and never trusts the
 * verdicts recorded in the browser.
 */
import * as v from 'valibot';
import { parseJsonText } from './json-input.ts';
import { firstValibotIssue, progressSchema, type Progress } from './progress.ts';

export const SUBMISSION_FORMAT = 'tcplab-submission';

export const submissionSchema = v.object({
  format: v.literal(SUBMISSION_FORMAT),
  version: v.literal(1),
  /** Who hands it in (typed by the learner on the progress page; optional). */
  learner: v.optional(v.string()),
  exportedAt: v.string(),
  progress: progressSchema,
  /** The learner's main.mjs of each exercise, by exercise id. */
  code: v.record(v.string(), v.string()),
});

export type Submission = v.InferOutput<typeof submissionSchema>;

export function makeSubmission(progress: Progress, code: Record<string, string>, now: Date, learner?: string): Submission {
  return { format: SUBMISSION_FORMAT, version: 1, ...(learner ? { learner } : {}), exportedAt: now.toISOString(), progress, code };
}

/** Parses a submission file; a bare progress file (no code) is accepted too, with no code to grade. */
export function parseSubmission(raw: string): { ok: true; submission: Submission } | { ok: false; reason: string } {
  const json = parseJsonText(raw);
  if (!json.ok) return json;
  const full = v.safeParse(submissionSchema, json.value);
  if (full.success) return { ok: true, submission: full.output };
  const bare = v.safeParse(progressSchema, json.value);
  if (bare.success) return { ok: true, submission: { format: SUBMISSION_FORMAT, version: 1, exportedAt: '', progress: bare.output, code: {} } };
  return { ok: false, reason: firstValibotIssue(full.issues) };
}
