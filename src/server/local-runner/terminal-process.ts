/**
 * A command in a pseudo-terminal, through pty-helper.py (node-pty needs a native build). The helper runs
 * detached (its own process group and session); the command runs in a session of its own below it. `kill()`
 * takes the helper, the command and everything they started.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { killTree } from './proc-tree.ts';

const HELPER = fileURLToPath(new URL('./pty-helper.py', import.meta.url));

let python: Promise<string | null> | undefined;

/** The python3 executable (the real one, not a version manager's shim), or null when there is none. */
export function findPython(): Promise<string | null> {
  python ??= new Promise((resolve) => {
    const candidates = [process.env['TCPLAB_PYTHON'], 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
    const next = (i: number): void => {
      if (i >= candidates.length) return resolve(null);
      execFile(candidates[i]!, ['-c', 'import sys, pty, termios; print(sys.executable)'], { timeout: 5000 }, (err, stdout) => {
        const exe = stdout.trim();
        if (err || !exe) next(i + 1);
        else resolve(exe);
      });
    };
    next(0);
  });
  return python;
}

export interface TerminalProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface TerminalProcess {
  /** The helper's pid (its process group). */
  readonly pid: number;
  onData(listener: (chunk: Buffer) => void): void;
  /** Exit status of the command (128 + N for signal N); null when killed from outside. */
  onExit(listener: (code: number | null) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading its output (back-pressure); the command blocks when the terminal buffer is full. */
  pause(): void;
  resume(): void;
  /**
   * SIGKILLs the command and everything below it; the helper then reaps them and exits (it is SIGKILLed
   * too after a second, or at once with `now`, e.g. when the server exits).
   */
  kill(opts?: { now?: boolean }): void;
  readonly exited: boolean;
}

export function clampSize(n: unknown, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.max(1, Math.min(1000, Math.floor(n))) : fallback;
}

export async function spawnInTerminal(opts: TerminalProcessOptions): Promise<TerminalProcess> {
  const py = await findPython();
  if (!py) throw new Error('the local runner needs python3 for its terminal, and none was found');
  const cols = clampSize(opts.cols, 80);
  const rows = clampSize(opts.rows, 24);
  const child: ChildProcess = spawn(py, [HELPER, String(cols), String(rows), '--', opts.command, ...opts.args], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`cannot start the terminal: ${err.message}`);
  }
  child.on('error', () => {
    /* reported through exit */
  });
  const stdin = child.stdin!;
  const control = child.stdio[3] as Writable;
  const info = child.stdio[4] as Readable;
  for (const s of [stdin, control]) s.on('error', () => {});
  // The helper reports the command's pid once it forked it; until then there is nothing to kill but the helper.
  let session = 0;
  let infoText = '';
  let ready!: () => void;
  const forked = new Promise<void>((r) => (ready = r));
  info.on('data', (d: Buffer) => {
    infoText += d.toString();
    const n = parseInt(infoText, 10);
    if (infoText.includes('\n') && n > 1) {
      session = n;
      ready();
    }
  });
  info.on('end', () => ready());
  info.on('error', () => ready());
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });

  let exited = false;
  let killed = false;
  const exitListeners: ((code: number | null) => void)[] = [];
  child.on('close', (code, signal) => {
    exited = true;
    // Whatever is left of the command's session (the helper already killed what was below it).
    if (session > 1) killTree(-1, [session], { includeRoot: false });
    if (stderr.trim() && code !== 0 && !killed) process.stderr.write(`[local-runner] pty helper: ${stderr.trim()}\n`);
    const status = killed || signal ? null : code;
    for (const l of exitListeners) l(status);
  });

  await forked;
  return {
    pid,
    get exited() {
      return exited;
    },
    onData: (listener) => child.stdout!.on('data', listener),
    onExit: (listener) => exitListeners.push(listener),
    write: (data) => {
      if (!exited && stdin.writable) stdin.write(data);
    },
    resize: (c, r) => {
      if (!exited && control.writable) control.write(`${clampSize(c, cols)} ${clampSize(r, rows)}\n`);
    },
    pause: () => child.stdout!.pause(),
    resume: () => child.stdout!.resume(),
    kill: ({ now = false } = {}) => {
      if (exited) return;
      killed = true;
      killTree(pid, session > 1 ? [session] : [], { includeRoot: now });
      if (!now) {
        setTimeout(() => {
          if (!exited) killTree(pid, session > 1 ? [session] : []);
        }, 1000).unref();
      }
    },
  };
}
