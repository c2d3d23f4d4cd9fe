/**
 * What an acceptable ACK tells the timers (Linux tcp_ack()): the peer is alive — the keepalive idle time and
 * icsk_probes_out start again, and a window probe may be over (tcp_ack_probe) — and, when it acknowledges new
 * data, the retransmission episode is over (retrans_stamp).
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import type { Segment } from './types.ts';
import { ackProbe } from './persist.ts';
import { pruneAcked } from './loss-probe.ts';

export function ackReceived(k: Kernel, sock: Sock, advanced: boolean): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  tcb.lastHeardAt = k.now();
  tcb.probesOut = 0;
  if (advanced) {
    pruneAcked(tcb);
    tcb.retransStamp = null;
    if (tcb.tlpHighSeq !== null && tcb.sndUna >= tcb.tlpHighSeq) tcb.tlpHighSeq = null; // tcp_process_tlp_ack
    if (tcb.lossHighSeq !== null && tcb.sndUna >= tcb.lossHighSeq) tcb.lossHighSeq = null; // recovery over
  }
  ackProbe(k, sock);
}

/**
 * Linux tcp_oow_rate_limited(): an ACK in answer to an out-of-window segment without data (a keepalive or window
 * probe, a stray ACK or SYN) goes at most once per net.ipv4.tcp_invalid_ratelimit (500 ms), so that two stacks
 * cannot ping-pong ACKs for ever. Returns true when this answer must be skipped.
 */
export function oowRateLimited(k: Kernel, sock: Sock, seg: Segment): boolean {
  const tcb = sock.tcb;
  if (!tcb) return false;
  if (seg.data.length > 0 || (seg.flags.fin && !seg.flags.syn)) return false; // data packets are not ACK loops
  const limit = k.sysctl.int('net.ipv4.tcp_invalid_ratelimit') * 1000;
  const last = tcb.lastOowAckAt;
  if (last !== null && k.now() - last >= 0 && k.now() - last < limit) return true;
  tcb.lastOowAckAt = k.now();
  return false;
}
