/**
 * Entry of the one-file bundle of `tcplab grade` (scripts/bundle-grader.ts): the webcontainer runner runs it
 * inside the container, and GitHub Classroom assignments carry it (`tcplab classroom init`). With
 * `__grade-host` it is the grading host that `grade` starts in a jail of its own.
 */
import { GRADE_HOST_ARG } from '../grading/host-launcher.ts';

process.on('SIGUSR1', () => {});
const args = process.argv.slice(2);
let code: number;
if (args[0] === GRADE_HOST_ARG) {
  code = await (await import('../grading/grade-host.ts')).gradeHostMain(args.slice(1));
} else {
  const { gradeCommand } = await import('./grade.ts');
  const sub = args[0] === 'grade' ? args.slice(1) : args;
  code = await gradeCommand(
    sub,
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  );
}
// Everything written reaches the pipe before the process ends (a grader's timers may still be pending).
await new Promise<void>((r) => process.stdout.write('', () => r()));
process.exit(code);
