/**
 * TCP keepalive (RFC 1122 §4.2.3.6; Linux tcp_keepalive_timer() in net/ipv4/tcp_timer.c): a socket with
 * SO_KEEPALIVE that has heard nothing from its peer for TCP_KEEPIDLE seconds (net.ipv4.tcp_keepalive_time,
 * 7200) sends a probe — an ACK carrying SND.UNA − 1, which the peer must answer with an ACK. Unanswered probes
 * repeat every TCP_KEEPINTVL (tcp_keepalive_intvl, 75); after TCP_KEEPCNT of them (tcp_keepalive_probes, 9)
 * the connection is reset and the program gets ETIMEDOUT. With TCP_USER_TIMEOUT set, that time replaces the
 * count. Any acceptable ACK from the peer starts the idle time again.
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import { flags, sendActiveReset, sendSegment } from './output.ts';
import { clearStateTimer, setStateTimer } from './timers.ts';
import { tcpDone } from './close.ts';

/** Linux MAX_TCP_KEEPIDLE / MAX_TCP_KEEPINTVL / MAX_TCP_KEEPCNT: the ranges setsockopt accepts. */
export const MAX_TCP_KEEPIDLE = 32767;
export const MAX_TCP_KEEPINTVL = 32767;
export const MAX_TCP_KEEPCNT = 127;

const seconds = (s: number) => Math.max(0, s) * 1_000_000;

/** keepalive_time_when(): TCP_KEEPIDLE, or net.ipv4.tcp_keepalive_time. */
export function keepaliveTimeUs(k: Kernel, sock: Sock): number {
  return seconds(sock.opt.keepIdle ?? k.sysctl.int('net.ipv4.tcp_keepalive_time'));
}

/** keepalive_intvl_when(): TCP_KEEPINTVL, or net.ipv4.tcp_keepalive_intvl. */
export function keepaliveIntvlUs(k: Kernel, sock: Sock): number {
  return seconds(sock.opt.keepIntvl ?? k.sysctl.int('net.ipv4.tcp_keepalive_intvl'));
}

/** keepalive_probes(): TCP_KEEPCNT, or net.ipv4.tcp_keepalive_probes. */
export function keepaliveProbes(k: Kernel, sock: Sock): number {
  return sock.opt.keepCnt ?? k.sysctl.int('net.ipv4.tcp_keepalive_probes');
}

/** States in which the keepalive timer is not armed (tcp_set_keepalive: TCPF_CLOSE | TCPF_LISTEN). */
function idleState(sock: Sock): boolean {
  return sock.state === 'CLOSED' || sock.state === 'LISTEN' || sock.tw;
}

/** keepalive_time_elapsed(): how long the peer has been silent. */
function silentFor(k: Kernel, sock: Sock): number {
  return k.now() - (sock.tcb?.lastHeardAt ?? k.now());
}

function reset(k: Kernel, sock: Sock, afterUs: number): void {
  setStateTimer(k, sock, 'keepalive', afterUs, () => keepaliveTimer(k, sock));
}

/** Linux tcp_set_keepalive(): SO_KEEPALIVE on starts a full idle period now; off stops the timer. */
export function setKeepalive(k: Kernel, sock: Sock, on: boolean): void {
  const was = sock.opt.keepalive;
  sock.opt.keepalive = on;
  if (idleState(sock)) return;
  if (on && !was) reset(k, sock, keepaliveTimeUs(k, sock));
  else if (!on && sock.stateTimerName === 'keepalive' && !sock.orphan) clearStateTimer(sock);
}

/** Linux tcp_sock_set_keepidle_locked(): a new idle time counts from the last thing heard. */
export function setKeepIdle(k: Kernel, sock: Sock, secs: number): void {
  sock.opt.keepIdle = secs;
  if (!sock.opt.keepalive || idleState(sock) || sock.state === 'SYN_SENT') return;
  reset(k, sock, Math.max(0, keepaliveTimeUs(k, sock) - silentFor(k, sock)));
}

/**
 * A connection reached ESTABLISHED (tcp_finish_connect, tcp_create_openreq_child): the peer was just heard,
 * and with SO_KEEPALIVE the idle countdown starts.
 */
export function keepaliveOnEstablished(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (tcb) tcb.lastHeardAt = k.now();
  if (sock.opt.keepalive) reset(k, sock, keepaliveTimeUs(k, sock));
}

/**
 * Linux tcp_xmit_probe_skb(sk, 0): a segment the peer has already seen (SEQ = SND.UNA − 1, no data), so that
 * it must answer with an ACK of what it expects. Keepalive and zero-window probes both use it.
 */
export function sendProbe(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  sendSegment(k, sock, flags({ ack: true }), tcb.sndUna - 1);
}

/** Linux tcp_keepalive_timer() for a connection (the orphaned FIN_WAIT_2 uses the same timer: close.ts). */
function keepaliveTimer(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb || sock.destroyed || !sock.opt.keepalive || sock.state === 'CLOSED' || sock.state === 'SYN_SENT' || sock.tw) return;
  const when = keepaliveTimeUs(k, sock);
  // "It is alive without keepalive 8)": data in flight or waiting to go has its own timers.
  const busy = tcb.sndUna < tcb.sndNxt || tcb.writeSeq > tcb.sndNxt || (tcb.finQueued && tcb.finSeq === null);
  if (busy) return reset(k, sock, when);
  const elapsed = silentFor(k, sock);
  if (elapsed < when) return reset(k, sock, when - elapsed);
  const userTimeout = sock.opt.userTimeoutMs * 1000;
  const exhausted = userTimeout !== 0 ? elapsed >= userTimeout && tcb.probesOut > 0 : tcb.probesOut >= keepaliveProbes(k, sock);
  if (exhausted) {
    // tcp_send_active_reset() + tcp_write_err(): RST to the peer, ETIMEDOUT to the program.
    sendActiveReset(k, sock);
    sock.err = 'ETIMEDOUT';
    tcb.sendBuf.clear();
    tcpDone(k, sock, 'keepalive probes unanswered: RST, ETIMEDOUT');
    return;
  }
  sendProbe(k, sock);
  tcb.probesOut++;
  reset(k, sock, keepaliveIntvlUs(k, sock));
}
