import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabHarness } from '../lab/harness.ts';
import { goalMet, parseLabCheckpoint, type LabCheckpoint } from './lab-goals.ts';

const dir = join(import.meta.dirname, '../../content/labs');
const labs: LabCheckpoint[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseLabCheckpoint(`content/labs/${f}`, JSON.parse(readFileSync(join(dir, f), 'utf8'))));

function replay(lab: LabCheckpoint, upTo = lab.solution.length): LabHarness {
  const h = new LabHarness(lab.terminals ?? 3, { seed: 7 });
  for (const [k, v] of Object.entries(lab.sysctl ?? {})) h.world.kernel.sysctl.set(k, v);
  for (const step of lab.solution.slice(0, upTo)) {
    h.type(step.terminal, step.keys);
    h.wait((step.waitMs ?? 10) * 1000);
  }
  return h;
}

describe('lab checkpoints (content/labs)', () => {
  test('there is one per lab checkpoint of the curriculum', () => {
    expect(labs.map((l) => l.checkpoint)).toEqual(
      expect.arrayContaining(['lifecycle-open-close', 'three-segment-close', 'self-connect-two-segment', 'simultaneous-open', 'orphan-expires', 'lost-last-ack']),
    );
  });

  for (const lab of labs) {
    test(`${lab.checkpoint}: the reference solution meets the goal, and the start does not`, () => {
      const h = replay(lab);
      const events = h.world.kernel.trace.events;
      expect(goalMet(lab.goal, events, h.world.now()), `screens:\n${h.screen(1)}\n---\n${h.screen(2)}`).toBe(true);
      expect(goalMet(lab.goal, [])).toBe(false);
      // Stopping one step short must not already meet the goal (the last step is what earns it).
      const partial = replay(lab, lab.solution.length - 1);
      expect(goalMet(lab.goal, partial.world.kernel.trace.events, partial.world.now())).toBe(false);
    });
  }
});

describe('goal predicates', () => {
  test('a four-segment close is not a three-segment close', () => {
    const h = new LabHarness(2, { seed: 3 });
    h.enter(1, 'sock');
    for (const l of ['l = socket', 'bind l 127.0.0.1:8080', 'listen l', 'a = accept l']) h.enter(1, l);
    h.enter(2, 'nc 127.0.0.1 8080');
    h.wait(50_000);
    h.type(2, '\x03');
    h.wait(100_000);
    h.enter(1, 'close a');
    h.wait(100_000);
    const events = h.world.kernel.trace.events;
    expect(goalMet({ kind: 'close-in-segments', segments: 4 }, events)).toBe(true);
    expect(goalMet({ kind: 'close-in-segments', segments: 3 }, events)).toBe(false);
  });
});
