/**
 * The persist timer (RFC 9293 §3.8.6.1 zero-window probing; Linux tcp_probe_timer() / tcp_send_probe0()):
 * when the peer's window is closed and we still have data or a FIN to send, nothing is in flight and no ACK
 * will ever come by itself. So we probe: a segment the peer must acknowledge, at RTO, 2·RTO, 4·RTO … (capped at
 * TCP_RTO_MAX). RFC 1122 §4.2.2.17 wants a sender to probe for ever as long as the receiver answers, and Linux
 * does so for a socket its program still holds; an orphan (closed by its program, e.g. FIN_WAIT_1 with data
 * stuck behind a zero window) is given up once the back-off reaches TCP_RTO_MAX, earlier if
 * tcp_orphan_retries says so, or at once when there are too many orphans (tcp_out_of_resources).
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import { sendProbe } from './keepalive.ts';
import { orphanRetries, outOfResources, TCP_RTO_MAX_US, TCP_RTO_MIN_US, writeErr } from './timers.ts';

/** Something unsent (data or our FIN) and nothing in flight: only a probe can learn that the window opened. */
function waitingOnWindow(sock: Sock): boolean {
  const tcb = sock.tcb;
  if (!tcb) return false;
  const unsent = tcb.writeSeq > tcb.sndNxt || (tcb.finQueued && tcb.finSeq === null);
  return unsent && tcb.sndUna >= tcb.sndNxt;
}

/** The window has room for the next byte (or the FIN) we would send. */
function windowOpen(sock: Sock): boolean {
  const tcb = sock.tcb!;
  return tcb.sndNxt < tcb.sndUna + tcb.sndWnd;
}

/** tcp_probe0_base(): the RTO, at least TCP_RTO_MIN. */
function probeBase(sock: Sock): number {
  return Math.max(sock.tcb!.rto, TCP_RTO_MIN_US);
}

/** tcp_probe0_when(): the base backed off, capped at TCP_RTO_MAX, and not beyond TCP_USER_TIMEOUT. */
function probeWhen(k: Kernel, sock: Sock): number {
  const tcb = sock.tcb!;
  let when = Math.min(probeBase(sock) * 2 ** tcb.backoff, TCP_RTO_MAX_US);
  // tcp_clamp_probe0_to_user_timeout()
  const ut = sock.opt.userTimeoutMs * 1000;
  if (ut > 0 && tcb.probesSince !== null) when = Math.min(when, Math.max(ut - (k.now() - tcb.probesSince), 2_000));
  return when;
}

export function stopProbeTimer(sock: Sock): void {
  const tcb = sock.tcb;
  if (tcb?.probeTimer) {
    tcb.probeTimer.cancelled = true;
    tcb.probeTimer = null;
  }
}

function armProbeTimer(k: Kernel, sock: Sock, afterUs: number): void {
  const tcb = sock.tcb!;
  stopProbeTimer(sock);
  tcb.probeTimer = k.queue.schedule(k.now() + afterUs, 'persist', () => {
    tcb.probeTimer = null;
    probeTimer(k, sock);
  });
}

/** Linux tcp_check_probe_timer(), after a send attempt: arm the persist timer if the window stopped us. */
export function checkProbeTimer(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb || tcb.probeTimer || tcb.retransTimer || !waitingOnWindow(sock) || windowOpen(sock)) return;
  armProbeTimer(k, sock, probeBase(sock));
}

/**
 * Linux tcp_ack_probe(), on an acceptable ACK while data waits: if the window opened, probing is over (the
 * caller sends); otherwise the next probe is due one backed-off interval from now.
 */
export function ackProbe(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb || !waitingOnWindow(sock)) return;
  if (windowOpen(sock)) {
    tcb.backoff = 0;
    tcb.probesSince = null;
    stopProbeTimer(sock);
  } else {
    armProbeTimer(k, sock, probeWhen(k, sock));
  }
}

/** Linux tcp_probe_timer(). */
function probeTimer(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb || sock.destroyed || sock.state === 'CLOSED') return;
  if (!waitingOnWindow(sock)) {
    tcb.probesOut = 0;
    tcb.probesSince = null;
    return;
  }
  if (tcb.probesSince === null) tcb.probesSince = k.now();
  else if (sock.opt.userTimeoutMs > 0 && k.now() - tcb.probesSince >= sock.opt.userTimeoutMs * 1000) {
    return writeErr(k, sock, 'window probes: TCP_USER_TIMEOUT expired');
  }
  let maxProbes = k.sysctl.int('net.ipv4.tcp_retries2');
  if (sock.orphan) {
    // inet_csk_rto_backoff(icsk, TCP_RTO_MAX) < TCP_RTO_MAX
    const alive = Math.min(tcb.rto * 2 ** tcb.backoff, TCP_RTO_MAX_US) < TCP_RTO_MAX_US;
    maxProbes = orphanRetries(k, alive);
    if (!alive && tcb.backoff >= maxProbes) {
      return writeErr(k, sock, 'orphan: window probes backed off to TCP_RTO_MAX');
    }
    if (outOfResources(k, sock, true)) return;
  }
  if (tcb.probesOut >= maxProbes) return writeErr(k, sock, 'window probes unanswered');
  sendProbe0(k, sock);
}

/** Linux tcp_send_probe0(): probe, count it, back off (up to tcp_retries2 doublings) and re-arm. */
function sendProbe0(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb!;
  sendProbe(k, sock);
  tcb.probesOut++;
  if (tcb.backoff < k.sysctl.int('net.ipv4.tcp_retries2')) tcb.backoff++;
  armProbeTimer(k, sock, probeWhen(k, sock));
}
