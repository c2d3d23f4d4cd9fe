/**
 * The simulated runtime as a message handler: what runs inside the sim runner's Web Worker (and, in
 * tests, in-process). One world per run: the kernel, the learner's program and, when grading, the
 * grader's peer; virtual time advances only when every program is idle, so runs are deterministic.
 */
import type { GradeResult } from '../../grading/exercise-types.ts';
import type { ExerciseGrader } from '../../grading/exercise-types.ts';
import { gradeOnSim } from '../../grading/run-sim.ts';
import { ladderModel, type LadderModel } from '../../lab/ladder-model.ts';
import type { TraceEvent } from '../../kernel/trace.ts';
import { SimWorld } from '../../node-sim/world.ts';
import type { RunningPeer } from '../../grading/practice-peers.ts';
import type { NetLike } from '../../grading/exercise-types.ts';
import type { RunShell } from './run-shell.ts';

export type ToWorker =
  | {
      type: 'run';
      id: number;
      source: string;
      env?: Record<string, string>;
      timeoutMs?: number;
      paced?: boolean;
      /** The exercise whose practice peer plays the other side (src/grading/practice-peers.ts). */
      peer?: string;
      /** A shell on the same machine while the program runs, on a terminal this wide. */
      shell?: { cols: number };
    }
  | { type: 'grade'; id: number; exercise: string; source: string }
  /** Keys typed in the run's shell terminal, and its new width. */
  | { type: 'stdin'; id: number; data: string }
  | { type: 'resize'; id: number; cols: number }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'output'; id: number; data: string }
  | { type: 'ladder'; id: number; model: LadderModel }
  | { type: 'exit'; id: number; code: number | null; stopped?: 'time' | 'output' | 'stopped'; message?: string }
  | { type: 'graded'; id: number; result: GradeResult }
  /** A line about the run (the practice peer, the address the program listens on), not the program's output. */
  | { type: 'note'; id: number; text: string }
  /** What the run's shell writes to its terminal. */
  | { type: 'term'; id: number; data: string }
  /** Sent while the world runs, so the page's watchdog knows the worker is not stuck in a loop. */
  | { type: 'beat' };

/**
 * Each grader is its own file (graders/<id>.ts), loaded when its exercise is tested or run, so the worker
 * does not download the graders of the other exercises; an id without a file of its name falls back to
 * the index of every grader.
 */
const GRADER_FILES = import.meta.glob<Record<string, unknown>>(['../../grading/graders/*.ts', '!../../grading/graders/index.ts', '!../../grading/graders/helpers.ts']);

async function graderFor(id: string): Promise<ExerciseGrader | undefined> {
  const file = GRADER_FILES[`../../grading/graders/${id}.ts`];
  if (file) {
    const found = Object.values(await file()).find((v): v is ExerciseGrader => typeof v === 'object' && v !== null && (v as ExerciseGrader).id === id);
    if (found) return found;
  }
  return (await import('../../grading/graders/index.ts')).GRADERS[id];
}

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

  /** The shell of the run in progress, by run id: keys in, width. */
  const shells = new Map<number, { input(data: string): void; resize(cols: number): void }>();
  /** Something from outside (keys in the run's shell) changed the world: stop waiting for real time. */
  let poked = false;

  async function run(msg: Extract<ToWorker, { type: 'run' }>): Promise<void> {
    stopRequested = false;
    const world = new SimWorld({ seed: 1, drainMicrotasks: drain });
    const env = msg.env ?? {};
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
    const note = (text: string) => opts.post({ type: 'note', id: msg.id, text });
    const budgetUs = (msg.timeoutMs ?? DEFAULT_RUN_MS) * 1000;
    const realStart = opts.now();
    const virtualStart = world.kernel.now();

    // The other side, first: a client exercise's program finds its server already listening.
    let peer: RunningPeer | null = null;
    const grader = msg.peer ? await graderFor(msg.peer) : undefined;
    const practice = msg.peer ? (await import('../../grading/practice-peers.ts')).practicePeer(msg.peer, grader?.role ?? (env['PEER_PORT'] ? 'client' : 'server')) : null;
    if (practice) {
      const host = world.createProcess({ name: 'peer', stdout: () => undefined, stderr: () => undefined });
      const timers = host.modules['timers'] as { setTimeout(fn: () => void, ms: number): unknown };
      let ready = false;
      void practice
        .start({ net: (host.modules['net'] as { default: NetLike }).default, env, sleep: (ms) => new Promise<void>((r) => timers.setTimeout(r, ms)), say: note })
        .then((h) => {
          peer = h;
          ready = true;
        });
      await world.run({ until: () => ready || stopRequested, virtualUs: 5_000_000 });
    }

    const proc = world.start(msg.source, { name: 'node', env, stdout: out, stderr: out });

    // A shell on the same machine (a server exercise's second terminal), with the program's variables.
    let lab: RunShell | null = null;
    if (msg.shell) {
      const { startRunShell } = await import('./run-shell.ts');
      const shell = startRunShell(world, proc, env, msg.shell.cols, (data) => opts.post({ type: 'term', id: msg.id, data }));
      lab = shell;
      shells.set(msg.id, {
        input(data) {
          // Virtual time catches up with real time first, so what is typed happens now, not in the past.
          const target = virtualStart + (opts.now() - realStart) * 1000;
          const next = world.nextAt();
          if (target > world.kernel.now() && (next === null || next > target)) world.kernel.advanceTo(Math.floor(target));
          shell.input(data);
          poked = true;
        },
        resize: (c) => shell.resize(c),
      });
    }

    let lastLadder = 0;
    let listening = false;
    const pace = async (nextUs: number): Promise<boolean> => {
      if (opts.now() - lastLadder > 250) {
        lastLadder = opts.now();
        sendLadder(msg.id, world);
      }
      const due = realStart + (nextUs - virtualStart) / 1000;
      poked = false;
      while (!stopRequested && !poked && opts.now() < due) await opts.sleep(Math.min(lab ? 50 : 100, due - opts.now()));
      return !poked;
    };
    const outcome = await world.run({
      virtualUs: budgetUs,
      until: () => {
        if (!listening && proc.alive) {
          // Say where a server listens as soon as it does (what Node's server.listen callback would see).
          const l = world.kernel.sockets().find((s) => s.state === 'LISTEN' && s.owner?.pid === proc.pid);
          if (l) {
            listening = true;
            note(`listening on ${l.local}${lab ? ': connect to it from the second terminal (nc 127.0.0.1 $PORT)' : ''}`);
          }
        }
        return stopRequested || overflow || !proc.alive;
      },
      ...(msg.paced === false ? {} : { pace }),
      ...(lab ? { onStep: () => lab!.notify() } : {}),
      ...(lab
        ? {
            whenIdle: async () => {
              // Nothing scheduled: wait for keys in the shell (or Stop) before looking again.
              poked = false;
              while (!stopRequested && !poked && opts.now() - realStart < budgetUs / 1000) await opts.sleep(50);
              return poked && !stopRequested;
            },
          }
        : {}),
    });
    shells.delete(msg.id);
    (peer as RunningPeer | null)?.stop();
    sendLadder(msg.id, world);
    if (!proc.alive) {
      opts.post({ type: 'exit', id: msg.id, code: proc.exitCode });
      return;
    }
    proc.exit(137);
    if (overflow) opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'output', message: `stopped: the program printed more than ${Math.round(limit / 1024)} KiB` });
    else if (stopRequested) opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'stopped', message: 'stopped the program' });
    else if (outcome === 'idle') opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'time', message: 'stopped: the program waits for something that can never happen (nothing else runs in this simulated machine)' });
    else opts.post({ type: 'exit', id: msg.id, code: null, stopped: 'time', message: `stopped: still running after ${budgetUs / 1e6} s (the simulated runtime gives a program ${budgetUs / 1e6} s; use Test to grade a server)` });
  }

  async function grade(msg: Extract<ToWorker, { type: 'grade' }>): Promise<void> {
    stopRequested = false;
    const grader = await graderFor(msg.exercise);
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
        else if (msg.type === 'stdin') shells.get(msg.id)?.input(msg.data);
        else if (msg.type === 'resize') shells.get(msg.id)?.resize(msg.cols);
        else if (msg.type === 'run') await run(msg);
        else if (msg.type === 'grade') await grade(msg);
      } catch (e) {
        if (msg.type === 'stdin' || msg.type === 'resize') return;
        const id = 'id' in msg ? msg.id : -1;
        const message = `the simulated runtime failed: ${e instanceof Error ? e.message : String(e)}`;
        if (msg.type === 'grade') opts.post({ type: 'graded', id, result: { exercise: msg.exercise, status: 'error', checks: [], output: '', error: message, durationMs: 0 } });
        else opts.post({ type: 'exit', id, code: null, stopped: 'stopped', message });
      }
    },
  };
}
