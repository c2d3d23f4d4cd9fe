import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import type { TcpState } from './types.ts';
import { keepaliveOnEstablished } from './keepalive.ts';

/**
 * Every transition the model may take, RFC 9293 §3.3.2 (Figure 5) plus Linux's shortcuts:
 * - any state → CLOSED on RST, abort (close with unread data, SO_LINGER {1,0}) or timeout (tcp_done);
 * - FIN_WAIT_2 → CLOSED when an orphan's tcp_fin_timeout expires (Linux tcp_fin_time(), no TIME_WAIT);
 * - FIN_WAIT_1 → TIME_WAIT when a FIN+ACK acks our FIN (RFC 9293 §3.10.7.4, FIN-WAIT-1 with the ACK).
 * The property tests check every trace against this table.
 */
export const LEGAL_TRANSITIONS: Readonly<Record<TcpState, readonly TcpState[]>> = {
  CLOSED: ['LISTEN', 'SYN_SENT', 'SYN_RECV'],
  LISTEN: ['CLOSED'],
  SYN_SENT: ['SYN_RECV', 'ESTABLISHED', 'CLOSED'],
  SYN_RECV: ['ESTABLISHED', 'FIN_WAIT_1', 'CLOSE_WAIT', 'CLOSED'],
  ESTABLISHED: ['FIN_WAIT_1', 'CLOSE_WAIT', 'CLOSED'],
  FIN_WAIT_1: ['FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSED'],
  FIN_WAIT_2: ['TIME_WAIT', 'CLOSED'],
  CLOSE_WAIT: ['LAST_ACK', 'CLOSED'],
  CLOSING: ['TIME_WAIT', 'CLOSED'],
  LAST_ACK: ['CLOSED'],
  TIME_WAIT: ['CLOSED'],
};

export function isLegalTransition(from: TcpState, to: TcpState): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

/** The one place a socket changes state; every change is traced with its reason. */
export function setState(k: Kernel, sock: Sock, next: TcpState, reason: string): void {
  const from = sock.state;
  if (from === next) return;
  sock.state = next;
  if (next === 'ESTABLISHED' || next === 'CLOSE_WAIT') sock.connected = true;
  k.trace.state(k.now(), sock.id, from, next, reason);
  if (next === 'ESTABLISHED') keepaliveOnEstablished(k, sock);
}

/** States in which the connection is synchronised (RFC 9293 §3.3.2). */
export function isSynchronized(state: TcpState): boolean {
  return state !== 'CLOSED' && state !== 'LISTEN' && state !== 'SYN_SENT' && state !== 'SYN_RECV';
}
