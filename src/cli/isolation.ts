/** How the command line isolates learner programs, and what it says when it cannot. */
import { gradingIsolation, type Isolation } from '../grading/host-launcher.ts';

export const UNSAFE_FLAG = '--unsafe-no-sandbox';

export type IsolationChoice = { ok: true; isolation: Isolation; warning?: string } | { ok: false; message: string };

/**
 * `regrade` runs other people's code: without a sandbox it refuses, unless the instructor passed
 * --unsafe-no-sandbox. `grade` runs the learner's own code on their own machine: without a sandbox it warns
 * and goes on (macOS, WebContainer), as the exercise contract promises it runs anywhere Node does.
 */
export function chooseIsolation(command: 'grade' | 'regrade', unsafe: boolean): IsolationChoice {
  if (unsafe) {
    return { ok: true, isolation: { kind: 'none' }, warning: `tcplab ${command}: WARNING: ${UNSAFE_FLAG}: learner programs run with your user's rights, files, network and environment, and can read, change or kill anything you can.` };
  }
  const g = gradingIsolation(command === 'regrade' ? "others' code" : 'own code');
  if (g.isolation.kind === 'jail') return { ok: true, isolation: g.isolation };
  if (command === 'regrade') return { ok: false, message: `tcplab regrade: refusing to run learner programs without a sandbox: ${g.reason}. (${UNSAFE_FLAG} runs them anyway, with your rights.)` };
  return { ok: true, isolation: g.isolation, warning: `tcplab grade: no sandbox (${g.reason}); running the program without one.` };
}
