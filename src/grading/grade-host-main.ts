/** Entry of the grading host process (see grade-host.ts). */
import { gradeHostMain } from './grade-host.ts';

gradeHostMain(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`grading host: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(3);
  },
);
