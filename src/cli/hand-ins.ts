/**
 * Finds and reads a class's hand-ins: JSON files exported from the progress page (progress, evidence and
 * code) and directories of code (`<exercise>.mjs` or `<exercise>/main.mjs`, one directory per learner).
 * Nothing a hand-in holds can stop the batch: every problem becomes a note on that hand-in's row.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HandInJob } from '../grading/hand-in-job.ts';
import { MAX_PROGRAM_BYTES } from '../grading/hand-in-job.ts';
import { parseSubmission } from '../grading/submission.ts';
import { formatSize, kindOf, readHandedInFile } from './safe-read.ts';

export const MAX_HAND_IN_BYTES = 10 << 20;

export interface HandIn {
  /** Its file (without .json) or directory name: the gradebook row's name. */
  name: string;
  path: string;
  /** The `learner` field of a JSON hand-in: shown in its own column, never used as the row's name. */
  learner?: string;
  job: HandInJob;
  /** Checkpoints the browser recorded as done. */
  claimed: Set<string>;
  /** Exercises whose program was refused (too large, a FIFO …), with the reason. */
  refused: Map<string, string>;
  notes: string[];
  /** Set when nothing of it could be read. */
  unreadable?: string;
}

export interface CollectOptions {
  exerciseIds: ReadonlySet<string>;
  isCheckpoint: (id: string) => boolean;
}

const emptyJob = (): HandInJob => ({ exercises: [], labs: [], quizzes: [] });

function blank(name: string, path: string): HandIn {
  return { name, path, job: emptyJob(), claimed: new Set(), refused: new Map(), notes: [] };
}

function fromJson(path: string, o: CollectOptions): HandIn {
  const h = blank(basename(path).replace(/\.json$/i, ''), path);
  const read = readHandedInFile(path, MAX_HAND_IN_BYTES);
  if (!read.ok) return { ...h, unreadable: read.reason };
  const parsed = parseSubmission(read.text);
  if (!parsed.ok) return { ...h, unreadable: `unreadable hand-in (${parsed.reason})` };
  const s = parsed.submission;
  if (s.learner !== undefined && s.learner !== '') h.learner = s.learner;
  // Every key, as written (a schema may quietly drop "__proto__"): unknown ones are noted, never looked up.
  const rawCode = (() => {
    try {
      const raw = JSON.parse(read.text) as { code?: unknown };
      return raw.code && typeof raw.code === 'object' ? Object.keys(raw.code) : [];
    } catch {
      return [];
    }
  })();
  for (const id of rawCode) if (!o.exerciseIds.has(id)) h.notes.push(`code for an unknown exercise ${JSON.stringify(id)} ignored`);
  for (const [id, source] of Object.entries(s.code)) {
    if (!o.exerciseIds.has(id)) continue;
    if (Buffer.byteLength(source) > MAX_PROGRAM_BYTES) h.refused.set(id, `program too large (at most ${formatSize(MAX_PROGRAM_BYTES)})`);
    else h.job.exercises.push({ id, source });
  }
  for (const [id, record] of Object.entries(s.progress.checkpoints)) {
    if (!o.isCheckpoint(id)) continue;
    if (record.done) h.claimed.add(id);
    const ev = record.evidence;
    if (ev?.kind === 'quiz') h.job.quizzes.push({ checkpoint: id, answers: ev.answers });
    else if (ev?.kind === 'lab') {
      if (ev.session.length > 256 << 10) h.notes.push(`${id}: lab session too large, not replayed`);
      else h.job.labs.push({ checkpoint: id, seed: ev.seed, session: ev.session });
    } else if (record.detail) {
      // Hand-ins made before evidence was recorded: a passed quiz kept its answers as its detail.
      const answers = legacyQuizAnswers(record.detail);
      if (answers) h.job.quizzes.push({ checkpoint: id, answers });
    }
  }
  return h;
}

function legacyQuizAnswers(detail: string): Record<string, string[]> | null {
  try {
    const v: unknown = JSON.parse(detail);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    for (const [k, a] of Object.entries(v)) {
      if (!Array.isArray(a) || !a.every((x) => typeof x === 'string')) return null;
      out[k] = a as string[];
    }
    return out;
  } catch {
    return null;
  }
}

function fromDirectory(dir: string, o: CollectOptions): HandIn {
  const h = blank(basename(dir), dir);
  let total = 0;
  for (const id of o.exerciseIds) {
    for (const candidate of [join(dir, `${id}.mjs`), join(dir, id, 'main.mjs')]) {
      let st;
      try {
        st = lstatSync(candidate);
      } catch {
        continue;
      }
      if (!st.isFile()) {
        h.refused.set(id, `${candidate.slice(dir.length + 1)} is ${kindOf(st)}: refused`);
        break;
      }
      const read = readHandedInFile(candidate, MAX_PROGRAM_BYTES);
      if (!read.ok) h.refused.set(id, `${candidate.slice(dir.length + 1)}: ${read.reason}`);
      else if ((total += read.text.length) > MAX_HAND_IN_BYTES) h.refused.set(id, `the hand-in is larger than ${formatSize(MAX_HAND_IN_BYTES)}`);
      else h.job.exercises.push({ id, source: read.text });
      break;
    }
  }
  return h;
}

function isExerciseEntry(name: string, isDir: boolean, ids: ReadonlySet<string>): boolean {
  return isDir ? ids.has(name) : name.endsWith('.mjs') && ids.has(name.slice(0, -4));
}

/** Every hand-in under the given paths, in a stable order (by name, then path). */
export function collectHandIns(paths: string[], o: CollectOptions): HandIn[] {
  const found: HandIn[] = [];
  for (const p of paths) {
    let st;
    try {
      st = lstatSync(p);
      // A path the instructor named may be a symbolic link; links inside hand-ins are refused.
      if (st.isSymbolicLink()) st = lstatSync(join(p, '.'));
    } catch {
      found.push({ ...blank(basename(p) || p, p), unreadable: 'no such file or directory' });
      continue;
    }
    if (st.isFile()) {
      found.push(fromJson(p, o));
      continue;
    }
    if (!st.isDirectory()) {
      found.push({ ...blank(basename(p), p), unreadable: `${kindOf(st)}: refused` });
      continue;
    }
    let children;
    try {
      children = readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      found.push({ ...blank(basename(p), p), unreadable: `cannot list: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (children.some((c) => isExerciseEntry(c.name, c.isDirectory(), o.exerciseIds))) found.push(fromDirectory(p, o));
    for (const c of children) {
      const child = join(p, c.name);
      if (c.isFile() && c.name.toLowerCase().endsWith('.json')) found.push(fromJson(child, o));
      else if (c.isDirectory() && !o.exerciseIds.has(c.name)) found.push(fromDirectory(child, o));
      else if (c.isSymbolicLink() || (!c.isFile() && !c.isDirectory() && c.name.toLowerCase().endsWith('.json'))) {
        found.push({ ...blank(c.name.replace(/\.json$/i, ''), child), unreadable: `${kindOf(lstatSync(child))}: refused` });
      }
    }
  }
  return found;
}
