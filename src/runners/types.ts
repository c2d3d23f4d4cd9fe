/**
 * One interface, three backends (webcontainer, local, sim). A page picks a backend at run time; the
 * editor, the terminal and the graders only ever talk to this interface.
 */
import type { GradeResult } from '../grading/exercise-types.ts';

export type RunnerKind = 'webcontainer' | 'local' | 'sim';

/** What a backend can show faithfully. Measured (webcontainer), known (local: a real kernel) or modelled (sim). */
export interface Capabilities {
  /** socket.end() sends a FIN and the socket can still read (allowHalfOpen). */
  halfClose: boolean;
  /** resetAndDestroy(), and close with unread data, send an RST that the peer sees as ECONNRESET. */
  reset: boolean;
  /** connect({ localPort }) binds the given local port. */
  localPort: boolean;
  /** A connect from port P to port P with nothing listening connects to itself. */
  selfConnect: boolean;
  /** `ss`/`netstat` show the real kernel's socket states (CLOSE_WAIT, FIN_WAIT_2, TIME_WAIT …). */
  realKernelStates: boolean;
  /** An interactive shell in the terminal. */
  shell: boolean;
  /** Another process can be killed with SIGKILL and its kernel closes its sockets. */
  processKill: boolean;
  /** Every segment is traced and drawn on the ladder diagram. */
  trace: boolean;
}

export type CapabilityName = keyof Capabilities;

export interface Availability {
  available: boolean;
  /** Why not, in words a learner understands ("no local server: start the site with npm start"). */
  reason?: string;
}

/** The terminal as a runner sees it: bytes out, keystrokes in, a size. */
export interface TerminalPort {
  write(text: string): void;
  onInput(listener: (data: string) => void): () => void;
  readonly cols: number;
  readonly rows: number;
  onResize?(listener: (size: { cols: number; rows: number }) => void): () => void;
}

export interface RunOptions {
  /** Environment of the program (PORT, PEER_PORT …). */
  env?: Record<string, string>;
  /** Stops the program after this long (real ms; virtual ms on sim). Default: the runner's (10 s on sim and WebContainer, 30 s on local). */
  timeoutMs?: number;
  /** Where the output goes while it runs. */
  terminal?: TerminalPort;
  /**
   * The exercise (id) whose practice peer plays the other side (src/grading/practice-peers.ts): for a
   * client exercise a server like the grader's (or an echo server) is listening on PEER_PORT first; for
   * a server exercise the runner says where the program listens. The runner prints what the peer does.
   */
  peer?: string;
  /** A second terminal: a shell on the machine the program runs on, while it runs (PORT … exported). */
  shell?: TerminalPort;
}

export interface RunResult {
  /** Exit status; null when the runner killed it. */
  exitCode: number | null;
  output: string;
  /** Set when the runner stopped the program. */
  stopped?: 'time' | 'output' | 'stopped';
  /** A one-line explanation to print (the stop reason, a boot failure …). */
  message?: string;
}

/** A running interactive process (a shell). */
export interface Session {
  /** Resolves when it ends. */
  readonly exited: Promise<number | null>;
  kill(): void;
}

export interface Runner {
  readonly kind: RunnerKind;
  readonly label: string;
  availability(): Promise<Availability>;
  /** Known after `prepare` (webcontainer measures them at boot). */
  capabilities(): Capabilities;
  /** Boots the backend (once) and writes the files of the workspace, paths relative to its root. */
  prepare(files: Record<string, string>): Promise<void>;
  /** An interactive shell on the terminal, when `capabilities().shell`. */
  startShell(terminal: TerminalPort): Promise<Session>;
  /** Runs `node <file>` to completion (or until stopped), streaming its output. */
  run(file: string, opts?: RunOptions): Promise<RunResult>;
  /** Runs the exercise's grader against the learner's program `file`. */
  grade(exerciseId: string, file: string): Promise<GradeResult>;
  /** Stops everything this runner started. */
  stop(): Promise<void>;
}

export const NO_CAPABILITIES: Capabilities = {
  halfClose: false,
  reset: false,
  localPort: false,
  selfConnect: false,
  realKernelStates: false,
  shell: false,
  processKill: false,
  trace: false,
};

/** Which of `needs` the runner lacks. */
export function missingCapabilities(caps: Capabilities, needs: readonly CapabilityName[]): CapabilityName[] {
  return needs.filter((n) => !caps[n]);
}

export const CAPABILITY_WORDS: Record<CapabilityName, string> = {
  halfClose: 'half-close (end() sends a FIN and keeps reading)',
  reset: 'RST on close with unread data / resetAndDestroy()',
  localPort: 'choosing the local port of a connection',
  selfConnect: 'self-connection',
  realKernelStates: "the real kernel's socket states in ss",
  shell: 'an interactive shell',
  processKill: 'killing another process',
  trace: 'the segment trace and ladder diagram',
};
