import { Kernel, type KernelOptions } from '../kernel/kernel.ts';
import { SyscallRecorder } from './recorder.ts';

/** Something that wants to hear about every change of the world (a shell, a view). */
export interface WorldListener {
  /** The kernel ran events or time passed: poll what you are waiting for. */
  tick(): void;
}

/**
 * A lab's world: one simulated kernel, the programs running on it, and the virtual clock that drives both.
 * The clock only moves when asked (advanceTo / step); the page's clock controller asks in real time, tests
 * ask directly. Programs register wake-up times (sleep) and react to kernel events in tick().
 */
export class LabWorld {
  readonly kernel: Kernel;
  readonly sys: SyscallRecorder;
  readonly seed: number;
  private listeners = new Set<WorldListener>();
  private wakes: number[] = [];
  private handles = new Map<number, { signal(sig: 'INT' | 'TERM' | 'KILL'): void; readonly status: number | null }>();
  private ticking = false;
  private pendingTick = false;

  private readonly onWakeAt: ((t: number) => void) | undefined;

  /**
   * A world of its own, or shells on a kernel that another world drives (`kernel`: the sim runner's
   * machine, where a learner's Node program runs); `onWakeAt` then tells that world when to wake us.
   */
  constructor(opts: KernelOptions & { kernel?: Kernel; onWakeAt?: (t: number) => void } = {}) {
    this.seed = opts.seed ?? 1;
    this.kernel = opts.kernel ?? new Kernel({ ...opts, seed: this.seed });
    this.sys = new SyscallRecorder(this.kernel);
    this.onWakeAt = opts.onWakeAt;
  }

  now(): number {
    return this.kernel.now();
  }

  subscribe(l: WorldListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Lets any terminal signal a program by pid (kill PID). */
  registerProcess(pid: number, handle: { signal(sig: 'INT' | 'TERM' | 'KILL'): void; readonly status: number | null }): void {
    this.handles.set(pid, handle);
  }

  /** kill: a program we know ends its own way; any other process just exits. False when there is none. */
  signalProcess(pid: number, sig: 'INT' | 'TERM' | 'KILL'): boolean {
    const h = this.handles.get(pid);
    if (h && h.status === null) {
      h.signal(sig);
      return true;
    }
    if (!this.kernel.process(pid)) return false;
    this.sys.exit(pid);
    return true;
  }

  /** Asks for a tick at virtual time t (a program's sleep or timeout). */
  wakeAt(t: number): void {
    this.onWakeAt?.(t);
    const i = this.wakes.findIndex((w) => w > t);
    if (i < 0) this.wakes.push(t);
    else this.wakes.splice(i, 0, t);
  }

  /** Lets every listener react to the current state; reentrant calls are folded into one more round. */
  notify(): void {
    if (this.ticking) {
      this.pendingTick = true;
      return;
    }
    this.ticking = true;
    try {
      let rounds = 0;
      do {
        this.pendingTick = false;
        for (const l of [...this.listeners]) l.tick();
      } while (this.pendingTick && ++rounds < 1000);
    } finally {
      this.ticking = false;
    }
  }

  private nextWake(): number | null {
    return this.wakes[0] ?? null;
  }

  /** The time of the next thing that will happen (kernel event or program wake-up), or null. */
  nextAt(): number | null {
    const a = this.kernel.nextEventAt();
    const b = this.nextWake();
    if (a === null) return b;
    if (b === null) return a;
    return Math.min(a, b);
  }

  /** Runs one thing: the next kernel event or program wake-up. False when nothing is scheduled. */
  step(): boolean {
    const ev = this.kernel.nextEventAt();
    const wk = this.nextWake();
    if (ev === null && wk === null) return false;
    if (ev !== null && (wk === null || ev <= wk)) this.kernel.step();
    else {
      this.kernel.advanceTo(wk!);
      this.wakes.shift();
    }
    this.notify();
    return true;
  }

  /** Advances virtual time to t, letting programs react after every event on the way. */
  advanceTo(t: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const next = this.nextAt();
      if (next === null || next > t) break;
      this.step();
    }
    this.kernel.advanceTo(t);
    while (this.wakes.length > 0 && this.wakes[0]! <= t) this.wakes.shift();
    this.notify();
  }

  advanceBy(us: number): void {
    this.advanceTo(this.now() + us);
  }

  /** Runs until the next segment goes on the wire (or nothing is left to happen). Returns true if one did. */
  stepToNextSegment(limitUs = 600_000_000): boolean {
    const before = this.kernel.segmentsSent;
    const deadline = this.now() + limitUs;
    while (this.kernel.segmentsSent === before) {
      const next = this.nextAt();
      if (next === null || next > deadline) return false;
      this.step();
    }
    return true;
  }
}
