import type { SimWorld } from './world.ts';
import { SimServer, SimSocket, createNetModule } from './net-shim.ts';
import { BufferShim } from './buffer.ts';
import { Emitter } from './emitter.ts';

/** Thrown inside a program to stop it where process.exit() was called. */
export class ProcessExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

export class NotAvailable extends Error {
  constructor(what: string) {
    super(`${what} is not available in the simulated runtime (it models node:net on a simulated Linux kernel; run on the local runner for everything else)`);
    this.name = 'Error';
  }
}

export interface SimProcessOptions {
  name: string;
  env?: Record<string, string>;
  argv?: string[];
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface SimTimer {
  at: number;
  seq: number;
  fn: () => void;
  repeat: number | null;
  ref: boolean;
  cancelled: boolean;
}

let timerSeq = 0;

/**
 * One Node.js process of the simulated world: its kernel pid, its handles (servers, sockets, timers) and the
 * module objects its program sees (node:net, process, timers, console, Buffer).
 */
export class SimProcess {
  readonly world: SimWorld;
  readonly pid: number;
  readonly name: string;
  readonly sockets = new Set<SimSocket>();
  readonly servers = new Set<SimServer>();
  readonly timers = new Set<SimTimer>();
  exitCode: number | null = null;
  /** Set by process.exitCode = n. */
  pendingExitCode = 0;
  private readonly opts: SimProcessOptions;
  readonly processObject: Record<string, unknown>;
  readonly modules: Record<string, unknown>;

  constructor(world: SimWorld, opts: SimProcessOptions) {
    this.world = world;
    this.opts = opts;
    this.name = opts.name;
    this.pid = world.kernel.spawn(opts.name);
    const self = this;
    const events = new Emitter();
    const text = (t: unknown) => (t instanceof Uint8Array ? new TextDecoder().decode(t) : String(t));
    const writer = (sink: (s: string) => void) => (t: unknown, ...rest: unknown[]) => {
      sink(text(t));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (cb) self.world.queue(self, cb);
      return true;
    };
    const stdout = { write: writer((s) => self.out(s)), isTTY: false, columns: 80 };
    const stderr = { write: writer((s) => self.err(s)), isTTY: false, columns: 80 };
    this.processObject = {
      env: { ...(opts.env ?? {}) },
      argv: ['/usr/bin/node', '/work/main.mjs', ...(opts.argv ?? [])],
      pid: this.pid,
      platform: 'linux',
      version: 'v24.11.0 (simulated)',
      versions: { node: '24.11.0' },
      stdout,
      stderr,
      stdin: { on: () => undefined, resume: () => undefined, setEncoding: () => undefined },
      exit: (code?: number) => {
        self.exit(code ?? self.pendingExitCode);
        throw new ProcessExit(code ?? self.pendingExitCode);
      },
      on: (ev: string, fn: (...a: never[]) => void) => (events.on(ev, fn), self.processObject),
      once: (ev: string, fn: (...a: never[]) => void) => (events.once(ev, fn), self.processObject),
      off: (ev: string, fn: (...a: never[]) => void) => (events.off(ev, fn), self.processObject),
      emit: (ev: string, ...a: unknown[]) => events.emit(ev, ...a),
      nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => self.guard(() => fn(...args))),
      hrtime: Object.assign(() => [Math.floor(world.kernel.now() / 1e6), (world.kernel.now() % 1e6) * 1000], { bigint: () => BigInt(world.kernel.now()) * 1000n }),
      uptime: () => world.kernel.now() / 1e6,
      cwd: () => '/work',
      memoryUsage: () => ({ rss: 30_000_000, heapUsed: 5_000_000, heapTotal: 10_000_000 }),
      kill: (pid: number, sig?: string) => world.killPid(pid, sig ?? 'SIGTERM'),
    };
    Object.defineProperty(this.processObject, 'exitCode', {
      get: () => self.pendingExitCode,
      set: (v: number) => {
        self.pendingExitCode = Number(v) || 0;
      },
    });
    const timers = this.timerFunctions();
    const net = createNetModule(this);
    const eventsModule = { EventEmitter: Emitter, default: Emitter, once: (em: Emitter, ev: string) => new Promise((res, rej) => { em.once(ev, (...a: unknown[]) => res(a)); if (ev !== 'error') em.once('error', (e: unknown) => rej(e)); }) };
    this.modules = {
      net: { ...net, default: net },
      process: { ...this.processObject, default: this.processObject },
      timers: { ...timers, default: timers },
      'timers/promises': {
        setTimeout: (ms: number, value?: unknown) => new Promise((res) => timers.setTimeout(() => res(value), ms)),
        setImmediate: (value?: unknown) => new Promise((res) => timers.setImmediate(() => res(value))),
      },
      events: eventsModule,
      buffer: { Buffer: BufferShim, default: { Buffer: BufferShim } },
    };
  }

  get alive(): boolean {
    return this.exitCode === null;
  }

  out(text: string): void {
    if (this.alive) this.opts.stdout(text);
  }

  err(text: string): void {
    if (this.alive) this.opts.stderr(text);
  }

  /** Runs a piece of this program's code: exceptions become Node's uncaught-exception exit. */
  guard(fn: () => unknown): void {
    if (!this.alive) return;
    try {
      const result = fn();
      // An async callback (timer, listener) that rejects: Node's unhandled rejection ends the program.
      if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (e: unknown) => this.uncaught(e));
      }
    } catch (e) {
      this.uncaught(e);
    }
  }

  uncaught(e: unknown): void {
    if (e instanceof ProcessExit || !this.alive) return;
    const err = e as Error & { code?: string; emittedBy?: string };
    if (err && err.emittedBy) {
      this.opts.stderr(`node:events:497\n      throw er; // Unhandled 'error' event\n      ^\n\n${err.name}: ${err.message}\nEmitted 'error' event on ${err.emittedBy} instance\n`);
    } else {
      this.opts.stderr(`Uncaught ${err instanceof Error ? `${err.name}: ${err.message}` : String(e)}\n`);
    }
    this.exit(1);
  }

  /** The process ends: every descriptor is closed by its kernel, every handle dropped. */
  exit(code: number): void {
    if (!this.alive) return;
    this.exitCode = code;
    for (const t of this.timers) t.cancelled = true;
    this.timers.clear();
    this.world.kernel.exit(this.pid);
    for (const s of this.sockets) s.detach();
    this.sockets.clear();
    this.servers.clear();
    this.world.onExit(this);
  }

  /** Node keeps running while a server listens, a socket is open or a ref'd timer is pending. */
  hasWork(): boolean {
    if (!this.alive) return false;
    if (this.servers.size > 0) return true;
    for (const s of this.sockets) if (s.keepsLoopAlive()) return true;
    for (const t of this.timers) if (!t.cancelled && t.ref) return true;
    return false;
  }

  private timerFunctions() {
    const self = this;
    const make = (fn: (...a: unknown[]) => void, ms: unknown, args: unknown[], repeat: boolean) => {
      if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
      const delay = Math.max(1, Number(ms) || 0) * 1000;
      const timer: SimTimer = { at: self.world.kernel.now() + delay, seq: timerSeq++, fn: () => fn(...args), repeat: repeat ? delay : null, ref: true, cancelled: false };
      self.timers.add(timer);
      self.world.addTimer(self, timer);
      const handle = {
        ref: () => ((timer.ref = true), handle),
        unref: () => ((timer.ref = false), handle),
        hasRef: () => timer.ref,
        refresh: () => {
          timer.at = self.world.kernel.now() + delay;
          self.world.addTimer(self, timer);
          return handle;
        },
        [Symbol.toPrimitive]: () => timer.seq,
        __timer: timer,
      };
      return handle;
    };
    const clear = (h: unknown) => {
      const t = (h as { __timer?: SimTimer } | undefined)?.__timer;
      if (t) {
        t.cancelled = true;
        self.timers.delete(t);
      }
    };
    return {
      setTimeout: (fn: (...a: unknown[]) => void, ms?: unknown, ...args: unknown[]) => make(fn, ms, args, false),
      setInterval: (fn: (...a: unknown[]) => void, ms?: unknown, ...args: unknown[]) => make(fn, ms, args, true),
      setImmediate: (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
        const timer: SimTimer = { at: self.world.kernel.now(), seq: timerSeq++, fn: () => fn(...args), repeat: null, ref: true, cancelled: false };
        self.timers.add(timer);
        self.world.addTimer(self, timer);
        return { ref: () => undefined, unref: () => ((timer.ref = false), undefined), hasRef: () => timer.ref, __timer: timer };
      },
      clearTimeout: clear,
      clearInterval: clear,
      clearImmediate: clear,
    };
  }
}
