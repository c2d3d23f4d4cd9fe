/**
 * The simulated runtime as a message handler: what runs inside the sim runner's Web Worker (and, in
 * tests, in-process). One world per run: the kernel, the learner's program and, when grading, the
 * grader's peer; virtual time advances only when every program is idle, so runs are deterministic.
 */
import type { GradeResult } from '../../grading/exercise-types.ts';
import { GRADERS } from '../../grading/graders/index.ts';
import { gradeOnSim } from '../../grading/run-sim.ts';
import { ladderModel, type LadderModel } from '../../lab/ladder-model.ts';
import type { TraceEvent } from '../../kernel/trace.ts';
import { SimWorld } from '../../node-sim/world.ts';

export type ToWorker =
  | { type: 'run'; id: number; source: string; env?: Record<string, string>; timeoutMs?: number; paced?: boolean }
  | { type: 'grade'; id: number; exercise: string; source: string }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'output'; id: number; data: string }
  | { type: 'ladder'; id: number; model: LadderModel }
  | { type: 'exit'; id: number; code: number | null; stopped?: 'time' | 'output' | 'stopped'; message?: string }
  | { type: 'graded'; id: number; result: GradeResult }
  /** Sent while the world runs, so the page's watchdog knows the worker is not stuck in a loop. */
  | { type: 'beat' };

export interface WorkerCoreOptions {
  post(message: FromWorker): void;
  /** Real milliseconds (performance.now). */
  now(): number;
  /** Lets pending promise callbacks and incoming messages run (a macrotask that is not clamped). */
  yieldTask(): Promise<void>;
  sleep(ms: number): Promise<void>;
  outputLimit?: number;
}

export const DEFAULT_OUTPUT_LIMIT = 1 << 20;
export const DEFAULT_RUN_MS = 10_000;

function endpointsOf(events: readonly TraceEvent[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const e of events) if (e.kind === 'segment' && e.from !== null && !m.has(e.from)) m.set(e.from, e.src);
  return m;
}

export function createWorkerCore(opts: WorkerCoreOptions) {
  const limit = opts.outputLimit ?? DEFAULT_OUTPUT_LIMIT;
  let stopRequested = false;
  let lastBeat = 0;
  const beat = () => {
    const t = opts.now();
    if (t - lastBeat > 200) {
      lastBeat = t;
      opts.post({ type: 'beat' });
    }
  };
  const drain = async () => {
    beat();
    await opts.yieldTask();
  };
  const sendLadder = (id: number, world: SimWorld) => {
    const events = world.kernel.trace.events;
    const ends = endpointsOf(events);
    const model = ladderModel(events, (s) => ends.get(s) ?? null, (s) => world.kernel.label(s), 60);
    opts.post({ type: 'ladder', id, model });
  };

  async function run(msg: Extract<ToWorker, { type: 'run' }>): Promise<void> {
    stopRequested = false;
    const world = new SimWorld({ seed: 1, drainMicrotasks: drain });
    let printed = 0;
    let overflow = false;
    const out = (data: string) => {
      if (overflow) return;
      printed += data.length;
      if (printed > limit) {
        overflow = true;
        return;
      }
      opts.post({ type: 'output', id: msg.id, data });
    };
    const proc = world.start(msg.source, { name: 'node', env: msg.env ?? {}, stdout: out, stderr: out });
    const budgetUs = (msg.timeoutMs ?? DEFAULT_RUN_MS) * 1000;
    const realStart = opts.now();
    const virtualStart = world.kernel.now();
    let lastLadder = 0;
    const pace = async (nextUs: number) => {
      if (opts.now() - lastLadder > 250) {
        lastLadder = opts.now();
        sendLadder(msg.id, world);
      }
      const due = realStart + (nextUs - virtualStart) / 1000;
      while (!stopRequested && opts.now() < due) await opts.sleep(Math.min(100, due - opts.now()));
    };
    const outcome = await world.run({
      virtualUs: budgetUs,
      until: () => stopRequested || overflow || !proc.alive,
      ...(msg.paced === false ? {} : { pace }),
    });
    sendLadder(msg.id, world);
    if (!proc.alive) {
      opts.post({ type: 'exit', id: msg.id, code: proc.exitCode });
      return;
    }
    proc.exit(137);
    if (overflow) opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'output', message: `stopped: the program printed more than ${Math.round(limit / 1024)} KiB` });
    else if (stopRequested) opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'stopped', message: 'stopped' });
    else if (outcome === 'idle') opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'time', message: 'stopped: the program waits for something that can never happen (nothing else runs in this simulated machine)' });
    else opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'time', message: `stopped: still running after ${budgetUs / 1e6} s (the simulated runtime gives a program ${budgetUs / 1e6} s; use Test to grade a server)` });
  }

  async function grade(msg: Extract<ToWorker, { type: 'grade' }>): Promise<void> {
    stopRequested = false;
    const grader = GRADERS[msg.exercise];
    if (!grader) {
      opts.post({ type: 'graded', id: msg.id, result: { exercise: msg.exercise, status: 'error', checks: [], output: '', error: `no exercise "${msg.exercise}"`, durationMs: 0 } });
      return;
    }
    let world: SimWorld | null = null;
    const result = await gradeOnSim(grader, msg.source, {
      drainMicrotasks: drain,
      onWorld: (w) => (world = w),
      onOutput: (data) => opts.post({ type: 'output', id: msg.id, data }),
    });
    if (world) sendLadder(msg.id, world);
    opts.post({ type: 'graded', id: msg.id, result });
  }

  return {
    async handle(msg: ToWorker): Promise<void> {
      try {
        if (msg.type === 'stop') stopRequested = true;
        else if (msg.type === 'run') await run(msg);
        else if (msg.type === 'grade') await grade(msg);
      } catch (e) {
        const id = 'id' in msg ? msg.id : -1;
        const message = `the simulated runtime failed: ${e instanceof Error ? e.message : String(e)}`;
        if (msg.type === 'grade') opts.post({ type: 'graded', id, result: { exercise: msg.exercise, status: 'error', checks: [], output: '', error: message, durationMs: 0 } });
        else opts.post({ type: 'exit', id, code: null, stopped: 'stopped', message });
      }
    },
  };
}
