/**
 * `tcplab regrade` on a class that includes a hostile learner. Each attack is one hand-in; the test checks
 * that it was contained (graded 0 with a reason), that nothing it started survives the run, that nothing
 * outside the sandbox changed, and that the rest of the class was graded correctly — quizzes, labs and
 * exercises, from the hand-ins' evidence, never from what the browser claimed.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LabHarness } from '../lab/harness.ts';
import { loadCatalogue } from '../grading/course-catalogue.ts';
import { parseLabCheckpoint } from '../grading/lab-goals.ts';
import { emptyProgress, markDone, type Progress } from '../grading/progress.ts';
import { makeSubmission } from '../grading/submission.ts';

const root = join(import.meta.dirname, '../..');
const catalogue = loadCatalogue(root);
const IDS = ['four-way-close', 'process-exit-fin', 'close-wait-leak', 'reset-on-unread', 'half-close-request', 'self-connect-retry'];
const solution = (id: string) => readFileSync(join(root, 'content/exercises', id, 'solution/main.mjs'), 'utf8');
const MARK = `tcplabhostile${process.pid}x${Date.now()}`;

/** Runs the CLI as an instructor would, asynchronously (the test process stays responsive). */
function tcplab(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [join(root, 'bin/tcplab.mjs'), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A quick CSV reader for our own output (quoted cells may hold commas). */
function csv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cells: string[] = [];
      let cur = '';
      let q = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (q) {
          if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
          else if (ch === '"') q = false;
          else cur += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') cells.push(cur), (cur = '');
        else cur += ch;
      }
      cells.push(cur);
      return cells;
    });
}

function snapshot(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      h.update(`${p}:${st?.mode}:${st?.size}:${st?.mtimeMs}\n`);
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile() && st.size < 1 << 20) h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** A lab session exported the way the lab page does when the goal is met. */
function labEvidence(checkpoint: string, seed: number): { kind: 'lab'; seed: number; session: string } {
  const lab = parseLabCheckpoint(checkpoint, JSON.parse(readFileSync(join(root, 'content/labs', `${checkpoint}.json`), 'utf8')));
  const h = new LabHarness(lab.terminals ?? 3, { seed });
  for (const step of lab.solution) {
    h.type(step.terminal, step.keys);
    h.wait((step.waitMs ?? 10) * 1000);
  }
  return { kind: 'lab', seed, session: h.world.sys.toScenario([], h.world.now()) };
}

function rightAnswers(quizId: string): Record<string, string[]> {
  const quiz = catalogue.quiz(quizId)!;
  return Object.fromEntries(quiz.questions.map((q) => [q.id, q.choices.filter((c) => c.correct).map((c) => c.id)]));
}

const HOSTILE: Record<string, string> = {
  // Kills its parent, every process it can, and asks every process for an inspector.
  killer: `
    try { process.kill(process.ppid, 'SIGKILL'); } catch {}
    for (let pid = 1; pid < 4096; pid++) { try { process.kill(pid, 'SIGUSR1'); } catch {} }
    try { process.kill(-1, 'SIGKILL'); } catch {}`,
  // Writes a forged gradebook row into every standard output it can find.
  forger: `
    import fs from 'node:fs';
    const row = '\\nforged-row,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,pass,99\\n';
    for (const pid of ['self', String(process.ppid), '1', ...fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))]) {
      for (const fd of [1, 2]) { try { fs.appendFileSync('/proc/' + pid + '/fd/' + fd, row); } catch {} }
    }
    console.log(row);`,
  // Opens inspectors, then tries to reach them and the machine's loopback.
  inspector: `
    import net from 'node:net';
    for (let pid = 1; pid < 4096; pid++) { try { process.kill(pid, 'SIGUSR1'); } catch {} }
    setTimeout(() => { const s = net.connect(9229, '127.0.0.1'); s.on('connect', () => console.log('INSPECTOR OPEN')); s.on('error', (e) => console.log('inspector', e.code)); }, 300);`,
  // A setsid double-forked daemon and a nohup child, meant to outlive the grading.
  daemon: `
    import { spawn } from 'node:child_process';
    const inner = "require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000) // ${MARK}'], { detached: true, stdio: 'ignore' }).unref()";
    spawn(process.execPath, ['-e', inner], { detached: true, stdio: 'ignore' }).unref();
    spawn('/usr/bin/nohup', [process.execPath, '-e', 'setInterval(() => {}, 1000) // ${MARK}'], { detached: true, stdio: 'ignore' }).unref();`,
  // Reads the working directory, home, the class and the instructor's files; copies them out to /tmp.
  snoop: `
    import fs from 'node:fs';
    const grab = (p) => { try { return fs.readdirSync(p).join(' '); } catch (e) { try { return fs.readFileSync(p, 'utf8').slice(0, 100); } catch (e2) { return e2.code; } } };
    const loot = { cwd: grab(process.cwd()), home: grab(process.env.HOME ?? '/root'), root: grab('/root'), classDir: grab(process.env.CLASS_DIR ?? '__CLASS__'), alice: grab('__CLASS__/alice/four-way-close.mjs'), project: grab('__PROJECT__') };
    try { fs.writeFileSync('/tmp/${MARK}-loot', JSON.stringify(loot)); } catch {}
    try { fs.writeFileSync('__CLASS__/${MARK}-planted', 'x'); } catch {}
    console.log('LOOT ' + JSON.stringify(loot));`,
  flood: `const line = 'y'.repeat(4095) + '\\n'; for (let i = 0; i < 25600; i++) process.stdout.write(line);`,
  forkbomb: `
    import { spawn } from 'node:child_process';
    for (let i = 0; i < 500; i++) { try { spawn(process.execPath, ['-e', 'setInterval(()=>{},1000) // ${MARK}'], { detached: true, stdio: 'ignore' }).on('error', () => {}).unref(); } catch {} }
    setInterval(() => {}, 1000);`,
};

let dir: string;
let classSnapshot: string;
let result: { status: number | null; stdout: string; stderr: string };
let rows: string[][];
const col = (name: string) => rows[0]!.indexOf(name);
const row = (name: string) => rows.find((r) => r[0] === name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tcplab-class-'));
  // Alice: a directory with the six reference solutions.
  mkdirSync(join(dir, 'alice'));
  for (const id of IDS) writeFileSync(join(dir, 'alice', `${id}.mjs`), solution(id));
  // Ada: a JSON hand-in with real evidence for one quiz and one lab, and two exercises.
  let ada: Progress = emptyProgress();
  ada = markDone(ada, 'fin-timeout-quiz', new Date(), undefined, { kind: 'quiz', answers: rightAnswers('fin-timeout-quiz') });
  ada = markDone(ada, 'self-connect-two-segment', new Date(), undefined, labEvidence('self-connect-two-segment', 4242));
  writeFileSync(join(dir, 'ada.json'), JSON.stringify(makeSubmission(ada, { 'half-close-request': solution('half-close-request'), 'four-way-close': solution('four-way-close') }, new Date(), 'Ada Lovelace')));
  // Mallory: claims everything, proves nothing. Wrong quiz answers, a lab with no session, a session of
  // another lab, an exercise marked done with a wrong program, and a learner field that impersonates Alice.
  let mallory: Progress = emptyProgress();
  const wrong = Object.fromEntries(Object.entries(rightAnswers('time-wait-quiz')).map(([q]) => [q, ['nonsense']]));
  mallory = markDone(mallory, 'time-wait-quiz', new Date(), undefined, { kind: 'quiz', answers: wrong });
  mallory = markDone(mallory, 'orphan-expires', new Date(), 'lab goal met');
  mallory = markDone(mallory, 'simultaneous-open', new Date(), undefined, labEvidence('self-connect-two-segment', 7));
  mallory = markDone(mallory, 'reset-on-unread', new Date(), 'passed on sim');
  const code: Record<string, string> = { 'reset-on-unread': readFileSync(join(root, 'content/exercises/reset-on-unread/wrong/writes-nothing.mjs'), 'utf8') };
  const sub = makeSubmission(mallory, code, new Date(), 'alice') as unknown as { code: Record<string, string> };
  // Exercise ids that would poison an object, as own JSON keys.
  const json = JSON.stringify(sub).replace('"code":{', '"code":{"__proto__":"evil","constructor":"evil",');
  writeFileSync(join(dir, 'mallory.json'), json);
  // The hostile programs, one learner directory each.
  for (const [name, source] of Object.entries(HOSTILE)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'four-way-close.mjs'), source.replaceAll('__CLASS__', dir).replaceAll('__PROJECT__', root));
  }
  // Hand-ins that are not files, too large, or named to forge rows and formulas.
  execFileSync('mkfifo', [join(dir, 'pipe.json')]);
  mkdirSync(join(dir, 'fifo-learner'));
  execFileSync('mkfifo', [join(dir, 'fifo-learner', 'four-way-close.mjs')]);
  mkdirSync(join(dir, 'huge'));
  execFileSync('truncate', ['-s', '600M', join(dir, 'huge', 'four-way-close.mjs')]);
  execFileSync('truncate', ['-s', '600M', join(dir, 'huge.json')]);
  for (const name of ['evil\nname', '\u001b[31mred\u001b[0m', '=HYPERLINK("evil.example","x")', '__proto__', 'constructor', '+cmd|calc']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'four-way-close.mjs'), solution('four-way-close'));
  }
  mkdirSync(join(dir, 'linked'));
  execFileSync('ln', ['-s', join(dir, 'alice', 'four-way-close.mjs'), join(dir, 'linked', 'four-way-close.mjs')]);
  writeFileSync(join(dir, 'broken.json'), '{ not json');
  classSnapshot = snapshot(dir);
  result = await tcplab(['regrade', dir, '--csv', '--junit', join(tmpdir(), `${MARK}.xml`)]);
  rows = csv(result.stdout);
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), `${MARK}.xml`), { force: true });
});

describe('regrade of a class with a hostile learner', () => {
  test('finishes with exit 0 and one row per hand-in', () => {
    expect(result.status, result.stderr).toBe(0);
    const names = rows.slice(1).map((r) => r[0]).sort();
    expect(names).toEqual(
      ['+cmd|calc', '=HYPERLINK("evil.example","x")', '__proto__', 'ada', 'alice', 'broken', 'constructor', 'daemon', 'evil name', 'fifo-learner', 'flood', 'forger', 'forkbomb', 'huge.json', 'huge/', 'inspector', 'killer', 'linked', 'mallory', 'pipe', 'red', 'snoop']
        .map((n) => (/^[=+\-@]/.test(n) ? `'${n}` : n))
        .sort(),
    );
  });

  test('the rest of the class is graded correctly', () => {
    const alice = row('alice')!;
    for (const id of IDS) expect(alice[col(id)], id).toBe('pass');
    const ada = row('ada')!;
    expect(ada[col('learner')]).toBe('Ada Lovelace');
    expect(ada[col('half-close-request')]).toBe('pass');
    expect(ada[col('four-way-close')]).toBe('pass');
    expect(ada[col('fin-timeout-quiz')]).toBe('pass');
    expect(ada[col('self-connect-two-segment')]).toBe('pass');
    for (const name of ['__proto__', 'constructor', 'evil name', 'red', "'=HYPERLINK(\"evil.example\",\"x\")", "'+cmd|calc"]) {
      expect(row(name)?.[col('four-way-close')], name).toBe('pass');
    }
  });

  test('each hostile program is contained and graded 0 with a reason', () => {
    for (const name of Object.keys(HOSTILE)) {
      const r = row(name)!;
      expect(r[col('four-way-close')], name).toMatch(/fail|error/);
      expect(r[col('points (of 24)')] ?? r.at(-2), name).toBe('0');
    }
    expect(row('fifo-learner')![col('notes')]).toContain('a FIFO: refused');
    expect(row('linked')![col('notes')]).toContain('a symbolic link: refused');
    expect(row('huge/')![col('notes')]).toContain('four-way-close: four-way-close.mjs: too large (600 MiB; at most 1 MiB)');
    expect(row('huge.json')![col('notes')]).toContain('too large (600 MiB; at most 10 MiB)');
    expect(row('pipe')![col('notes')]).toContain('a FIFO: refused');
    expect(row('broken')![col('notes')]).toContain('unreadable hand-in');
  });

  test('a forged row never reaches the gradebook, and the CLI was not killed or inspected', () => {
    expect(result.stdout).not.toContain('forged-row');
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    expect(result.stdout).not.toContain('INSPECTOR OPEN');
    expect(spawnSync('ss', ['-ltn'], { encoding: 'utf8' }).stdout).not.toMatch(/127\.0\.0\.1:9229\b/);
  });

  test('the snoop found nothing of the machine and left nothing on it', () => {
    const out = row('snoop')!;
    expect(out.join(',')).not.toContain('the answer');
    expect(existsSync(join('/tmp', `${MARK}-loot`))).toBe(false);
    expect(existsSync(join(dir, `${MARK}-planted`))).toBe(false);
    expect(snapshot(dir)).toBe(classSnapshot);
  });

  test('nothing a learner started is still running', () => {
    const left = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(MARK));
    expect(left).toEqual([]);
  });

  test('claims the browser made are checked, never trusted', () => {
    const m = row('mallory')!;
    expect(m[col('learner')]).toBe('alice');
    expect(m[col('time-wait-quiz')]).toBe('fail');
    expect(m[col('orphan-expires')]).toBe('missing');
    expect(m[col('simultaneous-open')]).toBe('fail');
    expect(m[col('reset-on-unread')]).toBe('fail');
    const notes = m[col('notes')]!;
    expect(notes).toContain('time-wait-quiz: done in the browser, fail on re-grading');
    expect(notes).toContain('orphan-expires: done in the browser, but no lab session handed in');
    expect(notes).toContain('simultaneous-open: done in the browser, fail on re-grading (the replayed session never reaches the goal)');
    expect(notes).toContain('code for an unknown exercise "__proto__" ignored');
    expect(notes).toContain('code for an unknown exercise "constructor" ignored');
  });

  test('no cell can forge a row, move the cursor or run as a formula', () => {
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    for (const r of rows) for (const cell of r) expect(cell, JSON.stringify(r)).not.toMatch(/^[=+\-@]/);
    const xml = readFileSync(join(tmpdir(), `${MARK}.xml`), 'utf8');
    expect(xml).toContain('<testsuites name="tcplab regrade"');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toMatch(/<testsuite name="alice" tests="\d+" failures="0" errors="0"/);
  });
});

describe('the command line itself', () => {
  test('SIGUSR1 opens no inspector in tcplab, and it finishes its work', async () => {
    const one = mkdtempSync(join(tmpdir(), 'tcplab-usr1-'));
    // A program that keeps the grader waiting a few seconds: time to signal the CLI while it works.
    writeFileSync(join(one, 'four-way-close.mjs'), 'setInterval(() => {}, 1000);');
    const c = spawn(process.execPath, [join(root, 'bin/tcplab.mjs'), 'regrade', '--csv', one], { cwd: root });
    let stdout = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => c.on('close', r));
    await new Promise((r) => setTimeout(r, 1500));
    // The launcher and the CLI it runs (with --disable-sigusr1): signal both.
    const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(c.pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
    for (const pid of [c.pid!, ...pids]) process.kill(pid, 'SIGUSR1');
    await new Promise((r) => setTimeout(r, 500));
    const listening = spawnSync('ss', ['-ltnp'], { encoding: 'utf8' }).stdout;
    expect(listening).not.toMatch(/:9229\b/);
    expect(await exited).toBe(0);
    expect(stdout).toContain('four-way-close');
    rmSync(one, { recursive: true, force: true });
  });
});

describe('large classes', () => {
  test('--shard K/N splits the class into disjoint parts that cover it, in name order', async () => {
    const cls = mkdtempSync(join(tmpdir(), 'tcplab-shard-'));
    for (const name of ['carol', 'alice', 'dave', 'bob', 'erin']) {
      mkdirSync(join(cls, name));
      writeFileSync(join(cls, name, 'four-way-close.mjs'), solution('four-way-close'));
    }
    const names = async (shard: string) => csv((await tcplab(['regrade', '--csv', '--shard', shard, cls])).stdout).slice(1).map((r) => r[0]);
    const [a, b] = await Promise.all([names('1/2'), names('2/2')]);
    expect(a).toEqual(['alice', 'carol', 'erin']);
    expect(b).toEqual(['bob', 'dave']);
    rmSync(cls, { recursive: true, force: true });
  });
});

describe('regrade refuses or fails clearly', () => {
  test('a missing path: its row and a non-zero exit when nothing could be graded', async () => {
    const r = await tcplab(['regrade', '/nonexistent-class-dir']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no such file or directory');
  });

  test('bad options: usage and exit 2', async () => {
    expect((await tcplab(['regrade'])).status).toBe(2);
    expect((await tcplab(['regrade', '--jobs', '0', '.'])).status).toBe(2);
    expect((await tcplab(['regrade', '--shard', '3/2', '.'])).status).toBe(2);
    const weights = join(tmpdir(), `${MARK}-weights.json`);
    writeFileSync(weights, JSON.stringify({ quiz: 1, checkpoints: { 'no-such-checkpoint': 2 } }));
    const r = await tcplab(['regrade', '--weights', weights, '/nonexistent']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('field "checkpoints.no-such-checkpoint": no such checkpoint');
    rmSync(weights);
  });

  test('without bubblewrap it refuses in one line, unless --unsafe-no-sandbox', async () => {
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stderr: string; stdout: string }>((resolve) => {
        const c = spawn(process.execPath, [join(root, 'bin/tcplab.mjs'), ...args], { cwd: root, env: { ...process.env, TCPLAB_BWRAP: '/nonexistent/bwrap' } });
        let stderr = '';
        let stdout = '';
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        c.on('close', (status) => resolve({ status, stderr, stdout }));
      });
    const one = mkdtempSync(join(tmpdir(), 'tcplab-one-'));
    writeFileSync(join(one, 'four-way-close.mjs'), solution('four-way-close'));
    const refused = await run(['regrade', one]);
    expect(refused.status).toBe(3);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('bubblewrap is not installed');
    expect(refused.stdout).toBe('');
    const unsafe = await run(['regrade', '--unsafe-no-sandbox', '--csv', one]);
    expect(unsafe.status).toBe(0);
    expect(unsafe.stderr).toContain('WARNING');
    expect(csv(unsafe.stdout)[1]![csv(unsafe.stdout)[0]!.indexOf('four-way-close')]).toBe('pass');
    // grade, on the learner's own code, warns and goes on.
    const graded = await run(['grade', 'four-way-close', join(one, 'four-way-close.mjs')]);
    expect(graded.status).toBe(0);
    expect(graded.stderr).toContain('no sandbox');
    rmSync(one, { recursive: true, force: true });
  });
});
