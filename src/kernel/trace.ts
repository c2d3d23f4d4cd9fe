import type { Segment, TcpState } from './types.ts';
import type { TcpOption } from './options.ts';
import { flagString, formatEndpoint } from './types.ts';

/** A segment as traced: addresses as "ip:port", flags in tcpdump notation, seq/ack relative and absolute. */
export interface SegmentEvent {
  kind: 'segment';
  /** Virtual time in microseconds. */
  t: number;
  src: string;
  dst: string;
  flags: string;
  /** Relative to the sender's ISN (and ack to the receiver's), as tcpdump prints them without -S. */
  seq: number;
  ack: number;
  absSeq: number;
  absAck: number;
  len: number;
  win: number;
  dropped: boolean;
  /** The socket that sent it (absent for a reset sent on behalf of no socket). */
  from: number | null;
  payload: Uint8Array;
  /** TCP options, on connections that carry them (the wire). */
  options?: readonly TcpOption[];
}

export interface StateEvent {
  kind: 'state';
  t: number;
  sock: number;
  from: TcpState;
  to: TcpState;
  reason: string;
}

export interface CallEvent {
  kind: 'call';
  t: number;
  pid: number;
  proc: string;
  call: string;
  result: string;
  /** The socket the call was made on, when there is one. */
  sock?: number;
}

export type TraceEvent = SegmentEvent | StateEvent | CallEvent;
export type TraceListener = (event: TraceEvent) => void;

const MOD = 2 ** 32;

/**
 * Records every event and hands it to live listeners. Relative sequence numbers follow the ISN of the
 * latest SYN seen in each direction of an address pair (the SYN is where tcpdump learns them too).
 */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  private listeners = new Set<TraceListener>();
  private bases = new Map<string, number>();
  /** Keep events in memory (true) or only stream them to listeners (false, for benchmarks). */
  keep = true;

  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: TraceEvent): void {
    if (this.keep) this.events.push(e);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener's bug must never break the kernel */
      }
    }
  }

  /** Nobody would see an event: the kernel skips building it (benchmarks, headless worlds). */
  get silent(): boolean {
    return !this.keep && this.listeners.size === 0;
  }

  segment(t: number, seg: Segment, dropped: boolean, from: number | null): void {
    if (this.silent) return;
    const src = formatEndpoint(seg.src);
    const dst = formatEndpoint(seg.dst);
    if (seg.flags.syn) this.bases.set(`${src}>${dst}`, seg.seq);
    const seqBase = this.bases.get(`${src}>${dst}`);
    const ackBase = this.bases.get(`${dst}>${src}`);
    const absSeq = seg.seq % MOD;
    const absAck = seg.flags.ack ? seg.ack % MOD : 0;
    const event: SegmentEvent = {
      kind: 'segment',
      t,
      src,
      dst,
      flags: flagString(seg.flags),
      seq: seqBase === undefined ? absSeq : (((seg.seq - seqBase) % MOD) + MOD) % MOD,
      ack: !seg.flags.ack ? 0 : ackBase === undefined ? absAck : (((seg.ack - ackBase) % MOD) + MOD) % MOD,
      absSeq,
      absAck,
      len: seg.data.length,
      win: seg.win,
      dropped,
      from,
      payload: seg.data,
    };
    if (seg.options) event.options = seg.options;
    this.emit(event);
  }

  state(t: number, sock: number, from: TcpState, to: TcpState, reason: string): void {
    if (this.silent) return;
    this.emit({ kind: 'state', t, sock, from, to, reason });
  }

  call(t: number, pid: number, proc: string, call: string, result: string, sock?: number): void {
    if (this.silent) return;
    this.emit(sock === undefined ? { kind: 'call', t, pid, proc, call, result } : { kind: 'call', t, pid, proc, call, result, sock });
  }
}
