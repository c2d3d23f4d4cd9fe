/**
 * A command in a pseudo-terminal (@lydell/node-pty, prebuilt for Linux, macOS and Windows), inside a
 * session jail where the machine has one (sandbox/session-jail.ts): then `kill()` takes the jail's whole
 * process namespace, and nothing the command started survives, even if the server itself is killed
 * (bubblewrap dies with its parent). Without a jail, `kill()` takes the command's session and process tree.
 */
import * as pty from '@lydell/node-pty';
import { sessionJailArgs, type SessionJail } from '../../sandbox/session-jail.ts';
import { killTree } from '../../sandbox/proc-tree.ts';

export interface TerminalProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** The session jail, or null to run the command directly. */
  jail: SessionJail | null;
}

export interface TerminalProcess {
  /** The pid of the process in the terminal (bubblewrap, when jailed). */
  readonly pid: number;
  onData(listener: (chunk: Buffer) => void): void;
  /** Exit status of the command (128 + N for signal N); null when killed from outside. */
  onExit(listener: (code: number | null) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading its output (back-pressure); the command blocks when the terminal buffer is full. */
  pause(): void;
  resume(): void;
  /** SIGKILLs the command and everything it started. */
  kill(opts?: { now?: boolean }): void;
  readonly exited: boolean;
}

export function clampSize(n: unknown, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.max(1, Math.min(1000, Math.floor(n))) : fallback;
}

export async function spawnInTerminal(opts: TerminalProcessOptions): Promise<TerminalProcess> {
  const cols = clampSize(opts.cols, 80);
  const rows = clampSize(opts.rows, 24);
  const [file, args] = opts.jail ? [opts.jail.bwrap, [...sessionJailArgs(opts.jail), '--', opts.command, ...opts.args]] : [opts.command, opts.args];
  let p: pty.IPty;
  try {
    p = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: opts.cwd, env: opts.env, encoding: null });
  } catch (e) {
    throw new Error(`cannot start the terminal: ${e instanceof Error ? e.message : String(e)}`);
  }
  let exited = false;
  let killed = false;
  const exitListeners: ((code: number | null) => void)[] = [];
  p.onExit(({ exitCode, signal }) => {
    exited = true;
    // Without a jail, whatever the command left in its session (with one, its namespace is already gone).
    if (!opts.jail) killTree(p.pid, [p.pid], { includeRoot: false });
    const status = killed ? null : signal ? 128 + signal : exitCode;
    for (const l of exitListeners) l(status);
  });
  return {
    pid: p.pid,
    get exited() {
      return exited;
    },
    onData: (listener) => p.onData((d) => listener(typeof d === 'string' ? Buffer.from(d) : Buffer.from(d))),
    onExit: (listener) => exitListeners.push(listener),
    write: (data) => {
      if (!exited) p.write(data);
    },
    resize: (c, r) => {
      if (!exited) p.resize(clampSize(c, cols), clampSize(r, rows));
    },
    pause: () => p.pause(),
    resume: () => p.resume(),
    kill: () => {
      if (exited) return;
      killed = true;
      // Jailed: bubblewrap and its sandbox's pid 1 (whose death takes every process of the namespace), found in
      // the process table, so a kill just after the start, before pid 1 tied its life to bubblewrap's, misses
      // nothing. Unjailed: the command's whole session and tree.
      killTree(p.pid, opts.jail ? [] : [p.pid], { includeRoot: true });
    },
  };
}
