/**
 * `npm run bench:regrade [-- --count N] [-- --default-only]`: generates N hand-ins (default 100), each with all
 * six exercises, right and wrong programs mixed (reference solutions, also-correct ones, plausible wrong
 * ones, starters), re-grades them with `tcplab regrade --jobs 1` and with the default, and prints hand-ins per
 * second for each and the ratio. It also checks every verdict against what the program is known to be: a
 * fast run that misjudges a right program is not a fast run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const count = Number(argv[argv.indexOf('--count') + 1] ?? 100) || 100;
const defaultOnly = argv.includes('--default-only');
const IDS = ['four-way-close', 'process-exit-fin', 'close-wait-leak', 'reset-on-unread', 'half-close-request', 'self-connect-retry'];

// A small seeded PRNG (mulberry32): the same class every run.
let seed = 20261130;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

function programs(id: string): { right: string[]; wrong: string[] } {
  const dir = join(root, 'content/exercises', id);
  const read = (sub: string) => {
    try {
      return readdirSync(join(dir, sub)).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(dir, sub, f), 'utf8'));
    } catch {
      return [];
    }
  };
  return { right: [...read('solution'), ...read('also-correct')], wrong: [...read('wrong'), ...read('starter')] };
}

const dir = mkdtempSync(join(tmpdir(), 'tcplab-bench-class-'));
const expected = new Map<string, Map<string, 'pass' | 'fail'>>();
const pools = Object.fromEntries(IDS.map((id) => [id, programs(id)]));
for (let i = 1; i <= count; i++) {
  const name = `learner-${String(i).padStart(3, '0')}`;
  mkdirSync(join(dir, name));
  const want = new Map<string, 'pass' | 'fail'>();
  for (const id of IDS) {
    const right = rand() < 0.6;
    writeFileSync(join(dir, name, `${id}.mjs`), pick(right ? pools[id]!.right : pools[id]!.wrong));
    want.set(id, right ? 'pass' : 'fail');
  }
  expected.set(name, want);
}

function regrade(jobs: number | null): { seconds: number; wrongVerdicts: string[] } {
  const args = [join(root, 'bin/tcplab.mjs'), 'regrade', dir, '--csv', ...(jobs === null ? [] : ['--jobs', String(jobs)])];
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`regrade failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').map((l) => l.split(','));
  const head = lines[0]!;
  const wrongVerdicts: string[] = [];
  for (const row of lines.slice(1)) {
    const want = expected.get(row[0]!);
    for (const id of IDS) {
      const got = row[head.indexOf(id)];
      if (want?.get(id) !== got) wrongVerdicts.push(`${row[0]} ${id}: expected ${want?.get(id)}, got ${got}`);
    }
  }
  return { seconds, wrongVerdicts };
}

try {
  console.log(`${count} hand-ins × ${IDS.length} exercises (${[...expected.values()].reduce((n, m) => n + [...m.values()].filter((v) => v === 'pass').length, 0)} right programs, the rest wrong), ${dir}`);
  const results: Array<{ label: string; seconds: number; wrong: string[] }> = [];
  if (!defaultOnly) {
    const one = regrade(1);
    results.push({ label: '--jobs 1', seconds: one.seconds, wrong: one.wrongVerdicts });
  }
  const def = regrade(null);
  results.push({ label: 'default jobs', seconds: def.seconds, wrong: def.wrongVerdicts });
  for (const r of results) {
    console.log(`${r.label.padEnd(13)} ${r.seconds.toFixed(1).padStart(6)} s   ${(count / r.seconds).toFixed(2).padStart(6)} hand-ins/s   verdicts wrong: ${r.wrong.length}`);
    for (const w of r.wrong.slice(0, 10)) console.log(`    ${w}`);
  }
  if (results.length === 2) console.log(`ratio (default / --jobs 1): ${(results[0]!.seconds / results[1]!.seconds).toFixed(2)}×`);
  if (results.some((r) => r.wrong.length > 0)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
