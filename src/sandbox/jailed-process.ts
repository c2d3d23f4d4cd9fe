/**
 * A program running in a jail (or, when the caller accepted the risk, as a plain child process), with its
 * output captured up to a limit, a wall-clock limit, and one kill that takes everything it started: the
 * jail's pid namespace dies with bubblewrap, so no daemon, however detached, survives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { jailArgv, type JailSpec } from './jail.ts';
import { killTree } from './proc-tree.ts';

export type StopReason = 'time' | 'output' | 'killed';

export interface JailedProcess {
  readonly pid: number | undefined;
  stdout(): string;
  stderr(): string;
  /** Exit status once it ended (128 + N after signal N, as a shell reports it), else null. */
  exitCode(): number | null;
  /** Resolves once it ended and its output was read to the end. */
  readonly exited: Promise<number | null>;
  /** Why the jail stopped it, if it did. */
  stopped(): StopReason | null;
  /** SIGKILL to the jail (and so to every process inside it). */
  kill(reason?: StopReason): void;
  /** Writes to its standard input (closed when `input` was given at start). */
  readonly stdin: NodeJS.WritableStream | null;
  /**
   * Resolves once the program's own code is about to run (it wrote to descriptor 3, see READY_IMPORT), or
   * when it ended; at once when it was started without `signalsReady`. Graders time the program from here,
   * so a machine slow to start processes never turns a right program into a wrong one.
   */
  readonly ready: Promise<void>;
}

/**
 * A Node option that makes the program say when its own code starts: one byte on descriptor 3 (a pipe the
 * starter reads), before the program's first line. Harmless anywhere else (an error on a closed descriptor
 * is ignored).
 */
export const READY_IMPORT = ['--import', 'data:text/javascript,import{writeSync,closeSync}from"node:fs";try{writeSync(3,"1");closeSync(3)}catch{}'];

export interface StartOptions {
  /** Captured stdout + stderr beyond this stops the program. */
  outputLimit: number;
  /** Wall-clock limit in ms (0: none). */
  timeoutMs: number;
  /** Data for standard input; the stream is then closed. Absent: stdin is /dev/null. */
  input?: string;
  /** Keep stdin open for writing. */
  interactive?: boolean;
  /** The program was started with READY_IMPORT: fd 3 is its readiness pipe. */
  signalsReady?: boolean;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface Unjailed {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

function run(command: string, args: string[], env: Record<string, string>, cwd: string | undefined, opts: StartOptions, detached: boolean, data: string[] = []): JailedProcess {
  const child: ChildProcess = spawn(command, args, {
    env,
    ...(cwd ? { cwd } : {}),
    stdio: [opts.input !== undefined || opts.interactive ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(opts.signalsReady ? ['pipe' as const] : []), ...data.map(() => 'pipe' as const)],
    detached,
  });
  const firstData = opts.signalsReady ? 4 : 3;
  data.forEach((text, i) => {
    const pipe = child.stdio[firstData + i] as NodeJS.WritableStream | null;
    pipe?.on('error', () => {});
    pipe?.end(text);
  });
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  if (opts.signalsReady) {
    const pipe = child.stdio[3] as NodeJS.ReadableStream | null;
    pipe?.on('data', () => markReady());
    pipe?.on('error', () => {});
  } else markReady();
  let out = '';
  let err = '';
  let total = 0;
  let code: number | null = null;
  let ended = false;
  let stop: StopReason | null = null;
  const kill = (reason: StopReason = 'killed') => {
    if (ended) return;
    stop ??= reason;
    try {
      // Everything below it by the process table (bubblewrap's sandbox pid 1 calls setsid, so no process group
      // holds it; and one killed just after its start has not yet tied its life to bubblewrap's), then its
      // process group (a detached one leads its own) and it.
      if (child.pid !== undefined) killTree(child.pid, [], { includeRoot: true });
    } catch {
      /* already gone */
    }
  };
  const take = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
    if (stop === 'output') return;
    let text = d.toString('utf8');
    const room = opts.outputLimit - total;
    if (text.length > room) text = text.slice(0, Math.max(0, room));
    total += text.length;
    if (stream === 'stdout') out += text;
    else err += text;
    if (text) opts.onOutput?.(text, stream);
    if (total >= opts.outputLimit) kill('output');
  };
  child.stdout!.on('data', take('stdout'));
  child.stderr!.on('data', take('stderr'));
  child.stdin?.on('error', () => {});
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  const timer = opts.timeoutMs > 0 ? setTimeout(() => kill('time'), opts.timeoutMs) : undefined;
  timer?.unref?.();
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => {
      // spawn failed (no such file): reported as exit 127, like a shell
      markReady();
      if (ended) return;
      ended = true;
      code = 127;
      clearTimeout(timer);
      resolve(code);
    });
    child.on('close', (c, signal) => {
      markReady();
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      code = c ?? (signal ? 128 + (signalNumber(signal) ?? 9) : null);
      resolve(code);
    });
  });
  return {
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    exitCode: () => (ended ? code : null),
    exited,
    stopped: () => stop,
    kill,
    stdin: opts.interactive ? child.stdin : null,
    ready,
  };
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25 };
function signalNumber(s: string): number | undefined {
  return SIGNALS[s];
}

/** Starts `spec.argv` inside a jail. */
export function startJailed(spec: JailSpec, opts: StartOptions): JailedProcess {
  const data = spec.readOnly.flatMap((b) => ('data' in b ? [b.data] : []));
  // The i-th data bind is read by bubblewrap from the pipe at fd 3 + i (4 + i when fd 3 is the readiness pipe).
  const first = opts.signalsReady ? 4 : 3;
  const argv = jailArgv(spec, data.map((_, i) => first + i));
  // bubblewrap itself gets a minimal environment; the program's is set inside with --setenv.
  const p = run(argv[0]!, argv.slice(1), { PATH: '/usr/bin:/bin' }, undefined, opts, false, data);
  return p;
}

/**
 * Starts a program with no jail (the instructor passed --unsafe-no-sandbox, or the learner grades their own
 * code on a machine without bubblewrap): its own process group, killed as a group.
 */
export function startUnjailed(u: Unjailed, opts: StartOptions): JailedProcess {
  return run(u.argv[0]!, u.argv.slice(1), u.env, u.cwd, opts, true);
}
