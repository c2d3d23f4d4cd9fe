/**
 * The wire: a remote host that is not simulated by the kernel but played by a script (the packetdrill
 * interpreter, the lab's "Be the peer" mode). The kernel under test has one machine with an address on the
 * wire (packetdrill's 192.168.0.1); segments it sends to the remote address (192.0.2.1) are captured here,
 * in order and with their TCP options, and the script's segments are injected into the kernel's input path as
 * if they had just arrived. Connections over the wire negotiate TCP options as Linux does (options.ts).
 */
import type { Kernel } from './kernel.ts';
import { deliver, type Host, type WirePort } from './network.ts';
import { tcpOptionsModel, type TcpOption } from './options.ts';
import type { Endpoint, Segment, SegmentFlags } from './types.ts';

/** packetdrill's default addresses: the machine under test and the remote peer. */
export const WIRE_LOCAL_IP = '192.168.0.1';
export const WIRE_REMOTE_IP = '192.0.2.1';

export interface CapturedSegment {
  /** Virtual time (µs) the kernel sent it. */
  t: number;
  seg: Segment;
}

export interface WireOptions {
  localIp?: string;
  remoteIp?: string;
  /** Name of the machine under test (its processes are spawned on this host). */
  hostName?: string;
}

export class Wire implements WirePort {
  readonly options = tcpOptionsModel;
  readonly host: Host;
  readonly localIp: string;
  readonly remoteIp: string;
  /** Every segment the kernel sent to the remote peer, oldest first. */
  readonly captured: CapturedSegment[] = [];
  private readonly k: Kernel;
  private readonly listeners = new Set<(c: CapturedSegment) => void>();

  constructor(k: Kernel, opts: WireOptions = {}) {
    this.k = k;
    this.localIp = opts.localIp ?? WIRE_LOCAL_IP;
    this.remoteIp = opts.remoteIp ?? WIRE_REMOTE_IP;
    this.host = k.addHost(opts.hostName ?? 'host', this.localIp);
  }

  owns(ip: string): boolean {
    return ip === this.remoteIp;
  }

  capture(seg: Segment): void {
    const c = { t: this.k.now(), seg };
    this.captured.push(c);
    for (const l of this.listeners) l(c);
  }

  /** Calls `listener` for every segment captured from now on; returns the unsubscribe function. */
  onCapture(listener: (c: CapturedSegment) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The remote peer sends a segment: traced like any other, then processed by the kernel at once. */
  inject(seg: Segment): void {
    this.k.segmentsSent++;
    this.k.trace.segment(this.k.now(), seg, false, null);
    deliver(this.k, this.host, seg);
  }
}

/** Attaches a wire to a kernel (one per kernel). */
export function attachWire(k: Kernel, opts: WireOptions = {}): Wire {
  if (k.wire) throw new Error('this kernel already has a wire');
  const wire = new Wire(k, opts);
  k.wire = wire;
  return wire;
}

/** A segment from the remote peer, for Wire.inject(). */
export function remoteSegment(from: Endpoint, to: Endpoint, f: Partial<SegmentFlags>, seq: number, ack: number, win: number, data: Uint8Array, options: readonly TcpOption[]): Segment {
  return {
    src: from,
    dst: to,
    seq,
    ack,
    flags: { syn: !!f.syn, ack: !!f.ack, fin: !!f.fin, rst: !!f.rst, psh: !!f.psh },
    win,
    data,
    ...(options.length > 0 ? { options } : {}),
  };
}

/** tcpdump's rendering of TCP options: `mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7`, `sack 1 {101:102}`. */
export function formatTcpOptions(options: readonly TcpOption[]): string {
  return options
    .map((o) => {
      switch (o.kind) {
        case 'mss':
        case 'wscale':
          return `${o.kind} ${o.value}`;
        case 'ts':
          return `TS val ${o.val} ecr ${o.ecr}`;
        case 'sack':
          return `sack ${o.blocks.length} ${o.blocks.map(([a, b]) => `{${a}:${b}}`).join('')}`;
        default:
          return o.kind;
      }
    })
    .join(',');
}
