/**
 * What an executor saw while it ran a script: every outbound packet (the kernel's), and per event what
 * happened (the packet a `>` line took, the result of a call…). Both executors — the simulated kernel
 * (sim-driver.ts) and real Linux (scripts/truth/pkt_exec.py) — produce this shape; one judge (judge.ts)
 * turns it into the verdict, so the two can only disagree about what the kernels did.
 */
import type { TcpOptionSpec } from './ast.ts';

/** A TCP segment on the wire, absolute numbers (mod 2^32), time in µs since the script started. */
export interface WirePacket {
  t: number;
  srcPort: number;
  dstPort: number;
  /** tcpdump's notation, letters in the order S F R P, then "." (as the parser normalises). */
  flags: string;
  seq: number;
  ack: number;
  win: number;
  len: number;
  options: TcpOptionSpec[];
}

export type EventRecord =
  /** A `>` line: the index (in `outbound`) of the packet it took, or null when none came in time. */
  | { line: number; kind: 'out'; packet: number | null }
  /** A `<` line: the packet injected. */
  | { line: number; kind: 'in'; t: number; packet: WirePacket }
  /**
   * A system call: when it started and returned (null: never returned), its result (-1 with an errno on
   * failure), SO_ERROR's value, and a note when the executor could not do what the script asked.
   */
  | { line: number; kind: 'call'; start: number; end: number | null; result: number | null; errno: string | null; value?: string | number; note?: string }
  /** A backtick command: null, or why it failed. */
  | { line: number; kind: 'command'; t: number; error: string | null };

export interface Observation {
  /** One record per event the executor reached, in script order. */
  records: EventRecord[];
  /** Every segment the kernel sent to the remote peer, in order. */
  outbound: WirePacket[];
  /** When the run ended (µs). */
  end: number;
  /** A failure of the executor itself (it could not set up or go on), not of the kernel. */
  error: string | null;
}
