import type { LabWorld } from '../lab/world.ts';

export type Signal = 'INT' | 'TERM' | 'KILL';

/** A command while it runs. The shell calls tick() whenever the world changed, until status is set. */
export interface Running {
  /** The kernel process behind it (null for shell builtins). */
  readonly pid: number | null;
  /** Exit status once finished, null while running. */
  readonly status: number | null;
  tick(): void;
  /** Text typed at the terminal while this command runs in the foreground (a whole line, with its \n). */
  stdin?(text: string): void;
  /** Ctrl-D: end of input. */
  eof?(): void;
  /** Output of the previous command in a pipeline; null marks its end. */
  pipe?(text: string | null): void;
  signal(sig: Signal): void;
  /**
   * Given, the program reads its lines with readline: the terminal edits them with the line editor and
   * Tab completes the word before the cursor from what this returns.
   */
  complete?(line: string, cursor: number): { start: number; candidates: string[] };
}

export interface ShellServices {
  history(): string[];
  jobs(): Array<{ id: number; text: string; state: string; pid: number | null }>;
  clear(): void;
  /** Signals a job by %N or a process by pid; false when there is none. */
  killTarget(target: string, sig: Signal): boolean;
}

export interface CommandEnv {
  world: LabWorld;
  argv: string[];
  out(text: string): void;
  err(text: string): void;
  /** A new kernel process for this command, child of the shell. */
  spawn(name: string): number;
  /** Reads from a pipe rather than the terminal. */
  stdinIsPipe: boolean;
  /** Writes into a pipe rather than the terminal (tools such as ls format differently). */
  stdoutIsPipe?: boolean;
  services: ShellServices;
  /** Where `>` sends output, if anywhere. */
  redirect: string | null;
  /** The terminal's width when the command writes to the terminal (not to a pipe or a file). */
  columns?: number;
}

export type Command = (env: CommandEnv) => Running;

/** A command that has already finished when it is returned (most tools that just print). */
export function done(status: number): Running {
  return { pid: null, status, tick() {}, signal() {} };
}
