import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import { setState } from './state.ts';
import { sendActiveReset, tcpOutput } from './output.ts';
import { clearStateTimer, setStateTimer, stopRetransmit, TCP_TIMEWAIT_LEN_US } from './timers.ts';
import { stopProbeTimer } from './persist.ts';
import { timewaitRoom, tooManyOrphans } from './orphans.ts';
import { connKey } from './network.ts';
import { formatEndpoint, type TcpState } from './types.ts';
import { leaveReuseportGroup } from './reuseport.ts';

function stopAllTimers(sock: Sock): void {
  stopRetransmit(sock);
  stopProbeTimer(sock);
  const tcb = sock.tcb;
  if (tcb?.delackTimer) {
    tcb.delackTimer.cancelled = true;
    tcb.delackTimer = null;
  }
  if (tcb) tcb.ackPending = false;
  clearStateTimer(sock);
}

function unhashConn(sock: Sock): void {
  if (sock.local && sock.remote) {
    const key = connKey(sock.local, sock.remote);
    if (sock.host.conns.get(key) === sock) sock.host.conns.delete(key);
  }
  if (sock.local) leaveReuseportGroup(sock);
  if (sock.local) {
    const key = formatEndpoint(sock.local);
    if (sock.host.listeners.get(key) === sock) sock.host.listeners.delete(key);
  }
}

export function unbind(sock: Sock): void {
  if (!sock.local) return;
  const set = sock.host.bound.get(sock.local.port);
  set?.delete(sock);
  if (set && set.size === 0) sock.host.bound.delete(sock.local.port);
}

/** Removes a socket from every table for good. */
export function destroy(k: Kernel, sock: Sock): void {
  if (sock.destroyed) return;
  stopAllTimers(sock);
  unhashConn(sock);
  unbind(sock);
  if (sock.parent) {
    sock.parent.synQueue.delete(sock);
    sock.parent.acceptQueue.delete(sock);
  }
  sock.destroyed = true;
  k.forget(sock);
}

/**
 * Linux tcp_done(): the connection is over (reset, timeout, last ACK received, TIME_WAIT expired).
 * Both directions are shut; a socket nobody holds any more is destroyed, one with a descriptor stays
 * (reads return EOF or the pending error) until its program closes it.
 */
export function tcpDone(k: Kernel, sock: Sock, reason: string): void {
  stopAllTimers(sock);
  setState(k, sock, 'CLOSED', reason);
  sock.rcvShutdown = true;
  sock.sendShutdown = true;
  unhashConn(sock);
  // tcp_set_state(TCP_CLOSE) releases an automatically bound port (inet_put_port) but keeps a bind() one.
  if (!sock.explicitBind) unbind(sock);
  const waitingForAccept = sock.parent !== null && sock.parent.acceptQueue.has(sock);
  if (sock.owner === null && !waitingForAccept) destroy(k, sock);
  else if (sock.parent && !waitingForAccept) sock.parent.synQueue.delete(sock);
}

/**
 * Linux tcp_reset(): an acceptable RST arrived. The error depends on the state: ECONNREFUSED in
 * SYN_SENT, EPIPE in CLOSE_WAIT, ECONNRESET otherwise (REPORT §"Errors after an RST").
 */
export function tcpReset(k: Kernel, sock: Sock): void {
  const errByState: Partial<Record<TcpState, 'ECONNREFUSED' | 'EPIPE'>> = { SYN_SENT: 'ECONNREFUSED', CLOSE_WAIT: 'EPIPE' };
  if (sock.state !== 'CLOSED') sock.err = errByState[sock.state] ?? 'ECONNRESET';
  if (sock.tcb) {
    sock.tcb.sendBuf.clear();
  }
  tcpDone(k, sock, `RST received in ${sock.state}`);
}

/**
 * Enters TIME_WAIT for TCP_TIMEWAIT_LEN (60 s; Linux tcp_time_wait(), RFC 9293 §3.10.7.4 TIME-WAIT) — unless
 * net.ipv4.tcp_max_tw_buckets timewait socks already exist: then inet_twsk_alloc() fails and the socket simply
 * closes (counted as TCPTimeWaitOverflow, nothing logged).
 */
export function enterTimeWait(k: Kernel, sock: Sock, reason: string): void {
  stopAllTimers(sock);
  if (!timewaitRoom(k, sock)) {
    tcpDone(k, sock, `${reason}; tcp_max_tw_buckets reached: no TIME_WAIT`);
    return;
  }
  setState(k, sock, 'TIME_WAIT', reason);
  if (!sock.tw) sock.twSince = k.now();
  sock.tw = true;
  if (sock.tcb) sock.tcb.lastOowAckAt = null; // a fresh timewait sock (tcp_time_wait)
  sock.rcvShutdown = true;
  sock.sendShutdown = true;
  armTimeWait(k, sock);
}

/**
 * Linux tcp_fin_time(): how long an orphaned FIN_WAIT_2 may wait — TCP_LINGER2 if set, else tcp_fin_timeout,
 * but never less than 3.5 RTO.
 */
export function finTimeUs(k: Kernel, sock: Sock): number {
  const linger2 = sock.opt.linger2Us;
  const fin = linger2 > 0 ? linger2 : k.sysctl.int('net.ipv4.tcp_fin_timeout') * 1_000_000;
  const rto = sock.tcb?.rto ?? 0;
  return Math.max(fin, rto * 4 - rto / 2);
}

export function armTimeWait(k: Kernel, sock: Sock): void {
  setStateTimer(k, sock, 'timewait', TCP_TIMEWAIT_LEN_US, () => tcpDone(k, sock, 'TIME_WAIT expired (60 s)'));
}

/**
 * An orphaned FIN_WAIT_2 (its program called close()) may wait only net.ipv4.tcp_fin_timeout for the
 * peer's FIN, then disappears without TIME_WAIT (Linux tcp_close() / tcp_rcv_state_process() with
 * tcp_fin_time(); the socket becomes a timewait sock in substate FIN_WAIT2). A FIN_WAIT_2 whose program
 * still holds it (after shutdown(SHUT_WR)) has no such timer and waits for ever.
 */
export function orphanFinWait2(k: Kernel, sock: Sock, finFollows = false): void {
  const tmo = finTimeUs(k, sock);
  if (tmo > TCP_TIMEWAIT_LEN_US) {
    setStateTimer(k, sock, 'keepalive', tmo - TCP_TIMEWAIT_LEN_US, () => finWait2Timer(k, sock));
  } else if (finFollows) {
    // The segment that acknowledged our FIN carries the peer's FIN too: the full socket stays (its timer armed
    // with the whole timeout) and the FIN takes it to TIME_WAIT at once.
    setStateTimer(k, sock, 'keepalive', tmo, () => finWait2Timer(k, sock));
  } else {
    finWait2ToTimewait(k, sock, tmo);
  }
}

/** tcp_time_wait(sk, TCP_FIN_WAIT2, tmo): the orphan's last phase as a timewait sock — if there is room for one. */
function finWait2ToTimewait(k: Kernel, sock: Sock, afterUs: number): void {
  if (!timewaitRoom(k, sock)) {
    tcpDone(k, sock, 'orphaned FIN_WAIT_2; tcp_max_tw_buckets reached: closed at once');
    return;
  }
  const why = sock.opt.linger2Us > 0 ? 'TCP_LINGER2' : 'tcp_fin_timeout';
  if (!sock.tw) sock.twSince = k.now();
  sock.tw = true;
  if (sock.tcb) sock.tcb.lastOowAckAt = null; // a fresh timewait sock (tcp_time_wait)
  setStateTimer(k, sock, 'timewait', afterUs, () => tcpDone(k, sock, `orphaned FIN_WAIT_2 expired (${why})`));
}

/**
 * tcp_keepalive_timer() for a dead FIN_WAIT_2 full socket: what is left of tcp_fin_time beyond 60 s becomes the
 * timewait phase; with nothing left (or TCP_LINGER2 < 0) the connection is reset.
 */
function finWait2Timer(k: Kernel, sock: Sock): void {
  if (sock.destroyed || sock.state !== 'FIN_WAIT_2') return;
  const left = finTimeUs(k, sock) - TCP_TIMEWAIT_LEN_US;
  if (sock.opt.linger2Us >= 0 && left > 0) return finWait2ToTimewait(k, sock, TCP_TIMEWAIT_LEN_US);
  sendActiveReset(k, sock);
  tcpDone(k, sock, 'orphaned FIN_WAIT_2 expired: RST (tcp_keepalive_timer)');
}

/** Linux tcp_need_reset(): states in which an abort must tell the peer. */
function needsReset(state: TcpState): boolean {
  return state === 'ESTABLISHED' || state === 'CLOSE_WAIT' || state === 'FIN_WAIT_1' || state === 'FIN_WAIT_2' || state === 'SYN_RECV';
}

/** Linux tcp_disconnect(): abort the connection, with an RST if the peer knows about it. */
export function tcpDisconnect(k: Kernel, sock: Sock, reason: string): void {
  if (needsReset(sock.state)) sendActiveReset(k, sock);
  if (sock.tcb) {
    sock.tcb.sendBuf.clear();
    sock.tcb.recvBuf.clear();
  }
  tcpDone(k, sock, reason);
}

/** Queues our FIN behind any unsent data (Linux tcp_send_fin) and sends what can be sent. */
export function queueFin(k: Kernel, sock: Sock): void {
  if (!sock.tcb || sock.tcb.finQueued) return;
  sock.tcb.finQueued = true;
  tcpOutput(k, sock);
}

/** Linux tcp_close_state(): the state a close moves to, and whether a FIN must be sent. */
export function closeStateFor(state: TcpState): { next: TcpState; fin: boolean } {
  switch (state) {
    case 'ESTABLISHED':
    case 'SYN_RECV':
      return { next: 'FIN_WAIT_1', fin: true };
    case 'CLOSE_WAIT':
      return { next: 'LAST_ACK', fin: true };
    case 'SYN_SENT':
    case 'LISTEN':
    case 'CLOSED':
      return { next: 'CLOSED', fin: false };
    default:
      return { next: state, fin: false };
  }
}

/** Closes a listening socket: queued connections are reset, half-open ones forgotten (inet_csk_listen_stop). */
function closeListener(k: Kernel, sock: Sock): void {
  for (const child of [...sock.acceptQueue]) {
    child.parent = null;
    tcpDisconnect(k, child, 'listener closed before accept()');
    destroy(k, child);
  }
  sock.acceptQueue.clear();
  for (const child of [...sock.synQueue]) destroy(k, child);
  sock.synQueue.clear();
  tcpDone(k, sock, 'listening socket closed');
}

/**
 * The TCP part of close() and of process exit (Linux __tcp_close), once the descriptor is gone.
 * Order matters and follows Linux: unread data → RST (RFC 2525 §2.17); SO_LINGER {1,0} → RST;
 * otherwise a FIN after any unsent data; then the socket is orphaned.
 */
export function tcpClose(k: Kernel, sock: Sock, cause = 'close()'): void {
  sock.owner = null;
  sock.orphan = true;
  if (sock.state === 'LISTEN') {
    closeListener(k, sock);
    return;
  }
  sock.rcvShutdown = true;
  sock.sendShutdown = true;
  const unread = sock.tcb?.recvBuf.length ?? 0;
  if (sock.tcb) sock.tcb.recvBuf.clear();
  // A socket already closed by the kernel (reset, or TIME_WAIT reached with the descriptor open) just goes.
  if (sock.state === 'CLOSED') {
    destroy(k, sock);
    return;
  }
  if (sock.state === 'TIME_WAIT') return; // the timewait sock lives on alone
  if (unread > 0) {
    // Linux: "As outlined in RFC 2525, section 2.17, we send a RST here because data was lost."
    setState(k, sock, 'CLOSED', `${cause} with ${unread} unread bytes: RST instead of FIN (tcp_close)`);
    sendActiveReset(k, sock);
    tcpDone(k, sock, 'aborted');
    return;
  }
  if (sock.linger.on && sock.linger.seconds === 0) {
    tcpDisconnect(k, sock, `${cause} with SO_LINGER {1, 0}: abort`);
    return;
  }
  const { next, fin } = closeStateFor(sock.state);
  if (next === 'CLOSED') {
    tcpDone(k, sock, `${cause} in ${sock.state}`);
    return;
  }
  setState(k, sock, next, `${cause} in ${sock.state}`);
  if (fin) queueFin(k, sock);
  if (sock.state === 'FIN_WAIT_2' && !sock.destroyed) {
    if (sock.opt.linger2Us < 0) {
      // __tcp_close(): TCP_LINGER2 < 0 — no FIN_WAIT_2 wait at all, reset the connection.
      setState(k, sock, 'CLOSED', `${cause} in FIN_WAIT_2, TCP_LINGER2 < 0: RST`);
      sendActiveReset(k, sock);
      tcpDone(k, sock, 'aborted');
      return;
    }
    orphanFinWait2(k, sock);
    if (sock.tw || sock.destroyed) return; // became a timewait sock: not an orphan any more (tcp_time_wait)
  }
  // tcp_check_oom(): one orphan too many and the connection is reset — after the FIN already went out.
  if (!sock.destroyed && (sock.state as TcpState) !== 'CLOSED' && tooManyOrphans(k, 0)) {
    k.log('TCP: too many orphaned sockets');
    setState(k, sock, 'CLOSED', `${cause}: too many orphaned sockets: RST`);
    sendActiveReset(k, sock);
    tcpDone(k, sock, 'aborted');
  }
}
