/**
 * Grades a program on real Node and the real kernel of this machine (the CLI and the local runner):
 * the learner's program runs as a child process in its own process group, the grader plays the other
 * side with node:net on 127.0.0.1, and every process is killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExerciseGrader, GradeResult, NetLike, ProgramHandle } from './exercise-types.ts';
import { randomToken, runGrader } from './run-common.ts';

const OUTPUT_LIMIT = 1 << 20;

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

function start(file: string, env: Record<string, string>, children: ChildProcess[], nodePath: string): ProgramHandle {
  const child = spawn(nodePath, [file], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let out = '';
  let err = '';
  let code: number | null = null;
  let exitedFlag = false;
  child.stdout!.on('data', (d: Buffer) => {
    if (out.length < OUTPUT_LIMIT) out += d.toString('utf8');
  });
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < OUTPUT_LIMIT) err += d.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (c) => {
      code = c;
      exitedFlag = true;
      resolve(c);
    }),
  );
  return {
    stdout: () => out,
    stderr: () => err,
    exitCode: () => (exitedFlag ? (code ?? 137) : null),
    exited,
    kill: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

export interface RealGradeOptions {
  /** Node binary for the learner's program (default: this one). */
  nodePath?: string;
  /** Wall-clock budget for the whole grading. */
  timeoutMs?: number;
}

export async function gradeOnRealNode(grader: ExerciseGrader, programFile: string, opts: RealGradeOptions = {}): Promise<GradeResult> {
  const started = Date.now();
  const port = await freePort();
  const env = { ...grader.env(port, randomToken()) };
  const children: ChildProcess[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'tcplab-grade-'));
  const nodePath = opts.nodePath ?? process.execPath;
  let program: ProgramHandle | null = null;
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const ctx = {
    net: net as unknown as NetLike,
    env,
    startProgram: () => (program ??= start(programFile, env, children, nodePath)),
    sleep,
    waitFor: async (cond: () => boolean, ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (cond()) return true;
        await sleep(10);
      }
      return cond();
    },
    spawn: (source: string, helperEnv: Record<string, string>) => {
      const f = join(tmp, `helper-${children.length}.mjs`);
      writeFileSync(f, source);
      return start(f, helperEnv, children, nodePath);
    },
  };
  const budget = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<GradeResult>((resolve) => {
    timer = setTimeout(() => resolve({ exercise: grader.id, status: 'error', checks: [], output: '', error: `grading took longer than ${budget / 1000} s`, durationMs: Date.now() - started }), budget);
  });
  const output = () => {
    const p = program as ProgramHandle | null;
    return p ? p.stdout() + p.stderr() : '';
  };
  const result = await Promise.race([runGrader(grader, ctx, output, started, Date.now), timeout]);
  clearTimeout(timer);
  for (const c of children) {
    try {
      if (c.pid && c.exitCode === null) process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  return result;
}
