/**
 * `tcplab regrade DIR|FILE… [--csv] [--junit FILE] [--jobs N] [--shard K/N] [--weights FILE]
 * [--unsafe-no-sandbox]`: re-grades a class's hand-ins — quizzes against the answer key, lab sessions
 * replayed on the simulated kernel, exercises on real Node in a sandbox — never trusting the browser.
 * Each hand-in is graded in a grading host of its own (its own jail and loopback), several at once.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { loadCatalogue } from '../grading/course-catalogue.ts';
import { GRADERS } from '../grading/graders/index.ts';
import { PROJECT_ROOT, gradeHandInIsolated } from '../grading/host-launcher.ts';
import type { Verdict } from '../grading/hand-in-job.ts';
import { makeRow, parseWeights, toCsv, toJunit, toText, type Row, type Weights } from './gradebook.ts';
import { collectHandIns, type HandIn } from './hand-ins.ts';
import { chooseIsolation, UNSAFE_FLAG } from './isolation.ts';
import type { Command } from './main.ts';
import { readHandedInFile } from './safe-read.ts';

export const REGRADE_USAGE = `usage: tcplab regrade DIR|FILE... [--csv] [--junit FILE] [--jobs N] [--shard K/N] [--weights FILE] [${UNSAFE_FLAG}]`;

/**
 * Hand-ins graded at once: eight per core (16 on 2 cores), at most 32. Gradings mostly wait on the graders'
 * timers, so many more than the cores; each holds up to six programs. On 2 cores, 100 hand-ins took 72 s with
 * 8 at once and 59 s with 16, every verdict right (`npm run bench:regrade`, machine shared with other work).
 */
export function defaultJobs(): number {
  return Math.max(4, Math.min(32, availableParallelism() * 8));
}

interface Args {
  paths: string[];
  csv: boolean;
  junit?: string;
  jobs: number;
  shard?: { k: number; n: number };
  weights?: string;
  unsafe: boolean;
}

function parseArgs(args: string[]): Args | string {
  const a: Args = { paths: [], csv: false, jobs: defaultJobs(), unsafe: false };
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    const value = () => {
      const eq = x.indexOf('=');
      if (eq > 0) return x.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new Error(`${x} needs a value`);
      return v;
    };
    try {
      if (x === '--csv') a.csv = true;
      else if (x === UNSAFE_FLAG) a.unsafe = true;
      else if (x === '--junit' || x.startsWith('--junit=')) a.junit = value();
      else if (x === '--weights' || x.startsWith('--weights=')) a.weights = value();
      else if (x === '--jobs' || x.startsWith('--jobs=')) {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 256) return '--jobs takes a whole number from 1 to 256';
        a.jobs = n;
      } else if (x === '--shard' || x.startsWith('--shard=')) {
        const m = /^(\d+)\/(\d+)$/.exec(value());
        const k = Number(m?.[1]);
        const n = Number(m?.[2]);
        if (!m || n < 1 || k < 1 || k > n) return '--shard takes K/N with 1 <= K <= N (e.g. --shard 2/4)';
        a.shard = { k, n };
      } else if (x === '--') a.paths.push(...args.slice(i + 1)), (i = args.length);
      else if (x.startsWith('-')) return `unknown option ${x}`;
      else a.paths.push(x);
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (a.paths.length === 0) return 'no hand-ins named';
  return a;
}

/** Distinct row names: duplicates show their file name (alice.json) or directory (alice/), then their path. */
function nameRows(handIns: HandIn[]): void {
  const count = (key: (h: HandIn) => string) => {
    const seen = new Map<string, number>();
    for (const h of handIns) seen.set(key(h), (seen.get(key(h)) ?? 0) + 1);
    return (h: HandIn) => (seen.get(key(h)) ?? 0) > 1;
  };
  const dup = count((h) => h.name);
  for (const h of handIns) if (dup(h)) h.name = h.path.toLowerCase().endsWith('.json') ? basename(h.path) : `${basename(h.path)}/`;
  const stillDup = count((h) => h.name);
  for (const h of handIns) if (stillDup(h)) h.name = h.path;
}

async function pool<T>(items: T[], jobs: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

export const regradeCommand: Command = async (args, out, err) => {
  const a = parseArgs(args);
  if (typeof a === 'string') {
    err(`tcplab regrade: ${a}\n${REGRADE_USAGE}`);
    return 2;
  }
  const iso = chooseIsolation('regrade', a.unsafe);
  if (!iso.ok) {
    err(iso.message);
    return 3;
  }
  if (iso.warning) err(iso.warning);
  const catalogue = loadCatalogue(PROJECT_ROOT);
  let weights: Weights = {};
  if (a.weights) {
    const read = readHandedInFile(a.weights, 1 << 20);
    if (!read.ok) {
      err(`tcplab regrade: ${a.weights}: ${read.reason}`);
      return 2;
    }
    try {
      weights = parseWeights(read.text, a.weights, catalogue.has);
    } catch (e) {
      err(`tcplab regrade: ${(e as Error).message}`);
      return 2;
    }
  }
  const exerciseIds = new Set(Object.keys(GRADERS));
  let handIns = collectHandIns(a.paths, { exerciseIds, isCheckpoint: catalogue.has });
  handIns.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.path < y.path ? -1 : 1));
  if (a.shard) handIns = handIns.filter((_, i) => i % a.shard!.n === a.shard!.k - 1);
  nameRows(handIns);
  if (handIns.length === 0) {
    err('tcplab regrade: no hand-ins found (JSON files downloaded from the progress page, or one directory of programs per learner)');
    return 1;
  }
  const rows: Row[] = new Array(handIns.length);
  let done = 0;
  const tty = process.stderr.isTTY === true;
  await pool(handIns, a.jobs, async (h, i) => {
    const verdicts: Verdict[] = h.unreadable ? [] : await gradeHandInIsolated(h.job, { isolation: iso.isolation });
    rows[i] = makeRow(h.name, h.learner, catalogue.checkpoints, verdicts, h.claimed, h.refused, h.unreadable ? [h.unreadable, ...h.notes] : h.notes, weights);
    done++;
    if (tty) process.stderr.write(`\rgraded ${done} of ${handIns.length} hand-ins`);
  });
  if (tty) process.stderr.write('\n');
  if (a.junit) {
    try {
      writeFileSync(a.junit, toJunit(rows, catalogue.checkpoints));
    } catch (e) {
      err(`tcplab regrade: cannot write ${a.junit}: ${(e as Error).message}`);
      return 2;
    }
  }
  out(a.csv ? toCsv(rows, catalogue.checkpoints, weights) : toText(rows, catalogue.checkpoints, weights));
  const readable = handIns.filter((h) => !h.unreadable).length;
  if (!a.csv) out(`\n${readable} of ${handIns.length} hand-in${handIns.length === 1 ? '' : 's'} re-graded (${iso.isolation.kind === 'jail' ? 'each program in a sandbox' : 'NO sandbox'}, real Node ${process.version}).\n`);
  return readable > 0 ? 0 : 1;
};
