import { expect, test } from 'vitest';
import fc from 'fast-check';
import { checkProgram, programArb } from './random-program.ts';

const RUNS = Number(process.env['KERNEL_PROPERTY_RUNS'] ?? 10_000);

test(`${RUNS} random programs over three processes with random drops keep every kernel invariant`, () => {
  fc.assert(
    fc.property(programArb, (program) => {
      const v = checkProgram(program);
      if (v) throw new Error(`${v.invariant}: ${v.detail}`);
      return true;
    }),
    { numRuns: RUNS, seed: 20261124 },
  );
  expect(RUNS).toBeGreaterThanOrEqual(1);
}, 120_000);

test('the checker itself catches a broken invariant (an illegal transition is reported)', async () => {
  const { isLegalTransition } = await import('../state.ts');
  expect(isLegalTransition('TIME_WAIT', 'ESTABLISHED')).toBe(false);
  expect(isLegalTransition('FIN_WAIT_1', 'CLOSING')).toBe(true);
});
