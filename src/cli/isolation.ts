/** How the command line isolates learner programs, and what it says when it cannot. */
import { hostCommand, type Isolation } from '../grading/host-launcher.ts';
import { sandboxSupport } from '../sandbox/support.ts';

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
  const reach = hostCommand().reach;
  const s = sandboxSupport(reach);
  // As root, jails must run as an unprivileged user (a root-made jail cannot hold the learner's jails).
  const rootStuck = s.ok && process.getuid?.() === 0 && !s.tools.dropTo;
  if (s.ok && !rootStuck) return { ok: true, isolation: { kind: 'jail', tools: s.tools } };
  if (rootStuck) {
    const why = `running as root, and the unprivileged user the sandbox runs as cannot read ${reach.join(', ')} (a private home directory?): run tcplab as a normal user, or put the course where other users can read it`;
    if (command === 'regrade') return { ok: false, message: `tcplab regrade: refusing to run learner programs without a sandbox: ${why}. (${UNSAFE_FLAG} runs them anyway, with your rights.)` };
    return { ok: true, isolation: { kind: 'none' }, warning: `tcplab grade: no sandbox (${why}); running the program without one.` };
  }
  const reason = s.ok ? '' : s.reason;
  if (command === 'regrade') return { ok: false, message: `tcplab regrade: refusing to run learner programs without a sandbox: ${reason}. (${UNSAFE_FLAG} runs them anyway, with your rights.)` };
  return { ok: true, isolation: { kind: 'none' }, warning: `tcplab grade: no sandbox (${reason}); running the program without one.` };
}
