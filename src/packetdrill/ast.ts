/**
 * The packetdrill script as data: what parse.ts produces and every executor (the simulated kernel here, real
 * Linux in scripts/truth/pkt_exec.py) reads. Plain JSON-able objects, times in microseconds, sequence
 * numbers as the script writes them (relative; see README.md for how they map onto the wire).
 */

/** A time written in a script: `0.1` (absolute, from the script's start) or `+0.1` (after the previous event). */
export interface TimePoint {
  relative: boolean;
  us: number;
}

/**
 * When an event happens: at a point, at any time (`*`), within a range (`0.1~0.2`, `+0~+0.04`), or — for a
 * system call that blocks — starting at one point and returning at another (`+0...0.1`).
 */
export type EventTime =
  | { kind: 'at'; at: TimePoint }
  | { kind: 'any' }
  | { kind: 'range'; from: TimePoint; to: TimePoint }
  | { kind: 'blocking'; at: TimePoint; end: TimePoint };

export type TcpOptionSpec =
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; value: number }
  | { kind: 'sackOK' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'ts'; val: number; ecr: number };

export interface PacketSpec {
  /** `<` the remote peer injects it; `>` the kernel under test must send it. */
  direction: 'in' | 'out';
  /** tcpdump's notation, normalised: S, S., ., P., F., FP., R, R. (letters in the order S F R P, then "."). */
  flags: string;
  seq: number;
  len: number;
  /** Present exactly when the flags have ACK ("."). */
  ack: number | null;
  /** The raw window field; null when not written (outbound: not checked; inbound: a default, see README). */
  win: number | null;
  /** null for `<...>` on an outbound packet: options are not checked. An empty list means "no options". */
  options: TcpOptionSpec[] | null;
}

/** An argument of a system call, as written. */
export type Expr =
  | { kind: 'ellipsis' }
  | { kind: 'int'; value: number }
  | { kind: 'word'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'array'; items: Expr[] }
  | { kind: 'struct'; fields: Record<string, Expr> };

export type SockOptName =
  | 'SO_REUSEADDR'
  | 'SO_LINGER'
  | 'SO_KEEPALIVE'
  | 'SO_REUSEPORT'
  | 'TCP_LINGER2'
  | 'TCP_USER_TIMEOUT'
  | 'TCP_KEEPIDLE'
  | 'TCP_KEEPINTVL'
  | 'TCP_KEEPCNT'
  | 'TCP_NODELAY';

/** A system call, checked and reduced to what an executor needs. `fd` is the script's descriptor number. */
export type Syscall =
  | { name: 'socket' }
  | { name: 'bind'; fd: number }
  | { name: 'listen'; fd: number; backlog: number }
  | { name: 'accept'; fd: number }
  | { name: 'connect'; fd: number }
  | { name: 'setsockopt'; fd: number; level: 'SOL_SOCKET' | 'IPPROTO_TCP'; option: SockOptName; value: number | { onoff: number; linger: number } }
  | { name: 'getsockopt'; fd: number; option: 'SO_ERROR' }
  | { name: 'fcntl'; fd: number; cmd: 'F_SETFL'; nonblock: boolean }
  | { name: 'fcntl'; fd: number; cmd: 'F_GETFL' }
  | { name: 'read' | 'recv'; fd: number; count: number }
  | { name: 'write' | 'send'; fd: number; count: number }
  | { name: 'shutdown'; fd: number; how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR' }
  | { name: 'close'; fd: number };

export interface CallSpec {
  call: Syscall;
  /** The expected return value (-1 with an errno for a failure). */
  result: number;
  errno: string | null;
  /** For getsockopt(SO_ERROR): the errno name expected in the value ([ECONNRESET]); 0 for none. */
  value?: string | number;
}

/**
 * A backtick line: a sysctl the simulated kernel models, or anything else (which it reports as not supported);
 * or packetdrill's inline Python (`%{ assert tcpi_state == … }%`), kept so that it is reported, not refused as
 * unreadable.
 */
export type CommandSpec =
  | { kind: 'sysctl'; settings: Array<{ key: string; value: string }> }
  | { kind: 'unsupported'; text: string }
  | { kind: 'python'; text: string };

interface EventBase {
  /** 1-based line in the script. */
  line: number;
  time: EventTime;
  /** The line's text (comments removed), for messages. */
  text: string;
}

export type PktEvent =
  | (EventBase & { kind: 'packet'; packet: PacketSpec })
  | (EventBase & { kind: 'call'; spec: CallSpec })
  | (EventBase & { kind: 'command'; command: CommandSpec });

export interface PktScript {
  file: string;
  /** `--tolerance_usecs=N` (default 4000, as packetdrill). */
  toleranceUs: number;
  events: PktEvent[];
}

export const DEFAULT_TOLERANCE_US = 4000;

/** A script that cannot be parsed: the message is `FILE:LINE: message`. */
export class PktSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly detail: string;
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'PktSyntaxError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}
