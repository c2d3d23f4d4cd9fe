/**
 * The gradebook `tcplab regrade` writes: one row per hand-in, a column per checkpoint, points per kind with
 * the instructor's weights, and a note wherever the browser's claim was not reproduced. Every cell that
 * came from a hand-in is made inert first: no control characters or terminal escapes (a name cannot move
 * the cursor or forge a row), no bidirectional overrides, and in CSV no leading = + - @ (no formula).
 */
import { z } from 'zod';
import type { CatalogueCheckpoint, CheckpointKind } from '../grading/course-catalogue.ts';
import type { Verdict } from '../grading/hand-in-job.ts';

export type Cell = 'pass' | 'fail' | 'error' | 'missing';

export interface Row {
  name: string;
  learner: string;
  cells: Map<string, { cell: Cell; reason: string }>;
  points: Record<CheckpointKind, number>;
  total: number;
  notes: string[];
  /** True when at least one checkpoint could be judged. */
  graded: boolean;
}

export const weightsSchema = z.strictObject({
  quiz: z.number().min(0).optional(),
  lab: z.number().min(0).optional(),
  exercise: z.number().min(0).optional(),
  /** Per checkpoint, overriding its kind's weight. */
  checkpoints: z.record(z.string(), z.number().min(0)).optional(),
});
export type Weights = z.infer<typeof weightsSchema>;

export function weightOf(w: Weights, c: CatalogueCheckpoint): number {
  const own = w.checkpoints && Object.hasOwn(w.checkpoints, c.id) ? w.checkpoints[c.id] : undefined;
  return own ?? w[c.kind] ?? 1;
}

/** Checks a weights file against the course: an unknown checkpoint is an error naming it. */
export function parseWeights(text: string, file: string, known: (id: string) => boolean): Weights {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = weightsSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  for (const id of Object.keys(r.data.checkpoints ?? {})) if (!known(id)) throw new Error(`${file}: field "checkpoints.${id}": no such checkpoint in this course`);
  return r.data;
}

// C0 and C1 controls, DEL, bidirectional embeddings/overrides/isolates, line and paragraph separators.
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g;

/** Text from a hand-in, made inert for a terminal, a table or a spreadsheet cell. */
export function inert(text: string, max = 200): string {
  const clean = text.replace(ESCAPES, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A CSV cell: inert, never read as a formula (OWASP: a leading = + - @ gets a '), quoted when needed. */
export function csvCell(text: string): string {
  let t = inert(text, 2000);
  if (/^[=+\-@]/.test(t)) t = `'${t}`;
  return /[",;]|^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function makeRow(name: string, learner: string | undefined, checkpoints: CatalogueCheckpoint[], verdicts: Verdict[], claimed: ReadonlySet<string>, refused: ReadonlyMap<string, string>, notes: string[], weights: Weights): Row {
  const byId = new Map(verdicts.map((v) => [v.checkpoint, v]));
  const cells = new Map<string, { cell: Cell; reason: string }>();
  const points: Record<CheckpointKind, number> = { quiz: 0, lab: 0, exercise: 0 };
  const rowNotes = [...notes];
  let graded = false;
  for (const c of checkpoints) {
    const v = byId.get(c.id);
    const refusedWhy = refused.get(c.id);
    let cell: Cell = 'missing';
    let reason = c.kind === 'exercise' ? 'no program handed in' : c.kind === 'quiz' ? 'no answers handed in' : 'no lab session handed in';
    if (v) {
      cell = v.status;
      reason = v.reason;
      graded = true;
    } else if (refusedWhy) {
      cell = 'fail';
      reason = refusedWhy;
      graded = true;
    }
    cells.set(c.id, { cell, reason });
    if (cell === 'pass') points[c.kind] += weightOf(weights, c);
    // Every checkpoint that did not pass says why; a claim of the browser that did not hold says so first.
    if (claimed.has(c.id) && cell !== 'pass') rowNotes.push(`${c.id}: done in the browser, ${cell === 'missing' ? `but ${reason}` : `${cell} on re-grading (${reason})`}`);
    else if (cell === 'fail' || cell === 'error') rowNotes.push(`${c.id}: ${cell === 'error' ? 'could not be graded: ' : ''}${reason}`);
  }
  return { name, learner: learner ?? '', cells, points, total: points.quiz + points.lab + points.exercise, notes: rowNotes, graded };
}

export function maxPoints(checkpoints: CatalogueCheckpoint[], weights: Weights): Record<CheckpointKind | 'total', number> {
  const m = { quiz: 0, lab: 0, exercise: 0, total: 0 };
  for (const c of checkpoints) {
    const w = weightOf(weights, c);
    m[c.kind] += w;
    m.total += w;
  }
  return m;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

export function toCsv(rows: Row[], checkpoints: CatalogueCheckpoint[], weights: Weights): string {
  const max = maxPoints(checkpoints, weights);
  const head = ['hand-in', 'learner', ...checkpoints.map((c) => c.id), `quiz points (of ${fmt(max.quiz)})`, `lab points (of ${fmt(max.lab)})`, `exercise points (of ${fmt(max.exercise)})`, `points (of ${fmt(max.total)})`, 'notes'];
  const lines = [head.map(csvCell).join(',')];
  for (const r of rows) {
    lines.push([r.name, r.learner, ...checkpoints.map((c) => r.cells.get(c.id)?.cell ?? 'missing'), fmt(r.points.quiz), fmt(r.points.lab), fmt(r.points.exercise), fmt(r.total), r.notes.join('; ')].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function toText(rows: Row[], checkpoints: CatalogueCheckpoint[], weights: Weights): string {
  const max = maxPoints(checkpoints, weights);
  const count = (r: Row, kind: CheckpointKind) => `${checkpoints.filter((c) => c.kind === kind && r.cells.get(c.id)?.cell === 'pass').length}/${checkpoints.filter((c) => c.kind === kind).length}`;
  const table = [['hand-in', 'learner', 'quizzes', 'labs', 'exercises', `points/${fmt(max.total)}`], ...rows.map((r) => [inert(r.name, 40), inert(r.learner, 30), count(r, 'quiz'), count(r, 'lab'), count(r, 'exercise'), fmt(r.total)])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const out = table.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  const notes = rows.flatMap((r) => r.notes.map((n) => `  ${inert(r.name, 40)}: ${inert(n, 300)}`));
  if (notes.length) out.push('', 'notes:', ...notes);
  return `${out.join('\n')}\n`;
}

const xml = (s: string) => inert(s, 4000).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML: a test suite per hand-in, a test case per checkpoint (CI systems and LMS plug-ins read it). */
export function toJunit(rows: Row[], checkpoints: CatalogueCheckpoint[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const r of rows) {
    const cases: string[] = [];
    let f = 0;
    let e = 0;
    let s = 0;
    for (const c of checkpoints) {
      const { cell, reason } = r.cells.get(c.id) ?? { cell: 'missing' as Cell, reason: '' };
      const open = `    <testcase classname="${xml(`${r.name}.${c.kind}`)}" name="${xml(c.id)}">`;
      if (cell === 'pass') cases.push(`${open}</testcase>`);
      else if (cell === 'fail') (f++, cases.push(`${open}<failure message="${xml(reason)}"/></testcase>`));
      else if (cell === 'error') (e++, cases.push(`${open}<error message="${xml(reason)}"/></testcase>`));
      else (s++, cases.push(`${open}<skipped message="${xml(reason)}"/></testcase>`));
    }
    tests += checkpoints.length;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(`  <testsuite name="${xml(r.name)}" tests="${checkpoints.length}" failures="${f}" errors="${e}" skipped="${s}">`, ...(r.learner ? [`    <properties><property name="learner" value="${xml(r.learner)}"/></properties>`] : []), ...cases, '  </testsuite>');
  }
  out.push(`<testsuites name="tcplab regrade" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`, ...suites, '</testsuites>');
  return `${out.join('\n')}\n`;
}
