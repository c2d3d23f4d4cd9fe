/**
 * Starts the grading host for one hand-in: in a jail of its own (a private loopback, the project read-only,
 * a private /tmp, nothing else of the machine), or — only when the caller accepted the risk — as a plain
 * child process. Whatever happens inside, the caller gets verdicts: a host that crashes, hangs or answers
 * nonsense turns into an error verdict per checkpoint, and the rest of the class goes on.
 */
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { DEFAULT_JAIL_LIMITS, type Bind, type JailSpec } from '../sandbox/jail.ts';
import { startJailed, type JailedProcess } from '../sandbox/jailed-process.ts';
import { gradeHandIn } from './grade-hand-in.ts';
import { sandboxSupport, type Toolbox } from '../sandbox/support.ts';
import { GRADERS } from './graders/index.ts';
import { hostAnswerSchema, type HandInJob, type Verdict } from './hand-in-job.ts';
import { DEFAULT_TIME_LIMIT_MS, unjailedStarter } from './run-real.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How to start the grading host: from the sources (src/grading/grade-host-main.ts, with the project bound
 * read-only), or — in the one-file bundle (scripts/bundle-grader.ts: WebContainer, GitHub Classroom) — the
 * bundle itself with `__grade-host`, copied into the jail (so a bundle in a private directory still works).
 * `reach`: what an unprivileged jail must be able to read of this machine.
 */
export function hostCommand(): { args: string[]; bind: Bind; reach: string[] } {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) {
    const root = PROJECT_ROOT.replace(/\/$/, '');
    return { args: [fileURLToPath(new URL('./grade-host-main.ts', import.meta.url))], bind: { from: root, to: root }, reach: [root] };
  }
  return {
    args: [self, GRADE_HOST_ARG],
    get bind() {
      return { data: readFileSync(self, 'utf8'), to: self };
    },
    reach: [],
  };
}

/** The argument that turns the bundle into a grading host. */
export const GRADE_HOST_ARG = '__grade-host';

export type Isolation = { kind: 'jail'; tools: Toolbox } | { kind: 'none' };

/**
 * The isolation this machine gives a grading: a jail for the grading host and every program, or none (with
 * the reason). As root, jails must run as an unprivileged user (a jail made by root cannot hold the
 * programs' own jails; a course in a private home is shown to it through root's own mount namespace).
 */
export function gradingIsolation(_whose: 'own code' | "others' code"): { isolation: Isolation; reason?: string } {
  const reach = hostCommand().reach;
  const s = sandboxSupport(reach);
  if (!s.ok) return { isolation: { kind: 'none' }, reason: s.reason };
  if (process.getuid?.() === 0 && !s.tools.dropTo) {
    return {
      isolation: { kind: 'none' },
      reason: `running as root, and the unprivileged user the sandbox runs as cannot read ${reach.join(', ')} (a private home directory?): run as a normal user, or put the course where other users can read it`,
    };
  }
  return { isolation: { kind: 'jail', tools: s.tools } };
}

export interface LaunchOptions {
  isolation: Isolation;
  /** Exercises of the hand-in graded at once. */
  concurrency?: number;
  node?: string;
  /** Called with every running host (a caller that must be able to stop it: the local runner). */
  onStart?: (p: JailedProcess) => void;
}

/** How long a hand-in may take: its exercises' time limits in waves of `concurrency`, plus start-up. */
export function handInBudgetMs(job: HandInJob, concurrency: number): number {
  const limits = job.exercises.map((e) => (Object.hasOwn(GRADERS, e.id) ? GRADERS[e.id]!.timeLimitMs : undefined) ?? DEFAULT_TIME_LIMIT_MS).sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < limits.length; i += Math.max(1, concurrency)) total += limits[i]!;
  return total + 5_000 + job.labs.length * 2_000;
}

/** No signal opens an inspector in the host (Node >= 22.14; older ones ignore SIGUSR1 through a JS listener). */
const NO_INSPECTOR = process.allowedNodeEnvironmentFlags.has('--disable-sigusr1') ? ['--disable-sigusr1'] : [];

function hostSpec(tools: Toolbox, node: string, concurrency: number): JailSpec {
  const host = hostCommand();
  const readOnly: Bind[] = [host.bind];
  // The Node runtime, where the project does not already hold it.
  const within = 'from' in host.bind && !relative(host.bind.from, node).startsWith('..');
  if (!within) readOnly.push({ from: dirname(dirname(node)), to: dirname(dirname(node)) });
  return {
    bwrap: tools.bwrap,
    ...(tools.dropTo ? { dropTo: tools.dropTo } : {}),
    network: 'private',
    system: tools.system,
    readOnly,
    tmpfs: ['/tmp'],
    env: { PATH: '/usr/bin:/bin', HOME: '/tmp', TMPDIR: '/tmp' },
    cwd: '/tmp',
    argv: [node, ...NO_INSPECTOR, '--max-old-space-size=512', ...host.args, `--concurrency=${concurrency}`],
    // Room for the host and every learner jail inside it (each limited again on its own).
    limits: { ...DEFAULT_JAIL_LIMITS, cpuSeconds: 300, processes: 1024, fileBytes: 16 << 20, openFiles: 4096, tmpBytes: 64 << 20 },
    prlimit: tools.prlimit,
    allowNestedJails: true,
    hostname: 'grader',
  };
}

function errorVerdicts(job: HandInJob, reason: string): Verdict[] {
  return [
    ...job.quizzes.map((q) => ({ checkpoint: q.checkpoint, kind: 'quiz' as const, status: 'error' as const, reason, durationMs: 0 })),
    ...job.labs.map((l) => ({ checkpoint: l.checkpoint, kind: 'lab' as const, status: 'error' as const, reason, durationMs: 0 })),
    ...job.exercises.map((e) => ({ checkpoint: e.id, kind: 'exercise' as const, status: 'error' as const, reason, durationMs: 0 })),
  ];
}

/**
 * Grades one hand-in: in a grading host in a jail of its own, or (isolation none) in this very process with
 * learner programs as plain child processes. Never throws.
 */
export async function gradeHandInIsolated(job: HandInJob, o: LaunchOptions): Promise<Verdict[]> {
  const concurrency = o.concurrency ?? 6;
  if (o.isolation.kind === 'none') {
    return gradeHandIn(job, { catalogue: async () => (await import('./course-catalogue.ts')).loadCatalogue(PROJECT_ROOT), starter: unjailedStarter(o.node), concurrency });
  }
  const node = o.node ?? process.execPath;
  const timeoutMs = handInBudgetMs(job, concurrency);
  let host: JailedProcess;
  try {
    host = startJailed(hostSpec(o.isolation.tools, node, concurrency), { outputLimit: 8 << 20, timeoutMs, input: JSON.stringify(job) });
  } catch (e) {
    return errorVerdicts(job, `the grading host could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  o.onStart?.(host);
  const code = await host.exited;
  if (host.stopped() === 'time') return errorVerdicts(job, `grading took longer than ${Math.round(timeoutMs / 1000)} s`);
  const line = host.stdout().trim().split('\n').at(-1) ?? '';
  try {
    return hostAnswerSchema.parse(JSON.parse(line)).verdicts;
  } catch {
    const why = host.stderr().trim().split('\n').at(-1) ?? '';
    return errorVerdicts(job, `the grading host failed (exit ${code})${why ? `: ${why.slice(0, 200)}` : ''}`);
  }
}
