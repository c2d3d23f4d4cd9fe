/**
 * The grading model of Node exercises (shared/EXERCISES.md). A grader plays the other side of the
 * learner's program through a node:net-like module — real node:net on the command line and the local
 * runner, the simulated one on the sim runner — and judges only what it can observe.
 */
import type { CAPABILITIES } from './exercise-spec.ts';

export interface NetLike {
  createServer(opts: object, listener?: (socket: SocketLike) => void): ServerLike;
  connect(opts: { port: number; host?: string; localPort?: number; allowHalfOpen?: boolean }, cb?: () => void): SocketLike;
}

export interface SocketLike {
  on(event: string, fn: (...args: never[]) => void): unknown;
  once(event: string, fn: (...args: never[]) => void): unknown;
  write(data: string | Uint8Array): boolean;
  end(data?: string | Uint8Array): unknown;
  destroy(err?: Error): unknown;
  readonly remotePort?: number;
}

export interface ServerLike {
  listen(port: number, host: string, cb?: () => void): unknown;
  on(event: string, fn: (...args: never[]) => void): unknown;
  close(cb?: () => void): unknown;
}

/** The learner's program (or a helper program) while it runs. */
export interface ProgramHandle {
  /** Everything it printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Exit status once it exited, else null. */
  exitCode(): number | null;
  /** Resolves with the exit status (null if killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves when the program's own code starts running (at once on the simulated kernel): time it from here. */
  ready: Promise<void>;
  /** SIGKILL. */
  kill(): void;
}

export interface Check {
  name: string;
  pass: boolean;
  expected?: string;
  happened?: string;
  hint?: string;
}

export interface GraderContext {
  net: NetLike;
  /** The environment the learner's program gets (ports, request …). */
  env: Record<string, string>;
  /** Starts the learner's program (once); the grader decides when, e.g. after its own server listens. */
  startProgram(): ProgramHandle;
  /** Waits (real milliseconds on real Node, virtual ones on the simulated kernel). */
  sleep(ms: number): Promise<void>;
  /** Resolves when `cond` holds (checked as time passes), or with false after `ms`. */
  waitFor(cond: () => boolean, ms: number): Promise<boolean>;
  /** Starts another program (e.g. a client the grader will kill). */
  spawn(source: string, env: Record<string, string>): ProgramHandle;
  check(c: Check): void;
}

/** The capabilities an exercise may need: the list lives with the exercise.json schema. */
export type Capability = (typeof CAPABILITIES)[number];

export interface ExerciseGrader {
  id: string;
  /** The learner writes the server (the grader connects) or the client (the grader listens). */
  role: 'server' | 'client';
  /** What the runner must support for this exercise to be graded faithfully. */
  needs: Capability[];
  /** The program's environment, from a port the harness picked and a random token. */
  env(port: number, token: string): Record<string, string>;
  run(ctx: GraderContext): Promise<void>;
  /** Wall-clock limit of one grading on real Node (default 10 s): a program never keeps a class waiting longer. */
  timeLimitMs?: number;
}

export interface GradeResult {
  exercise: string;
  status: 'pass' | 'fail' | 'error';
  checks: Check[];
  output: string;
  /** Why the run could not be judged (status error). */
  error?: string;
  durationMs: number;
}

/** Exercism test-runner results (version 2), the shape `tcplab grade --json` prints. */
export function toExercismJson(r: GradeResult): object {
  return {
    version: 2,
    status: r.status,
    ...(r.error ? { message: r.error } : {}),
    tests: r.checks.map((c) => ({
      name: c.name,
      status: c.pass ? 'pass' : 'fail',
      message: c.pass ? null : [c.expected && `Expected: ${c.expected}`, c.happened && `Happened: ${c.happened}`, c.hint && `Hint: ${c.hint}`].filter(Boolean).join('\n'),
      output: r.output.length > 500 ? `${r.output.slice(0, 500)}…` : r.output,
    })),
  };
}

/** A readable report and a points line, as `tcplab grade` prints it. */
export function formatReport(r: GradeResult): string {
  const lines = [`Exercise ${r.exercise}: ${r.status === 'pass' ? 'PASSED' : r.status === 'fail' ? 'FAILED' : 'ERROR'}`, ''];
  for (const c of r.checks) {
    lines.push(`  ${c.pass ? '✔' : '✘'} ${c.name}`);
    if (!c.pass) {
      if (c.expected) lines.push(`      expected: ${c.expected}`);
      if (c.happened) lines.push(`      happened: ${c.happened}`);
      if (c.hint) lines.push(`      hint:     ${c.hint}`);
    }
  }
  if (r.error) lines.push('', `  error: ${r.error}`);
  if (r.status !== 'pass' && r.output.trim() !== '') {
    const out = r.output.trimEnd().split('\n');
    lines.push('', `  your program printed${out.length > 15 ? ` (last 15 of ${out.length} lines)` : ''}:`, ...out.slice(-15).map((l) => `    | ${l}`));
  }
  const passed = r.checks.filter((c) => c.pass).length;
  lines.push('', `points: ${r.status === 'pass' ? 1 : 0}/1 (${passed} of ${r.checks.length} checks passed, ${(r.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n') + '\n';
}

/** Shows text the way a report needs it: newlines visible, long text cut. */
export function show(text: string): string {
  const t = JSON.stringify(text);
  return t.length > 120 ? `${t.slice(0, 117)}…"` : t;
}
