/**
 * Grades a program on the simulated kernel: the learner's program, the grader's peer and any helper
 * programs all run in one SimWorld, in virtual time (deterministic, and as fast as the CPU allows).
 * Used by the sim runner (in a Web Worker in the browser) and by tests in Node.
 */
import { SimWorld } from '../node-sim/world.ts';
import type { SimProcess } from '../node-sim/node-process.ts';
import type { ExerciseGrader, GradeResult, NetLike, ProgramHandle } from './exercise-types.ts';
import { randomToken, runGrader } from './run-common.ts';

export interface SimGradeOptions {
  seed?: number;
  drainMicrotasks?: () => Promise<void>;
  /** Virtual time budget. */
  virtualUs?: number;
  /** Receives the world once created (the page shows its trace on the ladder). */
  onWorld?: (world: SimWorld) => void;
  onOutput?: (text: string) => void;
}

export async function gradeOnSim(grader: ExerciseGrader, source: string, opts: SimGradeOptions = {}): Promise<GradeResult> {
  const world = new SimWorld({ seed: opts.seed ?? 1, ...(opts.drainMicrotasks ? { drainMicrotasks: opts.drainMicrotasks } : {}) });
  opts.onWorld?.(world);
  const started = world.kernel.now();
  const host = world.createProcess({ name: 'grader', stdout: () => undefined, stderr: () => undefined });
  const timers = host.modules['timers'] as { setTimeout(fn: () => void, ms: number): unknown };
  const env = grader.env(8080, randomToken());
  const handle = (proc: SimProcess, out: { stdout: string; stderr: string }): ProgramHandle => ({
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exitCode: () => proc.exitCode,
    exited: new Promise((resolve) => {
      if (!proc.alive) resolve(proc.exitCode);
      world.onExitListener((p) => p === proc && resolve(p.exitCode));
    }),
    // On the simulated kernel virtual time stands still while a program starts.
    ready: Promise.resolve(),
    kill: () => proc.exit(137),
  });
  const launch = (src: string, name: string, e: Record<string, string>) => {
    const out = { stdout: '', stderr: '' };
    const proc = world.start(src, {
      name,
      env: e,
      stdout: (t) => {
        out.stdout += t;
        if (name === 'node') opts.onOutput?.(t);
      },
      stderr: (t) => {
        out.stderr += t;
        if (name === 'node') opts.onOutput?.(t);
      },
    });
    return handle(proc, out);
  };
  let program: ProgramHandle | null = null;
  const sleep = (ms: number) => new Promise<void>((r) => timers.setTimeout(r, ms));
  let finished = false;
  const ctx = {
    net: (host.modules['net'] as { default: NetLike }).default,
    env,
    startProgram: () => (program ??= launch(source, 'node', env)),
    sleep,
    waitFor: async (cond: () => boolean, ms: number) => {
      for (let t = 0; t < ms; t += 10) {
        if (cond()) return true;
        await sleep(10);
      }
      return cond();
    },
    spawn: (src: string, e: Record<string, string>) => launch(src, 'client', e),
  };
  const output = () => {
    const p = program as ProgramHandle | null;
    return p ? p.stdout() + p.stderr() : '';
  };
  const graded = runGrader(grader, ctx, output, started, () => world.kernel.now()).then((r) => {
    finished = true;
    return r;
  });
  const outcome = await world.run({ until: () => finished, virtualUs: opts.virtualUs ?? 60_000_000 });
  if (!finished) {
    return { exercise: grader.id, status: 'error', checks: [], output: output(), error: `the grading did not finish (${outcome} after ${((world.kernel.now() - started) / 1e6).toFixed(1)} virtual seconds)`, durationMs: world.kernel.now() - started };
  }
  const r = await graded;
  for (const p of world.procs) if (p.alive) p.exit(137);
  return { ...r, durationMs: Math.round((world.kernel.now() - started) / 1000) };
}
