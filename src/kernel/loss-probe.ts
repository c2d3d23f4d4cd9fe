/**
 * Tail loss probe (RFC 8985 §7; Linux tcp_schedule_loss_probe() / tcp_send_loss_probe()). When the last
 * segments of a flight are lost, no duplicate ACK will ever reveal it; so a connection that is not recovering
 * from a loss arms, instead of its RTO, a probe timer of 2·SRTT — plus TCP_RTO_MIN when a single segment is in
 * flight (its ACK may be delayed), plus 2 ms otherwise — never later than the RTO. When it fires, the last
 * segment is sent again and the full RTO restarts from now, without backing off or counting a retransmission.
 * On loopback that makes the first resend of a lone segment come after about 200 ms, and of a segment with
 * others unacknowledged before it after a few milliseconds.
 */
import type { Kernel } from './kernel.ts';
import type { Sock, Tcb } from './sock.ts';
import { probeWithNewData, retransmitTail } from './output.ts';
import { armRetransmit, JIFFY_US, stopRetransmit, TCP_RTO_MIN_US } from './timers.ts';

/** TCP_TIMEOUT_MIN_US: what a probe waits beyond 2·SRTT when several segments are in flight. */
const TCP_TIMEOUT_MIN_US = 2_000;

/** Records a transmission of new sequence space (an skb entering the retransmission queue). */
export function noteSent(tcb: Tcb, end: number, at: number): void {
  const last = tcb.inFlight[tcb.inFlight.length - 1];
  if (!last || end > last.end) tcb.inFlight.push({ end, at });
}

/** Drops what the peer acknowledged. */
export function pruneAcked(tcb: Tcb): void {
  while (tcb.inFlight.length > 0 && tcb.inFlight[0]!.end <= tcb.sndUna) tcb.inFlight.shift();
}

/** tcp_schedule_loss_probe()'s conditions: synchronized, an RTT known, not in loss recovery, data in flight. */
function probeAllowed(sock: Sock): boolean {
  const tcb = sock.tcb!;
  const synchronized = sock.state !== 'SYN_SENT' && sock.state !== 'SYN_RECV';
  return synchronized && tcb.srtt !== null && tcb.lossHighSeq === null && tcb.sndUna < tcb.sndNxt;
}

/**
 * Arms the retransmission timer after sending new data or after an ACK that left data in flight: as a loss
 * probe when allowed (capped by when the head's RTO would fire), else as the RTO.
 */
export function armAfterTransmit(k: Kernel, sock: Sock, afterAck: boolean): void {
  const tcb = sock.tcb;
  if (!tcb || tcb.sndUna >= tcb.sndNxt) return;
  if (!probeAllowed(sock)) {
    armRetransmit(k, sock);
    return;
  }
  const packets = Math.max(1, tcb.inFlight.length);
  // usecs_to_jiffies() rounds up to whole ticks.
  const pto = Math.ceil((2 * tcb.srtt! + (packets === 1 ? TCP_RTO_MIN_US : TCP_TIMEOUT_MIN_US)) / JIFFY_US) * JIFFY_US;
  const head = tcb.inFlight[0];
  const rtoLeft = afterAck || !head ? tcb.rto : tcb.rto - (k.now() - head.at);
  stopRetransmit(sock);
  armRetransmit(k, sock, Math.max(1, Math.min(pto, rtoLeft)));
  tcb.timerIsProbe = true;
}

/**
 * tcp_send_loss_probe(): new data that Nagle was holding goes out as the probe if there is any, else the last
 * segment is sent again (at most one probe outstanding); then the full RTO restarts.
 */
export function sendLossProbe(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb!;
  if (tcb.tlpHighSeq === null && probeWithNewData(k, sock)) {
    tcb.tlpHighSeq = tcb.sndNxt;
    stopRetransmit(sock);
    armRetransmit(k, sock);
    return;
  }
  if (tcb.tlpHighSeq === null) {
    retransmitTail(k, sock, tcb.inFlight.length > 1 ? tcb.inFlight[tcb.inFlight.length - 2]!.end : tcb.sndUna);
    tcb.tlpHighSeq = tcb.sndNxt;
    tcb.rttSample = null; // Karn: no RTT sample from a resent segment
  }
  armRetransmit(k, sock);
}
