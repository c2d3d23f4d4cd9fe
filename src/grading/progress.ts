// Valibot rather than zod here: this schema runs in every lab and lesson page, where it costs 1 KB of
// JavaScript instead of 7 (content schemas, which run at build time, stay in zod).
import * as v from 'valibot';
import { parseJsonText } from './json-input.ts';

/**
 * The learner's progress, kept in browser storage. Versioned and validated: a value that does not
 * parse is reported and kept (copied aside, never overwritten), not wiped.
 */
export const PROGRESS_KEY = 'tcplab:progress';
export const PROGRESS_BACKUP_KEY = 'tcplab:progress:unreadable';
export const PROGRESS_VERSION = 1;

/**
 * Names a record in saved progress never holds: valibot's record leaves these keys out (they could reach an
 * object's prototype), so a checkpoint or quiz question named like this would be lost on reading. The
 * content schemas refuse them.
 */
export const UNSTORABLE_KEYS: readonly string[] = ['__proto__', 'prototype', 'constructor'];

/**
 * What the learner did to pass, kept so that an instructor's `tcplab regrade` can check it without trusting
 * the browser: a quiz's chosen answers; a lab's session as its own Export (a scenario with virtual times)
 * and the seed of its kernel. (An exercise's evidence is its code, handed in beside the progress.)
 */
export const evidenceSchema = v.union([
  v.object({ kind: v.literal('quiz'), answers: v.record(v.string(), v.array(v.string())) }),
  v.object({ kind: v.literal('lab'), seed: v.number(), session: v.string() }),
]);

const checkpointRecord = v.object({
  done: v.boolean(),
  /** ISO time of the first pass. */
  at: v.string(),
  /** Optional detail a grader attached (score, which runner, the trace summary). */
  detail: v.optional(v.string()),
  evidence: v.optional(evidenceSchema),
});

/**
 * When an interview question comes back in the drill (a spaced-repetition card, see review-schedule.ts).
 * Times are ISO strings; a time that does not parse counts as "due now" rather than failing the load.
 */
export const reviewRecordSchema = v.object({
  /** When the question is due again. */
  due: v.string(),
  /** The last time the learner rated it. */
  last: v.string(),
  /** The learner's last rating. */
  rating: v.picklist(['again', 'hard', 'good', 'easy']),
  state: v.picklist(['learning', 'review', 'relearning']),
  /** FSRS memory model: stability (days) and difficulty (1–10). */
  stability: v.number(),
  difficulty: v.number(),
  /** Index of the current (re)learning step; 0 in review. */
  step: v.number(),
  scheduledDays: v.number(),
  reps: v.number(),
  lapses: v.number(),
});

export const progressSchema = v.object({
  version: v.literal(PROGRESS_VERSION),
  checkpoints: v.record(v.string(), checkpointRecord),
  /** The lesson slug the learner last opened, for the Continue button. */
  lastLesson: v.optional(v.string()),
  /** The interview drill's schedule, by question id. Optional: progress saved before it existed still parses. */
  reviews: v.optional(v.record(v.string(), reviewRecordSchema)),
});

export type Progress = v.InferOutput<typeof progressSchema>;
export type Evidence = v.InferOutput<typeof evidenceSchema>;
export type CheckpointRecord = v.InferOutput<typeof checkpointRecord>;
export type ReviewRecord = v.InferOutput<typeof reviewRecordSchema>;

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, checkpoints: {} };
}

export type LoadResult =
  | { status: 'ok'; progress: Progress }
  | { status: 'empty'; progress: Progress }
  | { status: 'unreadable'; progress: Progress; raw: string; reason: string };

/** The part of Web Storage we use; lets tests pass a Map-backed fake. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** "field: message" for the first problem valibot found (the form json-input.ts's firstIssue gives for zod). */
export function firstValibotIssue(issues: ReadonlyArray<v.BaseIssue<unknown>>): string {
  const issue = issues[0];
  const where = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
  return `${where || 'the top level'}: ${issue?.message ?? 'does not match the progress format'}`;
}

export function parseProgress(raw: string): { ok: true; progress: Progress } | { ok: false; reason: string } {
  const json = parseJsonText(raw);
  if (!json.ok) return json;
  const result = v.safeParse(progressSchema, json.value);
  if (result.success) return { ok: true, progress: result.output };
  return { ok: false, reason: firstValibotIssue(result.issues) };
}

export function loadProgress(store: KeyValueStore): LoadResult {
  let raw: string | null;
  try {
    raw = store.getItem(PROGRESS_KEY);
  } catch {
    return { status: 'empty', progress: emptyProgress() };
  }
  if (raw === null) return { status: 'empty', progress: emptyProgress() };
  const parsed = parseProgress(raw);
  if (parsed.ok) return { status: 'ok', progress: parsed.progress };
  keepUnreadable(store, raw);
  return { status: 'unreadable', progress: emptyProgress(), raw, reason: parsed.reason };
}

/** Every unreadable value ever found, oldest first (a JSON array of strings under PROGRESS_BACKUP_KEY). */
export function unreadableBackups(store: KeyValueStore): string[] {
  try {
    const json: unknown = JSON.parse(store.getItem(PROGRESS_BACKUP_KEY) ?? '[]');
    return Array.isArray(json) ? json.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Copies an unreadable value aside (once per distinct value), so a later save never destroys it. */
function keepUnreadable(store: KeyValueStore, raw: string): void {
  try {
    const kept = unreadableBackups(store);
    if (!kept.includes(raw)) store.setItem(PROGRESS_BACKUP_KEY, JSON.stringify([...kept, raw]));
  } catch {
    /* storage full or blocked: the raw value stays under PROGRESS_KEY until the next save */
  }
}

export function saveProgress(store: KeyValueStore, progress: Progress): boolean {
  try {
    store.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

/** Marks a checkpoint done (idempotent: the first pass, its time and its evidence, is kept). Returns the new progress. */
export function markDone(progress: Progress, id: string, now: Date, detail?: string, evidence?: Evidence): Progress {
  if (progress.checkpoints[id]?.done) return progress;
  const record: CheckpointRecord = { done: true, at: now.toISOString(), ...(detail === undefined ? {} : { detail }), ...(evidence === undefined ? {} : { evidence }) };
  return { ...progress, checkpoints: { ...progress.checkpoints, [id]: record } };
}

export function isDone(progress: Progress, id: string): boolean {
  return progress.checkpoints[id]?.done === true;
}
