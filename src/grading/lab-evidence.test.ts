/**
 * A lab's evidence in a hand-in is its session exported at the moment the goal was met; `tcplab regrade`
 * replays it on the kernel and checks the goal again. Every lab's reference solution must survive that
 * round trip (no honest learner loses a lab on re-grading), and a session that stops short must not pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LabHarness } from '../lab/harness.ts';
import { loadCatalogue } from './course-catalogue.ts';
import { gradeLabSession } from './grade-evidence.ts';
import { goalMet, parseLabCheckpoint, type LabCheckpoint } from './lab-goals.ts';

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'content/labs');
const labs: LabCheckpoint[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseLabCheckpoint(`content/labs/${f}`, JSON.parse(readFileSync(join(dir, f), 'utf8'))));
const catalogue = loadCatalogue(root);

/** Plays the reference solution the way the lab page does, and exports the session as the page does when the goal is met. */
function sessionAt(lab: LabCheckpoint, seed: number, upTo = lab.solution.length): { session: string; met: boolean } {
  const h = new LabHarness(lab.terminals ?? 3, { seed });
  for (const [k, v] of Object.entries(lab.sysctl ?? {})) h.world.sys.sysctl(k, v);
  let met = false;
  let session = '';
  for (const step of lab.solution.slice(0, upTo)) {
    h.type(step.terminal, step.keys);
    // Time passes in small steps, as the page's clock does, so the export happens when the goal is first met.
    for (let waited = 0; waited < (step.waitMs ?? 10) * 1000 && !met; waited += 1000) {
      h.wait(1000);
      if (goalMet(lab.goal, h.world.kernel.trace.events, h.world.now())) {
        met = true;
        session = h.world.sys.toScenario(['exported when the goal was met'], h.world.now());
      }
    }
  }
  return { session: session || h.world.sys.toScenario([], h.world.now()), met };
}

describe('lab evidence replays on the kernel', () => {
  for (const lab of labs) {
    test(`${lab.checkpoint}: the session exported when the goal was met replays and meets it again`, () => {
      for (const seed of [7, 1234, 99991]) {
        const { session, met } = sessionAt(lab, seed);
        expect(met).toBe(true);
        const v = gradeLabSession(catalogue, lab.checkpoint, seed, session);
        expect(v.status, `${v.reason}\n${session}`).toBe('pass');
      }
    });

    test(`${lab.checkpoint}: a session one step short of the solution does not pass`, () => {
      const { session } = sessionAt(lab, 7, lab.solution.length - 1);
      expect(gradeLabSession(catalogue, lab.checkpoint, 7, session).status).toBe('fail');
    });
  }

  test('a session for another lab, an unparsable one, and an empty one get no credit', () => {
    const other = labs.find((l) => l.checkpoint === 'self-connect-two-segment')!;
    const { session } = sessionAt(other, 7);
    expect(gradeLabSession(catalogue, 'simultaneous-open', 7, session).status).toBe('fail');
    expect(gradeLabSession(catalogue, 'simultaneous-open', 7, 'cli: s = sock€t\n').status).toBe('fail');
    expect(gradeLabSession(catalogue, 'simultaneous-open', 7, '').status).toBe('fail');
    expect(gradeLabSession(catalogue, '__proto__', 7, session).status).toBe('error');
  });
});
