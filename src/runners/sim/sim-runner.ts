/**
 * The `sim` backend: the learner's program runs in a Web Worker over the simulated kernel. Always
 * available (no network, no server); a watchdog terminates a worker whose program never yields.
 */
import type { GradeResult } from '../../grading/exercise-types.ts';
import type { LadderModel } from '../../lab/ladder-model.ts';
import type { Availability, Capabilities, Runner, RunOptions, RunResult, Session, TerminalPort } from '../types.ts';
import type { FromWorker, ToWorker } from './worker-core.ts';
import { startModuleWorker } from '../module-worker.ts';

/** The part of a Worker the runner uses (tests pass an in-process one). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  onmessage: ((e: { data: FromWorker }) => void) | null;
  terminate(): void;
}

export interface SimRunnerOptions {
  createWorker?: () => WorkerLike;
  /** Real milliseconds without any sign of life before the worker is terminated. */
  watchdogMs?: number;
  /** Receives the ladder diagram of the run as it goes. */
  onTrace?: (model: LadderModel) => void;
}

export const SIM_CAPABILITIES: Capabilities = {
  halfClose: true,
  reset: true,
  localPort: true,
  selfConnect: true,
  realKernelStates: false,
  shell: false,
  processKill: true,
  trace: true,
};

type Pending =
  | { kind: 'run'; resolve: (r: RunResult) => void; output: string; terminal?: TerminalPort | undefined; shell?: TerminalPort | undefined; detach: Array<() => void> }
  | { kind: 'grade'; resolve: (r: GradeResult) => void; exercise: string; output: string };

export class SimRunner implements Runner {
  readonly kind = 'sim' as const;
  readonly label = 'Simulated kernel (in this page)';
  private files: Record<string, string> = {};
  private worker: WorkerLike | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private lastSign = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private readonly opts: SimRunnerOptions;

  constructor(opts: SimRunnerOptions = {}) {
    this.opts = opts;
  }

  async availability(): Promise<Availability> {
    if (this.opts.createWorker || typeof Worker !== 'undefined') return { available: true };
    return { available: false, reason: 'this browser cannot run Web Workers' };
  }

  capabilities(): Capabilities {
    return SIM_CAPABILITIES;
  }

  async prepare(files: Record<string, string>): Promise<void> {
    this.files = { ...this.files, ...files };
  }

  async startShell(terminal: TerminalPort): Promise<Session> {
    terminal.write('The simulated runtime has no shell: use Run, or the kernel lab for nc, ss and tcpdump.\r\n');
    return { exited: Promise.resolve(null), kill: () => undefined };
  }

  run(file: string, opts: RunOptions = {}): Promise<RunResult> {
    const source = this.files[file];
    if (source === undefined) return Promise.resolve({ exitCode: 1, output: '', message: `no file ${file}` });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const detach: Array<() => void> = [];
      this.pending.set(id, { kind: 'run', resolve, output: '', terminal: opts.terminal, shell: opts.shell, detach });
      this.send({
        type: 'run',
        id,
        source,
        ...(opts.env ? { env: opts.env } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.peer ? { peer: opts.peer } : {}),
        ...(opts.shell ? { shell: { cols: opts.shell.cols } } : {}),
      });
      // The second terminal's keys and size go to the shell in the worker.
      const shell = opts.shell;
      if (shell) {
        detach.push(shell.onInput((data) => this.worker?.postMessage({ type: 'stdin', id, data })));
        if (shell.onResize) detach.push(shell.onResize(({ cols }) => this.worker?.postMessage({ type: 'resize', id, cols })));
      }
    });
  }

  grade(exerciseId: string, file: string): Promise<GradeResult> {
    const source = this.files[file] ?? '';
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { kind: 'grade', resolve, exercise: exerciseId, output: '' });
      this.send({ type: 'grade', id, exercise: exerciseId, source });
    });
  }

  async stop(): Promise<void> {
    if (this.pending.size === 0) return;
    this.worker?.postMessage({ type: 'stop' });
    // A program stuck in a loop cannot read the message: give it a moment, then end the worker.
    await new Promise((r) => setTimeout(r, 300));
    if (this.pending.size > 0) this.kill('stopped');
  }

  dispose(): void {
    this.kill('stopped');
  }

  private send(msg: ToWorker): void {
    if (!this.worker) this.spawn();
    this.lastSign = Date.now();
    this.worker!.postMessage(msg);
  }

  private spawn(): void {
    const w = this.opts.createWorker ? this.opts.createWorker() : (startModuleWorker(import('./worker-entry.ts').then((m) => m.WORKER_ENTRY.url)) as unknown as WorkerLike);
    w.onmessage = (e) => this.receive(e.data);
    this.worker = w;
    const limit = this.opts.watchdogMs ?? 3000;
    this.watchdog = setInterval(() => {
      if (this.pending.size > 0 && Date.now() - this.lastSign > limit) this.kill('loop', limit);
    }, 250);
  }

  /** Ends the worker and every pending run: used for a program that never yields, and for Stop. */
  private kill(why: 'loop' | 'stopped', limit = 0): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.worker?.terminate();
    this.worker = null;
    const message = why === 'loop' ? `stopped: the program kept the processor busy for ${limit / 1000} s without ever yielding (an endless loop?)` : 'stopped the program';
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.kind === 'run') {
        for (const d of p.detach) d();
        p.terminal?.write(`\r\n\x1b[33m[${message}]\x1b[0m\r\n`);
        p.resolve({ exitCode: null, output: p.output, stopped: why === 'loop' ? 'time' : 'stopped', message });
      } else {
        p.resolve({ exercise: p.exercise, status: 'error', checks: [], output: p.output, error: message, durationMs: 0 });
      }
    }
  }

  private receive(m: FromWorker): void {
    this.lastSign = Date.now();
    if (m.type === 'beat') return;
    const p = this.pending.get(m.id);
    if (m.type === 'ladder') {
      this.opts.onTrace?.(m.model);
      return;
    }
    if (!p) return;
    if (m.type === 'output') {
      p.output += m.data;
      if (p.kind === 'run') p.terminal?.write(m.data.replace(/\r?\n/g, '\r\n'));
    } else if (m.type === 'note' && p.kind === 'run') {
      p.terminal?.write(`\x1b[2m[${m.text}]\x1b[0m\r\n`);
    } else if (m.type === 'term' && p.kind === 'run') {
      p.shell?.write(m.data);
    } else if (m.type === 'exit' && p.kind === 'run') {
      this.pending.delete(m.id);
      for (const d of p.detach) d();
      if (m.message) p.terminal?.write(`\r\n\x1b[33m[${m.message}]\x1b[0m\r\n`);
      p.resolve({ exitCode: m.code, output: p.output, ...(m.stopped ? { stopped: m.stopped } : {}), ...(m.message ? { message: m.message } : {}) });
    } else if (m.type === 'graded' && p.kind === 'grade') {
      this.pending.delete(m.id);
      p.resolve(m.result);
    }
  }
}
