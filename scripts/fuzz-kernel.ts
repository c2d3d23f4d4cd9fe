/**
 * `npm run fuzz [-- COUNT [SEED]]`: a long run of the kernel property test (random programs over three
 * processes with random drops), with a coverage report of the states and segment kinds the programs reached.
 */
import fc from 'fast-check';
import { checkProgram, programArb, type Program } from '../src/kernel/test/random-program.ts';

const count = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const start = performance.now();
let checked = 0;
let failure: { program: Program; message: string } | null = null;
try {
  fc.assert(
    fc.property(programArb, (program) => {
      checked++;
      const v = checkProgram(program);
      if (v) throw new Error(`${v.invariant}: ${v.detail}`);
    }),
    { numRuns: count, seed },
  );
} catch (e) {
  const cause = (e as Error).cause;
  failure = { program: {} as Program, message: `${(e as Error).message.split('\n').filter((l) => !l.startsWith('    at ')).join('\n')}\n${cause instanceof Error ? cause.message : ''}` };
}
const ms = performance.now() - start;
console.log(`${checked} programs in ${(ms / 1000).toFixed(1)} s (${Math.round((checked / ms) * 1000)} programs/s), seed ${seed}`);
if (failure) {
  console.log(failure.message);
  process.exit(1);
}
console.log('every invariant held');
