/**
 * Taking over a TIME_WAIT for a new outgoing connection on the same 4-tuple: Linux tcp_twsk_unique(), asked by
 * __inet_check_established() when connect() finds its 4-tuple held by a timewait sock.
 *
 * - With a port the program bound itself, the TIME_WAIT is taken over at once (Linux does this whenever the
 *   old connection used timestamps, the default).
 * - With a port connect() is choosing (__inet_hash_connect), only if net.ipv4.tcp_tw_reuse allows it — 1 for
 *   every connection, 2 (the default) only when one end is a loopback address — and the TIME_WAIT is older than
 *   net.ipv4.tcp_tw_reuse_delay (1000 ms). Never for an orphaned FIN_WAIT_2 in its timewait phase.
 *
 * The new connection starts its sequence numbers 65537 past the old one's last (tw_snd_nxt + 65535 + 2), so that
 * nothing of the old connection can be taken for the new one.
 *
 * // DIVERGENCE: the model sends no timestamp options; it behaves as if both ends had negotiated them, as Linux
 * does by default (tcp_timestamps=1), so ts_recent_stamp is never 0 here.
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import { tcpDone } from './close.ts';
import { isLoopback } from './network.ts';

const reusedIsn = new WeakMap<Sock, number>();

/** The ISN the connecting socket must use after taking over a TIME_WAIT (consumed once). */
export function takeReusedIsn(sock: Sock): number | undefined {
  const isn = reusedIsn.get(sock);
  reusedIsn.delete(sock);
  return isn;
}

/** tcp_twsk_unique(): may `sock` take over the timewait sock `tw`? If so, `tw` is gone when this returns true. */
export function reuseTimewait(k: Kernel, tw: Sock, sock: Sock, boundByProgram: boolean): boolean {
  if (!tw.tw || !tw.tcb || tw.destroyed) return false;
  if (!boundByProgram) {
    let reuse = k.sysctl.int('net.ipv4.tcp_tw_reuse');
    if (tw.state === 'FIN_WAIT_2') reuse = 0;
    if (reuse === 2 && !(isLoopback(tw.remote?.ip ?? '') || isLoopback(tw.local?.ip ?? ''))) reuse = 0;
    if (reuse === 0) return false;
    const since = tw.twSince ?? k.now();
    // time_after32(tcp_clock_ms(), tw_entry_stamp + tcp_tw_reuse_delay): strictly later.
    if (!(k.now() - since > k.sysctl.int('net.ipv4.tcp_tw_reuse_delay') * 1000)) return false;
  }
  reusedIsn.set(sock, (tw.tcb.sndNxt + 65535 + 2) % 2 ** 32 || 1);
  tcpDone(k, tw, boundByProgram ? 'taken over by connect()' : 'taken over by connect() (tcp_tw_reuse)');
  return true;
}
