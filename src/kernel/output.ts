import type { Kernel } from './kernel.ts';
import type { Sock, Tcb } from './sock.ts';
import { transmit } from './network.ts';
import { armRetransmit } from './timers.ts';
import { armAfterTransmit, noteSent } from './loss-probe.ts';
import { checkProbeTimer } from './persist.ts';
import type { Segment, SegmentFlags } from './types.ts';

/** Loopback MSS (MTU 65536 − 40 − 12 bytes of timestamp option) as Linux advertises it. */
export const MSS = 65483;
/** Receive space behind the advertised window. // DIVERGENCE: fixed, no receive-buffer autotuning. */
export const RCV_SPACE = 65536;
/** Window scale Linux negotiates on loopback in the ground truth (wscale:10,10). */
export const WSCALE = 10;
/** Windows Linux puts in the SYN and SYN-ACK on loopback (unscaled). */
export const SYN_WIN = 65495;
export const SYNACK_WIN = 65483;
/** Send buffer: send() accepts this much unacknowledged data before it would block. */
export const SNDBUF = 262144;

export const NO_DATA = new Uint8Array(0);

const cache = new Map<number, SegmentFlags>();

/** Flag sets are immutable and shared (one object per combination), so sending allocates none. */
export function flags(spec: Partial<SegmentFlags>): SegmentFlags {
  const key = (spec.syn ? 1 : 0) | (spec.ack ? 2 : 0) | (spec.fin ? 4 : 0) | (spec.rst ? 8 : 0) | (spec.psh ? 16 : 0);
  let f = cache.get(key);
  if (!f) {
    f = Object.freeze({ syn: false, ack: false, fin: false, rst: false, psh: false, ...spec });
    cache.set(key, f);
  }
  return f;
}

/** First sequence number of the bytes held in the send buffer. */
export function sendBufStart(tcb: Tcb): number {
  return tcb.writeSeq - tcb.sendBuf.length;
}

/** The raw window field we advertise (scaled by 2^WSCALE after the handshake). */
export function advertisedWindow(tcb: Tcb): number {
  const free = Math.max(0, RCV_SPACE - tcb.recvBuf.length);
  return Math.ceil(free / 2 ** WSCALE);
}

/**
 * How many bytes beyond RCV.NXT we accept: the free space, or what we already promised if that is more — the
 * advertised window is rounded up to the scale unit and must not shrink (RFC 9293 §3.8.6.2.2).
 * // DIVERGENCE: Linux rounds the window down and keeps spare buffer space; the model rounds up and honours it.
 */
export function receiveRoom(tcb: Tcb): number {
  return Math.max(0, RCV_SPACE - tcb.recvBuf.length, tcb.rcvWndEnd - tcb.rcvNxt);
}

/**
 * Builds and transmits one segment from a socket. Every segment with ACK carries rcv_nxt and cancels a
 * pending delayed ACK (Linux tcp_event_ack_sent); data counts towards ping-pong mode (tcp_event_data_sent).
 */
export function sendSegment(k: Kernel, sock: Sock, f: SegmentFlags, seq: number, data: Uint8Array = NO_DATA): void {
  const tcb = sock.tcb;
  if (!tcb || !sock.local || !sock.remote) return;
  const win = f.rst ? 0 : f.syn && !f.ack ? SYN_WIN : f.syn ? SYNACK_WIN : advertisedWindow(tcb);
  const seg: Segment = { src: sock.local, dst: sock.remote, seq, ack: f.ack ? tcb.rcvNxt : 0, flags: f, win, data };
  if (tcb.opt) k.wire?.options.outgoing(k, sock, seg);
  // The right edge we promised (loopback; the wire keeps its own, options.ts rightEdge): it never moves back.
  else if (f.ack && !f.syn && !f.rst) tcb.rcvWndEnd = Math.max(tcb.rcvWndEnd, tcb.rcvNxt + win * 2 ** WSCALE);
  if (f.ack) {
    tcb.ackPending = false;
    if (tcb.delackTimer) {
      tcb.delackTimer.cancelled = true;
      tcb.delackTimer = null;
    }
    if (tcb.quick > 0) tcb.quick--;
  }
  // Linux tcp_event_data_sent(): a reply within ato of the last received data means ping-pong traffic.
  if (data.length > 0 && tcb.ato > 0 && k.now() - tcb.lastRcvAt < tcb.ato) tcb.pingpong = true;
  if (data.length > 0) tcb.lastSentAt = k.now(); // lsndtime
  transmit(k, sock.host, seg, sock);
}

export function sendAck(k: Kernel, sock: Sock): void {
  if (!sock.tcb) return;
  sendSegment(k, sock, flags({ ack: true }), sock.tcb.sndNxt);
}

/** RFC 9293 §3.10.4 ABORT / Linux tcp_send_active_reset(): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>. */
export function sendActiveReset(k: Kernel, sock: Sock): void {
  if (!sock.tcb) return;
  sendSegment(k, sock, flags({ rst: true, ack: true }), sock.tcb.sndNxt);
}

export function sendSyn(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb!;
  tcb.synSentAt ??= k.now();
  sendSegment(k, sock, flags({ syn: true }), tcb.iss);
  tcb.sndNxt = Math.max(tcb.sndNxt, tcb.iss + 1);
  tcb.sndMax = Math.max(tcb.sndMax, tcb.sndNxt);
  armRetransmit(k, sock);
}

export function sendSynAck(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb!;
  sendSegment(k, sock, flags({ syn: true, ack: true }), tcb.iss);
  tcb.sndNxt = Math.max(tcb.sndNxt, tcb.iss + 1);
  tcb.sndMax = Math.max(tcb.sndMax, tcb.sndNxt);
  armRetransmit(k, sock);
}

/** States in which new data and our FIN may go out. */
function canSend(sock: Sock): boolean {
  return sock.state === 'ESTABLISHED' || sock.state === 'CLOSE_WAIT' || sock.state === 'FIN_WAIT_1' || sock.state === 'CLOSING' || sock.state === 'LAST_ACK';
}

/**
 * Sends what the window allows (Linux tcp_write_xmit): data in MSS-sized segments, PSH on the last one,
 * then the FIN — on the last data segment when both go out together (FP.), else on its own (F.).
 * Nagle's algorithm as Linux has it (tcp_nagle_test, with Minshall's rule): the last segment, if smaller than
 * the MSS and without the FIN, waits while an earlier small segment is unacknowledged — unless TCP_NODELAY is
 * set or `nagleOff` (a loss probe may send it; a close() sends it with the FIN on it).
 * // DIVERGENCE: no autocorking, no congestion window: what Nagle lets go leaves at once if the peer's
 * window has room.
 */
export function tcpOutput(k: Kernel, sock: Sock, nagleOff = false): void {
  const tcb = sock.tcb;
  if (!tcb || !canSend(sock)) return;
  const windowEnd = tcb.sndUna + tcb.sndWnd;
  const mss = tcb.opt ? tcb.opt.sndMss : MSS;
  const before = tcb.sndNxt;
  let sent = false;
  while (tcb.sndNxt < tcb.writeSeq) {
    const len = Math.min(mss, tcb.writeSeq - tcb.sndNxt, windowEnd - tcb.sndNxt);
    if (len <= 0) break; // window closed
    const data = tcb.sendBuf.peek(tcb.sndNxt - sendBufStart(tcb), len);
    const last = tcb.sndNxt + len === tcb.writeSeq;
    // The FIN occupies sequence space too: it rides on the last data only if the window has room for it.
    const withFin = last && tcb.finQueued && tcb.finSeq === null && tcb.sndNxt + len < windowEnd;
    const small = len < mss;
    // tcp_nagle_check() + tcp_minshall_check(): a small tail waits for the ACK of the previous small segment.
    if (last && small && !withFin && !nagleOff && !sock.opt.noDelay && tcb.sndUna < tcb.sndNxt && tcb.sndSml > tcb.sndUna && tcb.sndSml <= tcb.sndNxt) break;
    const seq = tcb.sndNxt;
    if (withFin) tcb.finSeq = seq + len;
    tcb.sndNxt = seq + len + (withFin ? 1 : 0);
    if (seq <= tcb.sndUna) tcb.headSentAt = k.now();
    tcb.tailSeq = seq;
    sendSegment(k, sock, flags({ ack: true, psh: last, fin: withFin }), seq, data);
    noteSent(tcb, tcb.sndNxt, k.now());
    if (small) tcb.sndSml = seq + len; // tcp_minshall_update()
    sent = true;
  }
  // Linux tcp_snd_wnd_test(): a lone FIN waits for a window of at least one byte, like data.
  if (tcb.finQueued && tcb.finSeq === null && tcb.sndNxt === tcb.writeSeq && tcb.sndNxt < windowEnd) {
    tcb.finSeq = tcb.sndNxt;
    tcb.sndNxt += 1;
    if (tcb.finSeq <= tcb.sndUna) tcb.headSentAt = k.now();
    tcb.tailSeq = tcb.finSeq;
    sendSegment(k, sock, flags({ fin: true, ack: true }), tcb.finSeq);
    noteSent(tcb, tcb.sndNxt, k.now());
    sent = true;
  }
  if (sent) {
    tcb.sndMax = Math.max(tcb.sndMax, tcb.sndNxt);
    if (!tcb.rttSample) tcb.rttSample = { seq: tcb.sndNxt, at: k.now() };
    // A loss probe or the RTO: on the wire by the peer's SACK choice (options.ts), on loopback always (loss-probe.ts).
    if (tcb.opt) {
      armRetransmit(k, sock);
      k.wire?.options.lossProbe(k, sock, false);
    } else armAfterTransmit(k, sock, false);
  }
  if (tcb.sndNxt === before) checkProbeTimer(k, sock);
}

/**
 * The first choice of a loss probe (tcp_send_loss_probe → tcp_write_xmit with TCP_NAGLE_OFF): new data that
 * Nagle was holding back, if the window lets any go. True when something was sent.
 */
export function probeWithNewData(k: Kernel, sock: Sock): boolean {
  const tcb = sock.tcb!;
  if (tcb.sndNxt >= tcb.writeSeq) return false;
  const before = tcb.sndNxt;
  tcpOutput(k, sock, true);
  return tcb.sndNxt > before;
}

/**
 * Linux tcp_send_loss_probe(): resends the last segment sent (data, FIN or both), so that its ACK — or a SACK
 * of it — reveals a loss at the tail without waiting for a full retransmission timeout.
 */
export function retransmitTail(k: Kernel, sock: Sock, from: number): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  const dataEnd = Math.min(tcb.sndNxt, tcb.writeSeq);
  const dataStart = Math.max(tcb.sndUna, from, dataEnd - MSS);
  if (dataStart < dataEnd) {
    const data = tcb.sendBuf.peek(dataStart - sendBufStart(tcb), dataEnd - dataStart);
    sendSegment(k, sock, flags({ ack: true, psh: true, fin: tcb.finSeq === dataEnd }), dataStart, data);
    return;
  }
  if (tcb.finSeq !== null && tcb.sndUna <= tcb.finSeq) sendSegment(k, sock, flags({ fin: true, ack: true }), tcb.finSeq);
}

/** Retransmits the oldest unacknowledged segment (Linux tcp_retransmit_skb of the write-queue head). */
export function retransmitHead(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  if (sock.state === 'SYN_SENT') {
    sendSegment(k, sock, flags({ syn: true }), tcb.iss);
    return;
  }
  if (sock.state === 'SYN_RECV') {
    sendSegment(k, sock, flags({ syn: true, ack: true }), tcb.iss);
    return;
  }
  if (tcb.sndUna < Math.min(tcb.sndNxt, tcb.writeSeq)) {
    const len = Math.min(tcb.opt ? tcb.opt.sndMss : MSS, Math.min(tcb.sndNxt, tcb.writeSeq) - tcb.sndUna);
    const data = tcb.sendBuf.peek(tcb.sndUna - sendBufStart(tcb), len);
    const withFin = tcb.finSeq === tcb.sndUna + len;
    tcb.headSentAt = k.now();
    sendSegment(k, sock, flags({ ack: true, psh: true, fin: withFin }), tcb.sndUna, data);
    return;
  }
  if (tcb.finSeq !== null && tcb.sndUna <= tcb.finSeq) {
    tcb.headSentAt = k.now();
    sendSegment(k, sock, flags({ fin: true, ack: true }), tcb.finSeq);
  }
}
