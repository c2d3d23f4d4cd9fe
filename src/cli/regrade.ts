/**
 * `tcplab regrade DIR|FILE… [--csv]`: re-grades a class's submissions on real Node, never trusting the
 * verdicts recorded in the browser. A submission is either a JSON file exported from the progress page
 * (learner = its `learner` field or file name) or a directory per learner holding `<exercise>.mjs` or
 * `<exercise>/main.mjs` files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GRADERS } from '../grading/graders/index.ts';
import { gradeOnRealNode } from '../grading/run-real.ts';
import { parseSubmission } from '../grading/submission.ts';
import type { Command } from './main.ts';

export const REGRADE_USAGE = 'usage: tcplab regrade DIR|FILE... [--csv]';

interface Entry {
  learner: string;
  source: string;
  code: Record<string, string>;
  claimed: Record<string, boolean>;
  problem?: string;
}

function fromJson(file: string): Entry {
  const learnerFromName = basename(file).replace(/\.json$/, '');
  const parsed = parseSubmission(readFileSync(file, 'utf8'));
  if (!parsed.ok) return { learner: learnerFromName, source: file, code: {}, claimed: {}, problem: `unreadable submission (${parsed.reason})` };
  const s = parsed.submission;
  const claimed = Object.fromEntries(Object.keys(GRADERS).map((id) => [id, s.progress.checkpoints[id]?.done === true]));
  return { learner: s.learner || learnerFromName, source: file, code: s.code, claimed };
}

function fromDirectory(dir: string): Entry {
  const code: Record<string, string> = {};
  for (const id of Object.keys(GRADERS)) {
    for (const candidate of [join(dir, `${id}.mjs`), join(dir, id, 'main.mjs')]) {
      try {
        code[id] = readFileSync(candidate, 'utf8');
        break;
      } catch {
        /* not handed in this way */
      }
    }
  }
  return { learner: basename(dir), source: dir, code, claimed: {} };
}

function collect(paths: string[]): Entry[] {
  const entries: Entry[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      entries.push({ learner: basename(p), source: p, code: {}, claimed: {}, problem: 'no such file or directory' });
      continue;
    }
    if (st.isFile()) {
      entries.push(fromJson(p));
      continue;
    }
    const children = readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const jsons = children.filter((c) => c.isFile() && c.name.endsWith('.json'));
    const dirs = children.filter((c) => c.isDirectory() && !(c.name in GRADERS));
    const ownCode = children.some((c) => (c.isFile() && c.name.replace(/\.mjs$/, '') in GRADERS) || (c.isDirectory() && c.name in GRADERS));
    if (ownCode) entries.push(fromDirectory(p));
    for (const j of jsons) entries.push(fromJson(join(p, j.name)));
    for (const d of dirs) entries.push(fromDirectory(join(p, d.name)));
  }
  return entries;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const regradeCommand: Command = async (args, out, err) => {
  const csv = args.includes('--csv');
  const bad = args.find((a) => a.startsWith('-') && a !== '--csv');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (bad || paths.length === 0) {
    err(bad ? `tcplab regrade: unknown option ${bad}\n${REGRADE_USAGE}` : REGRADE_USAGE);
    return 2;
  }
  const entries = collect(paths);
  if (entries.length === 0) {
    err('tcplab regrade: no submissions found (JSON files exported from the progress page, or one directory per learner)');
    return 2;
  }
  const ids = Object.keys(GRADERS);
  const tmp = mkdtempSync(join(tmpdir(), 'tcplab-regrade-'));
  const rows: Array<{ learner: string; cells: string[]; points: number; notes: string[] }> = [];
  try {
    for (const [n, e] of entries.entries()) {
      const cells: string[] = [];
      const notes: string[] = e.problem ? [e.problem] : [];
      let points = 0;
      for (const id of ids) {
        const code = e.code[id];
        if (code === undefined) {
          cells.push('-');
          if (e.claimed[id]) notes.push(`${id}: marked done in the browser but no code handed in`);
          continue;
        }
        const file = join(tmp, `${n}-${id}.mjs`);
        writeFileSync(file, code);
        const r = await gradeOnRealNode(GRADERS[id]!, file);
        cells.push(r.status);
        if (r.status === 'pass') points++;
        if (e.claimed[id] && r.status !== 'pass') notes.push(`${id}: marked done in the browser, ${r.status} on re-grading`);
      }
      rows.push({ learner: e.learner, cells, points, notes });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (csv) {
    out(`${['learner', ...ids, 'points', 'notes'].map(csvCell).join(',')}\n`);
    for (const r of rows) out(`${[r.learner, ...r.cells, String(r.points), r.notes.join('; ')].map(csvCell).join(',')}\n`);
  } else {
    const widths = [Math.max(7, ...rows.map((r) => r.learner.length)), ...ids.map((id) => id.length)];
    const line = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i] ?? c.length)).join('  ').trimEnd();
    out(`${line(['learner', ...ids, 'points'])}\n`);
    for (const r of rows) out(`${line([r.learner, ...r.cells, `${r.points}/${ids.length}`])}\n`);
    const notes = rows.flatMap((r) => r.notes.map((n) => `  ${r.learner}: ${n}`));
    if (notes.length) out(`\nnotes:\n${notes.join('\n')}\n`);
    out(`\n${rows.length} submission${rows.length === 1 ? '' : 's'} re-graded on real Node ${process.version}.\n`);
  }
  return 0;
};
