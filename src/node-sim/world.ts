import { Kernel, type KernelOptions } from '../kernel/kernel.ts';
import { compileProgram } from './compile.ts';
import { NotAvailable, SimProcess, type SimProcessOptions, type SimTimer } from './node-process.ts';
import { BufferShim } from './buffer.ts';

export interface SimWorldOptions extends KernelOptions {
  /** Lets the JS engine run pending microtasks (promises) between two callbacks of the programs. */
  drainMicrotasks?: () => Promise<void>;
}

export interface RunLimits {
  /** Virtual time the run may last (µs from now). */
  virtualUs?: number;
  /** Stop as soon as this holds. */
  until?: () => boolean;
  /**
   * Called before the clock moves forward to `nextUs`; a paced run waits here for real time to catch up.
   * Resolving false means the wait was cut short (input from outside): the run looks again at what is next.
   */
  pace?: (nextUs: number) => Promise<void | boolean>;
  /** Called after every step of the kernel and every program callback (shells on the same kernel react here). */
  onStep?: () => void;
  /**
   * Nothing can happen any more: resolve true to keep running (after waiting for outside input, such as
   * keys typed in a shell on this machine), false to end the run as idle.
   */
  whenIdle?: () => Promise<boolean>;
}

/**
 * A simulated machine running Node programs: one kernel, the programs' event loops (virtual time advances
 * only when every program is idle, so runs are deterministic), and their node:net over the kernel.
 */
export class SimWorld {
  readonly kernel: Kernel;
  readonly procs = new Set<SimProcess>();
  private tasks: Array<{ proc: SimProcess; fn: () => void }> = [];
  private timers: Array<{ proc: SimProcess; timer: SimTimer }> = [];
  private wakes: number[] = [];
  private started = new Set<SimProcess>();
  private exitListeners = new Set<(p: SimProcess) => void>();
  private readonly drain: () => Promise<void>;

  constructor(opts: SimWorldOptions = {}) {
    this.kernel = new Kernel(opts);
    this.drain = opts.drainMicrotasks ?? (() => new Promise<void>((r) => setTimeout(r, 0)));
  }

  queue(proc: SimProcess, fn: () => void): void {
    this.tasks.push({ proc, fn });
  }

  addTimer(proc: SimProcess, timer: SimTimer): void {
    this.timers.push({ proc, timer });
  }

  /** Something changed that a poll should see (a write, a resume). */
  wake(): void {
    /* polls run on every loop turn; nothing to record */
  }

  wakeAt(t: number): void {
    this.wakes.push(t);
    this.wakes.sort((a, b) => a - b);
  }

  onExitListener(fn: (p: SimProcess) => void): () => void {
    this.exitListeners.add(fn);
    return () => this.exitListeners.delete(fn);
  }

  onExit(p: SimProcess): void {
    for (const l of this.exitListeners) l(p);
  }

  killPid(pid: number, _sig: string): boolean {
    for (const p of this.procs) {
      if (p.pid === pid && p.alive) {
        p.exit(143);
        return true;
      }
    }
    return false;
  }

  /** A process that runs no program of its own (a grader hosting its sockets and timers); it never exits by itself. */
  createProcess(opts: SimProcessOptions): SimProcess {
    const proc = new SimProcess(this, opts);
    this.procs.add(proc);
    return proc;
  }

  /** Starts a Node program (ESM source) as a new process. */
  start(source: string, opts: SimProcessOptions): SimProcess {
    const proc = new SimProcess(this, opts);
    this.procs.add(proc);
    const compiled = compileProgram(source);
    this.queue(proc, () => {
      this.started.add(proc);
      if (!compiled.ok) {
        proc.err(`file:///work/main.mjs\n${compiled.error.name}: ${compiled.error.message}\n`);
        proc.exit(1);
        return;
      }
      const mod = (name: string) => {
        const m = proc.modules[name];
        if (!m) throw new NotAvailable(`The module "${name}"`);
        return m;
      };
      const timers = proc.modules['timers'] as Record<string, unknown>;
      const consoleShim = {
        log: (...a: unknown[]) => proc.out(`${a.map(fmt).join(' ')}\n`),
        info: (...a: unknown[]) => proc.out(`${a.map(fmt).join(' ')}\n`),
        error: (...a: unknown[]) => proc.err(`${a.map(fmt).join(' ')}\n`),
        warn: (...a: unknown[]) => proc.err(`${a.map(fmt).join(' ')}\n`),
        debug: (...a: unknown[]) => proc.out(`${a.map(fmt).join(' ')}\n`),
      };
      // main.mjs is an ES module: as in Node, it has no require.
      const require = () => {
        throw new ReferenceError('require is not defined in ES module scope, you can use import instead');
      };
      compiled.fn(mod, async (name: string) => mod(name), require, proc.processObject, consoleShim, BufferShim, timers['setTimeout'], timers['setInterval'], timers['setImmediate'], timers['clearTimeout'], timers['clearInterval'], timers['clearImmediate']).catch((e: unknown) => proc.uncaught(e));
    });
    return proc;
  }

  /** When the next thing will happen: a kernel event, a program's timer or a wake-up; null when nothing will. */
  nextAt(): number | null {
    const candidates = [this.kernel.nextEventAt(), ...this.timers.filter((t) => !t.timer.cancelled).map((t) => t.timer.at), this.wakes[0] ?? null].filter((x): x is number => x !== null);
    return candidates.length === 0 ? null : Math.min(...candidates);
  }

  /** Runs every program until all have exited, `until` holds, nothing more can happen, or the time limit passes. */
  async run(limits: RunLimits = {}): Promise<'exited' | 'until' | 'idle' | 'time-limit'> {
    const deadline = this.kernel.now() + (limits.virtualUs ?? 60_000_000);
    for (let turns = 0; ; turns++) {
      if (limits.until?.()) return 'until';
      const task = this.tasks.shift();
      if (task) {
        task.proc.guard(task.fn);
        await this.drain();
        limits.onStep?.();
        continue;
      }
      for (const p of this.procs) {
        if (!p.alive) continue;
        for (const s of [...p.servers]) s.poll();
        for (const s of [...p.sockets]) s.poll();
      }
      if (this.tasks.length > 0) continue;
      const now = this.kernel.now();
      this.timers = this.timers.filter(({ timer }) => !timer.cancelled);
      const due = this.timers.filter(({ timer }) => timer.at <= now).sort((a, b) => a.timer.at - b.timer.at || a.timer.seq - b.timer.seq);
      if (due.length > 0) {
        for (const d of due) {
          const { proc, timer } = d;
          if (timer.repeat !== null) timer.at = now + timer.repeat;
          else {
            timer.cancelled = true;
            proc.timers.delete(timer);
          }
          this.queue(proc, timer.fn);
        }
        continue;
      }
      // A program whose event loop is empty exits, as Node does.
      let exited = false;
      for (const p of this.procs) {
        if (p.alive && this.started.has(p) && !p.hasWork()) {
          p.exit(p.pendingExitCode);
          exited = true;
        }
      }
      if (exited) continue;
      if ([...this.procs].every((p) => !p.alive || !this.started.has(p))) {
        if (this.tasks.length === 0 && [...this.procs].every((p) => !p.alive)) return 'exited';
      }
      const nextAt = () => this.nextAt();
      const next = nextAt();
      if (next === null) {
        if (limits.whenIdle && (await limits.whenIdle())) continue;
        return 'idle';
      }
      if (limits.pace && next > this.kernel.now()) {
        const reached = await limits.pace(Math.min(next, deadline));
        if (limits.until?.()) return 'until';
        if (this.tasks.length > 0 || reached === false) continue;
        // Input from outside while we waited (a shell on this machine) may have brought something sooner.
        const sooner = nextAt();
        if (sooner !== null && sooner < next) continue;
      }
      if (next > deadline) {
        this.kernel.advanceTo(deadline);
        return 'time-limit';
      }
      const kernelNext = this.kernel.nextEventAt();
      if (kernelNext !== null && kernelNext <= next) this.kernel.step();
      else this.kernel.advanceTo(next);
      while (this.wakes.length > 0 && this.wakes[0]! <= this.kernel.now()) this.wakes.shift();
      limits.onStep?.();
    }
  }
}

function fmt(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v instanceof Uint8Array) return `<Buffer ${[...v.subarray(0, 50)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}${v.length > 50 ? ` ... ${v.length - 50} more bytes` : ''}>`;
  try {
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  } catch {
    return String(v);
  }
}
