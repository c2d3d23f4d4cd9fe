/**
 * `tcplab grade EXERCISE FILE [--json] [--unsafe-no-sandbox]`: runs the exercise's grader on real Node and
 * this machine's kernel, the program in a sandbox wherever the machine can make one. Exit 0 on a pass, 1 on
 * a fail, 2 for bad arguments, 3 when the run could not be judged.
 */
import { formatReport, toExercismJson, type GradeResult } from '../grading/exercise-types.ts';
import { GRADERS } from '../grading/graders/index.ts';
import { MAX_PROGRAM_BYTES } from '../grading/hand-in-job.ts';
import { gradeHandInIsolated } from '../grading/host-launcher.ts';
import { chooseIsolation, UNSAFE_FLAG } from './isolation.ts';
import type { Command } from './main.ts';
import { readHandedInFile } from './safe-read.ts';

export const GRADE_USAGE = `usage: tcplab grade EXERCISE FILE [--json] [${UNSAFE_FLAG}]`;

export const gradeCommand: Command = async (args, out, err) => {
  const json = args.includes('--json');
  // --result-json: the raw result on one line (the webcontainer runner reads it); not for people.
  const raw = args.includes('--result-json');
  const unsafe = args.includes(UNSAFE_FLAG);
  const known = new Set(['--json', '--result-json', UNSAFE_FLAG]);
  const unknownFlag = args.find((a) => a.startsWith('-') && !known.has(a));
  const positional = args.filter((a) => !a.startsWith('-'));
  if (unknownFlag || positional.length !== 2) {
    err(unknownFlag ? `tcplab grade: unknown option ${unknownFlag}\n${GRADE_USAGE}` : GRADE_USAGE);
    return 2;
  }
  const [id, file] = positional as [string, string];
  if (!Object.hasOwn(GRADERS, id)) {
    err(`tcplab grade: no exercise "${id}". Exercises: ${Object.keys(GRADERS).join(', ')}`);
    return 2;
  }
  const read = readHandedInFile(file, MAX_PROGRAM_BYTES);
  if (!read.ok) {
    err(`tcplab grade: cannot read ${file}: ${read.reason}`);
    return 2;
  }
  const iso = chooseIsolation('grade', unsafe);
  if (!iso.ok) {
    err(iso.message);
    return 3;
  }
  if (iso.warning && !raw) err(iso.warning);
  const [v] = await gradeHandInIsolated({ exercises: [{ id, source: read.text }], labs: [], quizzes: [] }, { isolation: iso.isolation, concurrency: 1 });
  const result: GradeResult = v
    ? { exercise: id, status: v.status, checks: v.checks ?? [], output: v.output ?? '', durationMs: v.durationMs, ...(v.status === 'error' ? { error: v.reason } : {}) }
    : { exercise: id, status: 'error', checks: [], output: '', error: 'no verdict', durationMs: 0 };
  out(raw ? `${JSON.stringify(result)}\n` : json ? `${JSON.stringify(toExercismJson(result), null, 2)}\n` : formatReport(result));
  return result.status === 'pass' ? 0 : result.status === 'fail' ? 1 : 3;
};
