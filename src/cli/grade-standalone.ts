/** Entry of the bundled grader (runtime/tcplab-grade.mjs) that the webcontainer runner runs inside the container. */
import { gradeCommand } from './grade.ts';

const code = await gradeCommand(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
);
process.exit(code);
