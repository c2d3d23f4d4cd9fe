/**
 * Grades a program on real Node and the real kernel (the CLI, the local runner): the grader plays the other
 * side with node:net on 127.0.0.1, in this process; the learner's program runs through a ProgramStarter —
 * in a jail of its own (sandbox/) wherever the machine can make one — and everything it started is killed
 * at the end. Verdicts are made here, where the program cannot reach.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READY_IMPORT, startJailed, startUnjailed, type JailedProcess } from '../sandbox/jailed-process.ts';
import { nodeProgramJail } from '../sandbox/node-jail.ts';
import type { Toolbox } from '../sandbox/support.ts';
import type { ExerciseGrader, GradeResult, NetLike, ProgramHandle } from './exercise-types.ts';
import { randomToken, runGrader } from './run-common.ts';

export const OUTPUT_LIMIT = 1 << 20;
/** How long a grading may take unless its grader says otherwise. */
export const DEFAULT_TIME_LIMIT_MS = 10_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the learner's program (its source, and the file it was written to), with an environment. */
export type ProgramStarter = (program: { source: string; file: string }, env: Record<string, string>, timeoutMs: number) => JailedProcess;

/** Learner programs in a jail sharing this process's network namespace (the grading host's own loopback). */
export function jailedStarter(tools: Toolbox, node = process.execPath): ProgramStarter {
  return ({ source }, env, timeoutMs) =>
    startJailed(nodeProgramJail(tools, { node, source, env, network: 'inherit', nodeOptions: READY_IMPORT }), { outputLimit: OUTPUT_LIMIT, timeoutMs, signalsReady: true });
}

/** Learner programs as plain child processes (no sandbox: the caller accepted that, or has no choice). */
export function unjailedStarter(node = process.execPath): ProgramStarter {
  return ({ file }, env, timeoutMs) => startUnjailed({ argv: [node, file], env, cwd: tmpdir() }, { outputLimit: OUTPUT_LIMIT, timeoutMs });
}

function handle(p: JailedProcess): ProgramHandle {
  return {
    stdout: p.stdout,
    stderr: p.stderr,
    exitCode: p.exitCode,
    exited: p.exited,
    ready: p.ready,
    kill: () => p.kill(),
  };
}

export interface RealGradeOptions {
  /** How to start the learner's program (default: unjailed, for the in-process callers that chose so). */
  starter?: ProgramStarter;
  /** Node binary for the grader's helper programs (default: this one). */
  nodePath?: string;
  /** Helper programs say when they start (READY_IMPORT); set where the machine may be slow to start them. */
  helpersSignalReady?: boolean;
  /** Wall-clock budget for the whole grading (default: the grader's own, else 10 s). */
  timeoutMs?: number;
}

/** Grades `source` (the learner's main.mjs) against `grader`. Never throws. */
export async function gradeSourceOnRealNode(grader: ExerciseGrader, source: string, opts: RealGradeOptions = {}): Promise<GradeResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'tcplab-grade-'));
  try {
    const file = join(tmp, 'main.mjs');
    writeFileSync(file, source);
    return await gradeFileOnRealNode(grader, { source, file }, tmp, opts);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function gradeFileOnRealNode(grader: ExerciseGrader, program0: { source: string; file: string }, tmp: string, opts: RealGradeOptions): Promise<GradeResult> {
  const started = Date.now();
  const budget = opts.timeoutMs ?? grader.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const port = await freePort();
  const env = { ...grader.env(port, randomToken()) };
  const nodePath = opts.nodePath ?? process.execPath;
  const starter = opts.starter ?? unjailedStarter(nodePath);
  const running: Array<{ kill(): void }> = [];
  let program: ProgramHandle | null = null;
  let helpers = 0;
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const ctx = {
    net: net as unknown as NetLike,
    env,
    startProgram: () => {
      if (!program) {
        const p = starter(program0, env, budget);
        running.push(p);
        program = handle(p);
      }
      return program;
    },
    sleep,
    waitFor: async (cond: () => boolean, ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (cond()) return true;
        await sleep(10);
      }
      return cond();
    },
    // The grader's own helper programs (a client it will kill): trusted code, run beside the grader.
    spawn: (source: string, helperEnv: Record<string, string>) => {
      const f = join(tmp, `helper-${helpers++}.mjs`);
      writeFileSync(f, source);
      const ready = opts.helpersSignalReady === true;
      const p = startUnjailed({ argv: [nodePath, ...(ready ? READY_IMPORT : []), f], env: helperEnv, cwd: tmp }, { outputLimit: OUTPUT_LIMIT, timeoutMs: budget, signalsReady: ready });
      running.push(p);
      return handle(p);
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<GradeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ exercise: grader.id, status: 'fail', checks: [{ name: `finishes within the exercise's time limit (${budget / 1000} s)`, pass: false, expected: `the grading over within ${budget / 1000} s`, happened: 'still running: stopped', hint: 'make sure the program does what the task says and then exits or keeps serving, without waiting on something that never comes' }], output: output(), durationMs: Date.now() - started }),
      budget,
    );
  });
  const output = () => {
    const p = program as ProgramHandle | null;
    return p ? p.stdout() + p.stderr() : '';
  };
  const result = await Promise.race([runGrader(grader, ctx, output, started, Date.now), timeout]);
  clearTimeout(timer);
  for (const p of running) p.kill();
  return result;
}
