/**
 * What an acceptable ACK tells the timers (Linux tcp_ack()): the peer is alive — the keepalive idle time and
 * icsk_probes_out start again, and a window probe may be over (tcp_ack_probe) — and, when it acknowledges new
 * data, the retransmission episode is over (retrans_stamp).
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
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
