/**
 * The GitHub Classroom template: its workflow parses as YAML and has one autograding test per exercise wired
 * to the reporter; every test's command passes on a generated repository holding the reference solutions and
 * fails with the starters, run here exactly as the workflow runs it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { exerciseIds, loadExercise } from '../grading/exercise-files.ts';

const root = join(import.meta.dirname, '../..');
let dir: string;

function sh(command: string, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // The runner's Node is not the project's: run with the machine's PATH, as a student's repository would.
    const c = spawn('sh', ['-c', command], { cwd, env: { PATH: `${process.env['PATH'] ?? ''}:${join(root, 'node_modules/.bin')}` } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.on('close', (code) => resolve({ code, out }));
  });
}

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'tcplab-classroom-')), 'assignment');
  const r = await sh(`node ${join(root, 'bin/tcplab.mjs')} classroom init ${dir}`, root);
  expect(r.code, r.out).toBe(0);
}, 60_000);
afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('tcplab classroom init', () => {
  test('the workflow is YAML with one autograding test per exercise, all reported', () => {
    const wf = parse(readFileSync(join(dir, '.github/workflows/classroom.yml'), 'utf8')) as { on: string[]; jobs: Record<string, { steps: Step[] }> };
    expect(wf.on).toContain('push');
    const steps = Object.values(wf.jobs)[0]!.steps;
    const tests = steps.filter((s) => s.uses === 'classroom-resources/autograding-command-grader@v1');
    expect(tests.map((s) => s.with!['test-name']).sort()).toEqual(exerciseIds());
    const reporter = steps.find((s) => s.uses === 'classroom-resources/autograding-grading-reporter@v1')!;
    expect(reporter.with!['runners']).toBe(tests.map((s) => s.id).join(','));
    for (const t of tests) expect(reporter.env![`${t.id!.toUpperCase()}_RESULTS`]).toBe(`\${{steps.${t.id}.outputs.result}}`);
    expect(steps.some((s) => s.run?.includes('bubblewrap'))).toBe(true);
  });

  test('every test passes with the reference solutions and fails with the starters', async () => {
    const wf = parse(readFileSync(join(dir, '.github/workflows/classroom.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    const tests = Object.values(wf.jobs)[0]!.steps.filter((s) => s.uses?.includes('autograding-command-grader'));
    // The starters, as generated.
    for (const t of tests) {
      const r = await sh(String(t.with!['command']), dir);
      expect(r.code, `${t.id} with its starter:\n${r.out}`).not.toBe(0);
    }
    for (const id of exerciseIds()) writeFileSync(join(dir, 'exercises', id, 'main.mjs'), loadExercise(id).solution);
    for (const t of tests) {
      const r = await sh(String(t.with!['command']), dir);
      expect(r.code, `${t.id} with the reference solution:\n${r.out}`).toBe(0);
    }
  }, 120_000);

  test('the student README explains how to check locally and how to reach the local runner', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('node .tcplab/tcplab.mjs grade four-way-close exercises/four-way-close/main.mjs');
    expect(readme).toContain('npm install && npm start');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.keys(pkg.scripts).sort()).toEqual(exerciseIds().map((id) => `grade:${id}`));
  });

  test('refuses a directory that is not empty, and bad exercises', async () => {
    expect((await sh(`node ${join(root, 'bin/tcplab.mjs')} classroom init ${dir}`, root)).code).toBe(2);
    expect((await sh(`node ${join(root, 'bin/tcplab.mjs')} classroom init ${dir}-2 --exercises nope`, root)).code).toBe(2);
  });
});
