/**
 * Every exercise of shared/EXERCISES.md, graded on real Node (as `tcplab grade` does) and on the simulated
 * kernel (as the sim runner does): the reference solution passes, the starter fails, and each plausible
 * wrong solution fails on the check it should, with a message that teaches.
 */
import { describe, expect, it } from 'vitest';
import { sandboxSupport } from '../sandbox/support.ts';
import { exerciseIds, loadExercise } from './exercise-files.ts';
import type { GradeResult } from './exercise-types.ts';
import { GRADERS } from './graders/index.ts';
import { gradeSourceOnRealNode, jailedStarter } from './run-real.ts';
import { gradeOnSim } from './run-sim.ts';

const support = sandboxSupport();
if (!support.ok) throw new Error(`the exercise tests grade in the sandbox, as tcplab does: ${support.reason}`);
const jailed = jailedStarter(support.tools);

type Host = (id: string, source: string) => Promise<GradeResult>;
const HOSTS: Record<string, Host> = {
  // Each program in its jail (sharing this process's loopback), as the grading host runs it.
  'real Node, sandboxed': (id, source) => gradeSourceOnRealNode(GRADERS[id]!, source, { starter: jailed, helpersSignalReady: true }),
  'simulated kernel': (id, source) => gradeOnSim(GRADERS[id]!, source),
};

function failureText(r: GradeResult): string {
  return r.checks.filter((c) => !c.pass).map((c) => `${c.name} | ${c.expected ?? ''} | ${c.happened ?? ''} | ${c.hint ?? ''}`).join('\n');
}

it('every exercise directory has a grader and every grader has a directory', () => {
  expect(exerciseIds().sort()).toEqual(Object.keys(GRADERS).sort());
});

for (const [hostName, grade] of Object.entries(HOSTS)) {
  describe.concurrent(`exercises on ${hostName}`, () => {
    for (const id of exerciseIds()) {
      const ex = loadExercise(id);
      it(`${id}: the reference solution passes`, async () => {
        const r = await grade(id, ex.solution);
        expect(failureText(r) + (r.error ?? '')).toBe('');
        expect(r.status).toBe('pass');
      });
      for (const [file, source] of Object.entries(ex.alsoCorrect)) {
        it(`${id}: also-correct/${file}, written differently, passes too`, async () => {
          const r = await grade(id, source);
          expect(failureText(r) + (r.error ?? '')).toBe('');
        });
      }
      it(`${id}: the starter fails`, async () => {
        const r = await grade(id, ex.starter);
        expect(r.status).toBe('fail');
      });
      for (const w of ex.spec.wrong) {
        it(`${id}: wrong/${w.file} (${w.why}) fails on "${w.failing}" saying "${w.message}"`, async () => {
          const r = await grade(id, ex.wrong[w.file]!);
          expect(r.status).toBe('fail');
          const failing = r.checks.filter((c) => !c.pass && c.name.includes(w.failing));
          expect(failing.length, failureText(r)).toBeGreaterThan(0);
          expect(failing.map((c) => `${c.expected} ${c.happened} ${c.hint}`).join('\n')).toContain(w.message);
        });
      }
    }
  });
}
