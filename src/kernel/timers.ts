import type { Kernel } from './kernel.ts';
import type { Sock, SockTimerName } from './sock.ts';
import { retransmitHead, sendAck, sendActiveReset } from './output.ts';
import { sendLossProbe } from './loss-probe.ts';
import { tcpDone } from './close.ts';
import { tooManyOrphans } from './orphans.ts';

export const TCP_TIMEOUT_INIT_US = 1_000_000; // RFC 6298 §2.1: initial RTO of 1 s
export const TCP_RTO_MIN_US = 200_000; // Linux TCP_RTO_MIN
export const TCP_RTO_MAX_US = 120_000_000; // Linux TCP_RTO_MAX
export const TCP_TIMEWAIT_LEN_US = 60_000_000; // Linux TCP_TIMEWAIT_LEN: not a sysctl
export const TCP_ATO_MIN_US = 40_000; // Linux TCP_ATO_MIN (HZ/25)
/**
 * A delayed ACK scheduled before any data arrived (icsk_ack.ato == 0) fires on the next timer tick:
 * 2.7–3.1 ms in the ground truth (HZ=250). // DIVERGENCE: a fixed 3 ms instead of jiffy alignment.
 */
export const DELACK_NO_DATA_US = 3_000;

/** Arms the retransmission timer if something is in flight and it is not running (RFC 6298 §5.1). */
export function armRetransmit(k: Kernel, sock: Sock, afterUs?: number): void {
  const tcb = sock.tcb;
  if (!tcb || tcb.retransTimer || tcb.sndUna >= tcb.sndNxt) return;
  if (tcb.probeTimer) {
    // One icsk timer: data in flight replaces the persist timer.
    tcb.probeTimer.cancelled = true;
    tcb.probeTimer = null;
  }
  tcb.timerIsProbe = false;
  tcb.retransTimer = k.queue.schedule(k.now() + (afterUs ?? tcb.rto), 'retransmit', () => onRetransmitTimer(k, sock));
}

/**
 * Linux TCP_TIMEOUT_MIN: two ticks (8 ms at HZ=250), the soonest a SYN_SENT socket resends its SYN after an
 * unacceptable ACK. // DIVERGENCE: a fixed 8 ms; on Linux it ends on a tick, 4–8 ms later (9.3 ms measured).
 */
export const TCP_TIMEOUT_MIN_US = 8_000;

/** Restarts the retransmission timer to expire `afterUs` from now (Linux inet_csk_reset_xmit_timer). */
export function rearmRetransmit(k: Kernel, sock: Sock, afterUs: number): void {
  const tcb = sock.tcb;
  if (!tcb || tcb.sndUna >= tcb.sndNxt) return;
  stopRetransmit(sock);
  tcb.retransTimer = k.queue.schedule(k.now() + afterUs, 'retransmit', () => onRetransmitTimer(k, sock));
}

export function stopRetransmit(sock: Sock): void {
  const tcb = sock.tcb;
  if (tcb?.retransTimer) {
    tcb.retransTimer.cancelled = true;
    tcb.retransTimer = null;
  }
  if (tcb) tcb.probePending = false;
}

/** Arms the retransmission timer to fire `us` from now, replacing any pending one (the tail loss probe's fallback). */
export function armRetransmitAfter(k: Kernel, sock: Sock, us: number): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  stopRetransmit(sock);
  tcb.retransTimer = k.queue.schedule(k.now() + us, 'retransmit', () => onRetransmitTimer(k, sock));
}

/**
 * RFC 6298 §2.2–2.3 with Linux's floor: RTO = SRTT + max(200 ms, 4·RTTVAR), in whole jiffies rounded up
 * (__tcp_set_rto, usecs_to_jiffies): 204 ms on loopback at HZ=250, as `ss -i` shows (rto:204).
 */
export function sampleRtt(sock: Sock, rttUs: number): void {
  const tcb = sock.tcb!;
  if (tcb.srtt === null) {
    tcb.srtt = rttUs;
    tcb.rttvar = rttUs / 2;
  } else {
    tcb.rttvar = 0.75 * tcb.rttvar + 0.25 * Math.abs(tcb.srtt - rttUs);
    tcb.srtt = 0.875 * tcb.srtt + 0.125 * rttUs;
  }
  tcb.rto = Math.min(TCP_RTO_MAX_US, Math.ceil((tcb.srtt + Math.max(TCP_RTO_MIN_US, 4 * tcb.rttvar)) / JIFFY_US) * JIFFY_US);
}

/**
 * Linux tcp_orphan_retries(): net.ipv4.tcp_orphan_retries, where 0 means 8 while the socket is "alive" (its
 * back-off has not reached TCP_RTO_MAX) and 0 once it has.
 */
export function orphanRetries(k: Kernel, alive: boolean): number {
  const r = k.sysctl.int('net.ipv4.tcp_orphan_retries');
  return r === 0 && alive ? 8 : r;
}

/** Linux tcp_write_err(): give up on the connection; the program sees ETIMEDOUT. No RST is sent. */
export function writeErr(k: Kernel, sock: Sock, reason: string): void {
  sock.err = 'ETIMEDOUT';
  sock.tcb?.sendBuf.clear();
  tcpDone(k, sock, reason);
}

/**
 * Linux tcp_out_of_resources(), on an orphan's retransmission or probe timer: with too many orphans (counted
 * double when the peer has been silent for 2·TCP_RTO_MAX, or when no reset is due), the orphan is killed — with an
 * RST if it sent something in the last minute or the peer's window is closed.
 */
export function outOfResources(k: Kernel, sock: Sock, doReset: boolean): boolean {
  const tcb = sock.tcb!;
  const sinceSent = k.now() - tcb.lastSentAt;
  const shift = sinceSent > 2 * TCP_RTO_MAX_US || !doReset ? 1 : 0;
  if (!tooManyOrphans(k, shift)) return false;
  k.log('TCP: too many orphaned sockets');
  const reset = doReset || sinceSent <= TCP_TIMEWAIT_LEN_US || (tcb.sndWnd === 0 && tcb.sndUna >= tcb.sndNxt);
  if (reset) sendActiveReset(k, sock);
  tcpDone(k, sock, reset ? 'too many orphaned sockets: RST' : 'too many orphaned sockets');
  return true;
}

function retryLimit(k: Kernel, sock: Sock): number {
  if (sock.state === 'SYN_SENT') return k.sysctl.int('net.ipv4.tcp_syn_retries');
  if (sock.state === 'SYN_RECV' && sock.parent) return k.sysctl.int('net.ipv4.tcp_synack_retries');
  if (sock.orphan) return orphanRetries(k, sock.tcb!.rto < TCP_RTO_MAX_US);
  return k.sysctl.int('net.ipv4.tcp_retries2');
}

/**
 * Linux tcp_model_timeout(): how long `boundary` retransmissions take when the timeout starts at `rtoBase` and
 * doubles up to TCP_RTO_MAX. connect() gives up once this much time has passed since its first SYN.
 */
export function modelTimeoutUs(boundary: number, rtoBaseUs: number): number {
  const thresh = Math.floor(Math.log2(TCP_RTO_MAX_US / rtoBaseUs));
  if (boundary <= thresh) return ((2 << boundary) - 1) * rtoBaseUs;
  return ((2 << thresh) - 1) * rtoBaseUs + (boundary - thresh) * TCP_RTO_MAX_US;
}

/**
 * Linux tcp_write_timeout(): has this socket run out of retransmissions? TCP_USER_TIMEOUT, when set, replaces the
 * count: the connection is given up that long after the first unacknowledged segment was sent, whatever
 * tcp_retries2 or tcp_orphan_retries say. 'killed' when an orphan was ended for want of resources.
 */
function timedOut(k: Kernel, sock: Sock): boolean | 'killed' {
  const tcb = sock.tcb!;
  const userTimeout = sock.opt.userTimeoutMs * 1000;
  const userExpired = userTimeout > 0 && tcb.retransmits > 0 && tcb.retransStamp !== null && k.now() - tcb.retransStamp >= userTimeout;
  if (sock.state === 'SYN_SENT' && tcb.synSentAt !== null) {
    // A time budget, not a count (retransmits_timed_out): with tcp_syn_retries=6 connect() gives up 127 s
    // after its first SYN, however many SYNs the linear timeouts below fit into that time.
    return userExpired || k.now() - tcb.synSentAt >= modelTimeoutUs(k.sysctl.int('net.ipv4.tcp_syn_retries'), TCP_TIMEOUT_INIT_US);
  }
  if (sock.orphan && !(sock.state === 'SYN_RECV' && sock.parent)) {
    const limit = retryLimit(k, sock);
    const doReset = tcb.rto < TCP_RTO_MAX_US || tcb.retransmits < limit;
    if (outOfResources(k, sock, doReset)) return 'killed';
  }
  if (sock.state === 'SYN_RECV' && sock.parent) return tcb.retransmits >= retryLimit(k, sock);
  if (userTimeout > 0) return userExpired;
  // retransmits_timed_out(): a time budget — as long as `limit` retransmissions would take with a 200 ms RTO
  // doubling (tcp_model_timeout) — counted from the first retransmission.
  return tcb.retransmits > 0 && tcb.retransStamp !== null && k.now() - tcb.retransStamp >= modelTimeoutUs(retryLimit(k, sock), TCP_RTO_MIN_US);
}

/** tcp_clamp_rto_to_user_timeout(): with TCP_USER_TIMEOUT, the next retransmission never comes after it. */
function clampToUserTimeout(k: Kernel, sock: Sock): number {
  const tcb = sock.tcb!;
  const userTimeout = sock.opt.userTimeoutMs * 1000;
  if (userTimeout === 0 || tcb.retransStamp === null) return tcb.rto;
  const remaining = userTimeout - (k.now() - tcb.retransStamp);
  return remaining <= 0 ? JIFFY_US : Math.min(tcb.rto, remaining);
}


/**
 * Linux tcp_retransmit_timer(): give up when out of retransmissions (ETIMEDOUT, tcp_write_err), otherwise
 * retransmit the head and back off exponentially (RFC 6298 §5.5), capped at TCP_RTO_MAX — except the first
 * tcp_syn_linear_timeouts retransmissions of a SYN, which keep the initial 1 s (Linux ≥ 6.5).
 */
function onRetransmitTimer(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  tcb.retransTimer = null;
  if (tcb.sndUna >= tcb.sndNxt) return;
  if (tcb.timerIsProbe) {
    tcb.timerIsProbe = false;
    sendLossProbe(k, sock);
    return;
  }
  const verdict = timedOut(k, sock);
  if (verdict === 'killed') return;
  if (verdict) {
    if (sock.state === 'SYN_RECV' && sock.parent) {
      // A half-open connection a listener gives up on simply disappears (Linux reqsk_timer_handler).
      tcpDone(k, sock, 'SYN-ACK retries exhausted');
      return;
    }
    writeErr(k, sock, sock.opt.userTimeoutMs > 0 ? 'TCP_USER_TIMEOUT expired (ETIMEDOUT)' : 'retransmissions exhausted (ETIMEDOUT)');
    return;
  }
  // tcp_retransmit_skb(): the first retransmission of the episode stamps retrans_stamp (a SYN's is its first send).
  tcb.retransStamp ??= sock.state === 'SYN_SENT' || sock.state === 'SYN_RECV' ? (tcb.synSentAt ?? k.now()) : k.now();
  tcb.lossHighSeq = tcb.sndNxt;
  tcb.tlpHighSeq = null;
  tcb.retransmits++;
  tcb.rttSample = null; // Karn's algorithm: no RTT sample from a retransmitted segment
  retransmitHead(k, sock);
  const linear = sock.state === 'SYN_SENT' && tcb.retransmits <= k.sysctl.int('net.ipv4.tcp_syn_linear_timeouts');
  if (!linear) tcb.rto = Math.min(tcb.rto * 2, TCP_RTO_MAX_US);
  armRetransmit(k, sock, clampToUserTimeout(k, sock));
}

/** Delayed ACK (Linux tcp_send_delayed_ack / tcp_delack_timer_handler). */
export function scheduleDelayedAck(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  tcb.ackPending = true;
  if (tcb.delackTimer) return;
  const timeout = tcb.ato > 0 ? tcb.ato : DELACK_NO_DATA_US;
  tcb.delackTimer = k.queue.schedule(k.now() + timeout, 'delack', () => {
    tcb.delackTimer = null;
    if (!tcb.ackPending || sock.destroyed) return;
    if (tcb.pingpong) {
      // "Delayed ACK missed: leave pingpong mode and deflate ATO."
      tcb.pingpong = false;
      tcb.ato = TCP_ATO_MIN_US;
    } else if (tcb.ato > 0) {
      tcb.ato = Math.min(tcb.ato * 2, tcb.rto);
    }
    sendAck(k, sock);
  });
}

/** Linux's tick at HZ=250. */
export const JIFFY_US = 4_000;

/**
 * When a long timer really fires (Linux kernel/time/timer.c calc_wheel_index()): the timer wheel files a
 * timer in a level whose granularity grows with the delay (8^level jiffies), rounding its expiry up to the
 * next slot. A 60 s TIME_WAIT (15000 jiffies, level 3, slots of 512 jiffies) ends 60–62 s later — the
 * 61.5–62 s the ground truth measured; a 5 s tcp_fin_timeout ends within 5–5.26 s.
 */
export function wheelExpiry(nowUs: number, afterUs: number, jiffyOffset: number): number {
  const now = Math.floor(nowUs / JIFFY_US) + jiffyOffset;
  const expires = Math.floor((nowUs + afterUs) / JIFFY_US) + jiffyOffset;
  const delta = expires - now;
  let level = 0;
  while (level < 8 && delta >= 63 * 8 ** level) level++;
  const gran = 8 ** level;
  const slot = level === 0 ? expires : Math.floor((expires + gran) / gran) * gran;
  return (slot - jiffyOffset) * JIFFY_US;
}

/** A timer that shows in `ss -o` as timewait/keepalive (TIME_WAIT, the orphan FIN_WAIT_2), on the timer wheel. */
export function setStateTimer(k: Kernel, sock: Sock, name: SockTimerName, afterUs: number, run: () => void): void {
  clearStateTimer(sock);
  sock.stateTimerName = name;
  sock.stateTimerDue = k.now() + afterUs;
  sock.stateTimer = k.queue.schedule(Math.max(k.now() + afterUs, wheelExpiry(k.now(), afterUs, k.jiffyOffset)), name, () => {
    sock.stateTimer = null;
    sock.stateTimerName = null;
    run();
  });
}

export function clearStateTimer(sock: Sock): void {
  if (sock.stateTimer) sock.stateTimer.cancelled = true;
  sock.stateTimer = null;
  sock.stateTimerName = null;
}
