/**
 * The `webcontainer` backend: StackBlitz's WebContainer runs real Node in the browser (online, in a
 * cross-origin isolated page). Booted once per page (a second boot throws), files mounted, `jsh` in the
 * terminal once it signals it is interactive; capabilities measured at boot by a probe program.
 *
 * It cannot boot on machines without access to StackBlitz's servers; there it reports why and the
 * picker offers another runner. Hosted commercial use of WebContainer needs a StackBlitz licence.
 */
import type { GradeResult } from '../../grading/exercise-types.ts';
import type { Availability, Capabilities, Runner, RunOptions, RunResult, Session, TerminalPort } from '../types.ts';
import { NO_CAPABILITIES } from '../types.ts';
import { webContainerAvailability } from './availability.ts';
import { parseProbe, PROBE_SOURCE } from './probe.ts';
import { withBase } from '../../site/base-path.ts';

/** The parts of @webcontainer/api this backend uses (tests pass a double). */
export interface WcProcess {
  output: ReadableStream<string>;
  input: WritableStream<string>;
  exit: Promise<number>;
  kill(): void;
  resize(size: { cols: number; rows: number }): void;
}
export interface WcInstance {
  mount(tree: Record<string, unknown>): Promise<void>;
  spawn(command: string, args: string[], options?: { env?: Record<string, string>; terminal?: { cols: number; rows: number } }): Promise<WcProcess>;
  teardown(): void;
}
export interface WcApi {
  boot(options: { coep: 'require-corp' | 'credentialless' | 'none' }): Promise<WcInstance>;
}

export interface WebContainerRunnerOptions {
  /** Loads @webcontainer/api (default: a dynamic import, so pages that never use it do not pay for it). */
  loadApi?: () => Promise<WcApi>;
  /** Fetches the bundled grader (dist/runtime/tcplab-grade.mjs). */
  fetchGrader?: () => Promise<string>;
  env?: { crossOriginIsolated: boolean; online: boolean; secure: boolean };
  outputLimit?: number;
  /** A boot that does not finish within this long is reported as failed (ms, default 20 s). */
  bootTimeoutMs?: number;
  /**
   * Whether StackBlitz's servers answer: resolves when they do, rejects on a network error. The boot is
   * given up as soon as this rejects, or when it has not resolved within `reachMs` (default 3 s): a boot
   * never reports an unreachable server itself, it just never finishes.
   */
  reach?: () => Promise<void>;
  reachMs?: number;
}

/** The page WebContainer's boot loads (an iframe); a no-cors request to it tells whether the servers answer. */
export const STACKBLITZ_HEADLESS = 'https://stackblitz.com/headless';

async function reachStackBlitz(): Promise<void> {
  await fetch(STACKBLITZ_HEADLESS, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
}

/**
 * Rejects as soon as StackBlitz is known to be unreachable: a network error, or no answer within `ms`.
 * Never settles once it answered (the boot's own time limit applies then).
 */
export function unreachable(reach: () => Promise<void>, ms: number): Promise<never> {
  return new Promise<never>((_, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      if (!answered) reject(new Error(`StackBlitz’s servers did not answer within ${ms / 1000} s (offline, or blocked by a firewall?)`));
    }, ms);
    reach().then(
      () => {
        answered = true;
        clearTimeout(timer);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(new Error(`StackBlitz’s servers cannot be reached (${e instanceof Error ? e.message : String(e)})`));
      },
    );
  });
}

/** The grader JSON line the bundled `tcplab-grade.mjs --json` prints. */
const GRADER_FILE = '.tcplab/grade.mjs';

let bootPromise: Promise<WcInstance> | null = null;

/** Boots at most once per page, whatever the number of runners: WebContainer allows one instance. */
function bootOnce(api: () => Promise<WcApi>, timeoutMs: number, reachable: Promise<never>): Promise<WcInstance> {
  // Without StackBlitz's servers the boot never settles: give up as soon as they are known unreachable,
  // or after a while, and say why.
  bootPromise ??= Promise.race([
    api().then((m) => m.boot({ coep: 'require-corp' })),
    reachable,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer from StackBlitz’s servers within ${timeoutMs / 1000} s (offline, or blocked by a firewall?)`)), timeoutMs)),
  ]);
  return bootPromise;
}

/** Forgets the booted instance (tests only). */
export function resetWebContainerBoot(): void {
  bootPromise = null;
}

function tree(files: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, contents] of Object.entries(files)) {
    const parts = path.split('/').filter(Boolean);
    if (parts.length === 0 || parts.some((p) => p === '..' || p === '.')) throw new Error(`bad path ${path}`);
    let dir = root;
    for (const p of parts.slice(0, -1)) {
      const next = (dir[p] ??= { directory: {} }) as { directory: Record<string, unknown> };
      dir = next.directory;
    }
    dir[parts.at(-1)!] = { file: { contents } };
  }
  return root;
}

async function collect(proc: WcProcess, onData: (s: string) => void): Promise<void> {
  await proc.output.pipeTo(new WritableStream({ write: (chunk) => onData(chunk) }));
}

export class WebContainerRunner implements Runner {
  readonly kind = 'webcontainer' as const;
  readonly label = 'WebContainer (real Node in this browser)';
  private instance: WcInstance | null = null;
  private caps: Capabilities = NO_CAPABILITIES;
  private running = new Set<WcProcess>();
  private readonly opts: WebContainerRunnerOptions;

  constructor(opts: WebContainerRunnerOptions = {}) {
    this.opts = opts;
  }

  async availability(): Promise<Availability> {
    return webContainerAvailability(this.opts.env);
  }

  capabilities(): Capabilities {
    return this.caps;
  }

  /** Boots (once per page), mounts the files, and measures what the emulated network can show. */
  async prepare(files: Record<string, string>): Promise<void> {
    if (!this.instance) {
      try {
        const reachable = unreachable(this.opts.reach ?? reachStackBlitz, this.opts.reachMs ?? 3000);
        reachable.catch(() => undefined);
        this.instance = await bootOnce(this.opts.loadApi ?? (async () => (await import('@webcontainer/api')).WebContainer as unknown as WcApi), this.opts.bootTimeoutMs ?? 20_000, reachable);
      } catch (e) {
        bootPromise = null;
        throw new Error(`WebContainer could not boot: ${e instanceof Error ? e.message : String(e)}`);
      }
      await this.instance.mount(tree({ '.tcplab/probe.mjs': PROBE_SOURCE }));
      let out = '';
      const probe = await this.instance.spawn('node', ['.tcplab/probe.mjs']);
      await Promise.race([Promise.all([collect(probe, (s) => (out += s)), probe.exit]), new Promise((r) => setTimeout(r, 10_000))]);
      const measured = parseProbe(out);
      this.caps = { ...measured, realKernelStates: false, shell: true, processKill: true, trace: false };
    }
    await this.instance.mount(tree(files));
  }

  async startShell(terminal: TerminalPort): Promise<Session> {
    const wc = this.need();
    const proc = await wc.spawn('/bin/jsh', ['--osc'], { terminal: { cols: terminal.cols, rows: terminal.rows } });
    this.running.add(proc);
    const input = proc.input.getWriter();
    let interactive = false;
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    void collect(proc, (data) => {
      // jsh announces it is ready for keys with an OSC 654 "interactive" sequence: keys before it are lost.
      if (!interactive && /\x1b\]654;interactive\x07/.test(data)) {
        interactive = true;
        ready();
      }
      terminal.write(data);
    });
    const offInput = terminal.onInput((d) => {
      if (interactive) void input.write(d);
    });
    const offResize = terminal.onResize?.((size) => proc.resize(size));
    await isReady;
    proc.resize({ cols: terminal.cols, rows: terminal.rows });
    const exited = proc.exit.then((code) => {
      offInput();
      offResize?.();
      this.running.delete(proc);
      return code;
    });
    return { exited, kill: () => proc.kill() };
  }

  async run(file: string, opts: RunOptions = {}): Promise<RunResult> {
    const wc = this.need();
    const proc = await wc.spawn('node', [file], { ...(opts.env ? { env: opts.env } : {}), ...(opts.terminal ? { terminal: { cols: opts.terminal.cols, rows: opts.terminal.rows } } : {}) });
    this.running.add(proc);
    const limit = this.opts.outputLimit ?? 1 << 20;
    let output = '';
    let stopped: RunResult['stopped'];
    const stop = (why: NonNullable<RunResult['stopped']>) => {
      if (stopped) return;
      stopped = why;
      proc.kill();
    };
    void collect(proc, (s) => {
      if (stopped) return;
      output += s;
      opts.terminal?.write(s);
      if (output.length > limit) stop('output');
    });
    const timer = setTimeout(() => stop('time'), opts.timeoutMs ?? 10_000);
    const code = await proc.exit;
    clearTimeout(timer);
    this.running.delete(proc);
    if (!stopped) return { exitCode: code, output };
    const message = stopped === 'time' ? `stopped: ran longer than ${(opts.timeoutMs ?? 10_000) / 1000} s` : stopped === 'output' ? `stopped: more than ${Math.round(limit / 1024)} KiB of output` : 'stopped';
    opts.terminal?.write(`\r\n[${message}]\r\n`);
    return { exitCode: null, output, stopped, message };
  }

  /** Runs the bundled `tcplab grade` inside the container, on its Node, and reads its JSON result. */
  async grade(exerciseId: string, file: string): Promise<GradeResult> {
    const wc = this.need();
    const started = Date.now();
    try {
      const grader = await (this.opts.fetchGrader ?? (async () => (await fetch(withBase('/runtime/tcplab-grade.mjs'))).text()))();
      await wc.mount(tree({ [GRADER_FILE]: grader }));
      const proc = await wc.spawn('node', [GRADER_FILE, exerciseId, file, '--result-json']);
      let out = '';
      await Promise.all([collect(proc, (s) => (out += s)), proc.exit]);
      const line = out.split(/\r?\n/).find((l) => l.startsWith('{"exercise"'));
      if (!line) throw new Error(`no result from the grader: ${out.slice(-300)}`);
      return JSON.parse(line) as GradeResult;
    } catch (e) {
      return { exercise: exerciseId, status: 'error', checks: [], output: '', error: e instanceof Error ? e.message : String(e), durationMs: Date.now() - started };
    }
  }

  async stop(): Promise<void> {
    for (const p of this.running) p.kill();
    this.running.clear();
  }

  private need(): WcInstance {
    if (!this.instance) throw new Error('WebContainer is not booted: call prepare() first');
    return this.instance;
  }
}
