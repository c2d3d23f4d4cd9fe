import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatReport, toExercismJson } from '../grading/exercise-types.ts';
import { GRADERS } from '../grading/graders/index.ts';
import { gradeOnRealNode } from '../grading/run-real.ts';
import type { Command } from './main.ts';

export const GRADE_USAGE = 'usage: tcplab grade EXERCISE FILE [--json]';

/**
 * `tcplab grade EXERCISE FILE [--json]`: runs the exercise's grader on real Node and this machine's
 * kernel. Exit 0 on a pass, 1 on a fail, 2 for bad arguments, 3 when the run could not be judged.
 */
export const gradeCommand: Command = async (args, out, err) => {
  const json = args.includes('--json');
  // --result-json: the raw result on one line (the webcontainer runner reads it); not for people.
  const raw = args.includes('--result-json');
  const unknownFlag = args.find((a) => a.startsWith('-') && a !== '--json' && a !== '--result-json');
  const positional = args.filter((a) => !a.startsWith('-'));
  if (unknownFlag || positional.length !== 2) {
    err(unknownFlag ? `tcplab grade: unknown option ${unknownFlag}\n${GRADE_USAGE}` : GRADE_USAGE);
    return 2;
  }
  const [id, file] = positional as [string, string];
  const grader = GRADERS[id];
  if (!grader) {
    err(`tcplab grade: no exercise "${id}". Exercises: ${Object.keys(GRADERS).join(', ')}`);
    return 2;
  }
  const path = resolve(file);
  if (!existsSync(path)) {
    err(`tcplab grade: cannot read ${file}: No such file or directory`);
    return 2;
  }
  const result = await gradeOnRealNode(grader, path);
  out(raw ? `${JSON.stringify(result)}\n` : json ? `${JSON.stringify(toExercismJson(result), null, 2)}\n` : formatReport(result));
  return result.status === 'pass' ? 0 : result.status === 'fail' ? 1 : 3;
};
