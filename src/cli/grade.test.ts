/** `tcplab grade` as a learner or an instructor runs it: exit codes, reports, JSON (shared/EXERCISES.md). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tcplab = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/tcplab.mjs'), ...args], { encoding: 'utf8', cwd: root });
const ex = (id: string, part: string) => join(root, 'content/exercises', id, part);

describe('tcplab grade', () => {
  it('a passing program: report, points 1/1, exit 0', () => {
    const r = tcplab(['grade', 'half-close-request', ex('half-close-request', 'solution/main.mjs')]);
    expect(r.stdout).toContain('Exercise half-close-request: PASSED');
    expect(r.stdout).toMatch(/points: 1\/1/);
    expect(r.status).toBe(0);
  });

  it('a failing program: the failed check with expected, happened and hint, exit 1', () => {
    const r = tcplab(['grade', 'reset-on-unread', ex('reset-on-unread', 'wrong/no-error-handler.mjs')]);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('✘ when the server resets the connection, the client prints "reset"');
    expect(r.stdout).toContain("hint:     your program got ECONNRESET without an 'error' listener");
    expect(r.stdout).toContain('ECONNRESET'); // the crash the program printed is shown
    expect(r.stdout).toMatch(/points: 0\/1/);
    expect(r.status).toBe(1);
  });

  it('--json prints Exercism test-runner results', () => {
    const r = tcplab(['grade', 'four-way-close', ex('four-way-close', 'starter/main.mjs'), '--json']);
    const json = JSON.parse(r.stdout) as { version: number; status: string; tests: Array<{ name: string; status: string; message: string | null; output: string }> };
    expect(json.version).toBe(2);
    expect(json.status).toBe('fail');
    const failed = json.tests.filter((t) => t.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.message).toContain('Expected: "got 1234 bytes\\n"');
    expect(r.status).toBe(1);
  });

  it('bad arguments: usage and exit 2', () => {
    expect(tcplab(['grade']).status).toBe(2);
    const unknown = tcplab(['grade', 'no-such-exercise', 'x.mjs']);
    expect(unknown.stderr).toContain('no exercise "no-such-exercise"');
    expect(unknown.status).toBe(2);
    const missing = tcplab(['grade', 'four-way-close', '/nonexistent/main.mjs']);
    expect(missing.stderr).toContain('No such file or directory');
    expect(missing.status).toBe(2);
  });

  it('a program with a syntax error fails, it does not crash the grader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcplab-grade-'));
    writeFileSync(join(dir, 'main.mjs'), 'import net from "node:net";\nnet.createServer((s) => { s.end( }).listen(process.env.PORT);\n');
    const r = tcplab(['grade', 'close-wait-leak', join(dir, 'main.mjs')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('SyntaxError');
  });
});
