import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import type { Endpoint, Segment } from './types.ts';
import type { TcpOptionsModel } from './options.ts';
import { flagString, formatEndpoint } from './types.ts';
import { lookupListener } from './reuseport.ts';

/** One-way latency of the loopback interface: about what the ground-truth captures show (~20 µs). */
export const LOOPBACK_LATENCY_US = 20;

/** A simulated machine: its addresses and its socket tables (Linux's ehash, lhash and bhash). */
export interface Host {
  name: string;
  /** Its address on a simulated link (RFC 5737), besides 127.0.0.1. */
  ip: string | null;
  /** 4-tuple → socket, for every socket with a peer (SYN_SENT … TIME_WAIT). Key: connKey(local, remote). */
  conns: Map<string | number, Sock>;
  /** ip:port → listening socket. */
  listeners: Map<string, Sock>;
  /** port → sockets bound to it (for bind conflicts and ephemeral port choice). */
  bound: Map<number, Set<Sock>>;
  /** Per-destination offsets for connect()'s port choice (Linux table_perturb). */
  portPerturb: Map<string, number>;
}

export function createHost(name: string, ip: string | null): Host {
  return { name, ip, conns: new Map(), listeners: new Map(), bound: new Map(), portPerturb: new Map() };
}

/** The demultiplexing key of a 4-tuple: a number for the common 127.0.0.1 ↔ 127.0.0.1 case (cheap), else a string. */
export const connKey = (local: Endpoint, remote: Endpoint): string | number =>
  local.ip === '127.0.0.1' && remote.ip === '127.0.0.1' ? local.port * 65536 + remote.port : `${formatEndpoint(local)}>${formatEndpoint(remote)}`;

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.');
}

export function hostOwnsAddress(host: Host, ip: string): boolean {
  return isLoopback(ip) || ip === '0.0.0.0' || ip === host.ip;
}

/** A rule that makes the network lose segments: the next `count` segments a socket sends with these flags. */
export interface DropRule {
  sock: number | null;
  /** Matches every segment sent from this endpoint ("127.0.0.1:8080"): a rule on a listening socket covers the connections born from it (their SYN-ACKs). */
  source?: string | null;
  flags: string | null;
  /** Matches by direction instead of socket: "src>dst" endpoints. */
  direction: string | null;
  remaining: number;
  /** The socket a `drop all` rule was made for, so that `undrop` can lift it. */
  tag?: number;
}

/**
 * A remote peer on a wire (wire.ts attaches one): segments to its addresses are captured instead of delivered,
 * and connections to it carry TCP options (its `options` model).
 */
export interface WirePort {
  owns(ip: string): boolean;
  capture(seg: Segment): void;
  readonly options: TcpOptionsModel;
}

export interface Link {
  a: string;
  b: string;
  delayUs: number;
}

/**
 * Puts a segment on the wire: traced (dropped or not), then delivered after the link's latency.
 * A segment dropped by a rule appears in the trace (marked dropped), as the contract asks: the loss happens
 * after the wire, as on a real network (the truth executor drops on the receiving side's input hook, after
 * tcpdump has seen the packet, so the sender believes it was sent and retransmits it like a real loss).
 */
export function transmit(k: Kernel, from: Host, seg: Segment, sender: Sock | null): void {
  let rule: DropRule | undefined;
  if (k.dropRules.length > 0) {
    const flags = flagString(seg.flags);
    const direction = `${formatEndpoint(seg.src)}>${formatEndpoint(seg.dst)}`;
    rule = k.dropRules.find(
      (r) =>
        r.remaining > 0 &&
        (r.source ? r.source === formatEndpoint(seg.src) : r.sock === null || (sender !== null && r.sock === sender.id)) &&
        (r.flags === null || r.flags === flags) &&
        (r.direction === null || r.direction === direction),
    );
    if (rule) {
      rule.remaining--;
      k.dropRules = k.dropRules.filter((r) => r.remaining > 0);
    }
  }
  k.segmentsSent++;
  k.trace.segment(k.now(), seg, rule !== undefined, sender?.id ?? null);
  if (rule) return;
  if (k.wire?.owns(seg.dst.ip)) {
    k.wire.capture(seg);
    return;
  }
  const route = routeTo(k, from, seg.dst.ip);
  if (!route) return; // no such host: the segment is lost (connect() will time out)
  k.queue.schedule(k.now() + route.delayUs, 'deliver', () => deliver(k, route.host, seg));
}

function routeTo(k: Kernel, from: Host, ip: string): { host: Host; delayUs: number } | undefined {
  if (isLoopback(ip) || ip === from.ip) return { host: from, delayUs: LOOPBACK_LATENCY_US };
  const host = k.hosts.find((h) => h.ip === ip);
  if (!host) return undefined;
  const link = k.links.find((l) => (l.a === from.ip && l.b === ip) || (l.b === from.ip && l.a === ip));
  return { host, delayUs: link?.delayUs ?? 1000 };
}

/** Demultiplexing (Linux __inet_lookup_skb): established/timewait table first, then listeners. */
export function deliver(k: Kernel, host: Host, seg: Segment): void {
  const established = host.conns.get(connKey(seg.dst, seg.src));
  if (established) {
    k.input(established, seg);
    return;
  }
  const listener = lookupListener(k, host, seg.dst, seg.src);
  if (listener) {
    k.input(listener, seg);
    return;
  }
  // No socket: RFC 9293 §3.10.7.1 (CLOSED state) — Linux tcp_v4_send_reset(NULL, skb).
  sendResetFor(k, host, seg, null);
}

/**
 * A reset in answer to a segment (RFC 9293 §3.10.7.1; Linux tcp_v4_send_reset):
 * if it carried an ACK: <SEQ=SEG.ACK><CTL=RST>; otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 * Never answer a reset with a reset.
 */
export function sendResetFor(k: Kernel, host: Host, seg: Segment, sender: Sock | null): void {
  if (seg.flags.rst) return;
  const segLen = seg.data.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0);
  const reply: Segment = seg.flags.ack
    ? { src: seg.dst, dst: seg.src, seq: seg.ack, ack: 0, flags: { syn: false, ack: false, fin: false, rst: true, psh: false }, win: 0, data: new Uint8Array(0) }
    : { src: seg.dst, dst: seg.src, seq: 0, ack: seg.seq + segLen, flags: { syn: false, ack: true, fin: false, rst: true, psh: false }, win: 0, data: new Uint8Array(0) };
  transmit(k, host, reply, sender);
}
