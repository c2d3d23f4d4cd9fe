/**
 * Limits on sockets nobody holds any more: orphans (closed by their program, still finishing their close) and
 * timewait socks (TIME_WAIT, and the last phase of an orphaned FIN_WAIT_2).
 *
 * - net.ipv4.tcp_max_orphans: Linux tcp_too_many_orphans() / tcp_check_oom(). Past the limit close() resets
 *   the connection instead of finishing it, and an orphan's retransmission or window-probe timer kills it
 *   (tcp_out_of_resources), logging "TCP: too many orphaned sockets".
 * - net.ipv4.tcp_max_tw_buckets: Linux inet_twsk_alloc() refuses a timewait sock past the limit, so the
 *   socket closes at once instead of entering TIME_WAIT (only the TCPTimeWaitOverflow counter says so).
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';

/**
 * Orphans a limit counts: sockets closed by their program that are still full sockets (FIN_WAIT_1, FIN_WAIT_2
 * before its timewait phase, CLOSING, LAST_ACK). Linux increments tcp_orphan_count in __tcp_close and
 * decrements it when the socket is destroyed or replaced by a timewait sock.
 */
export function orphanCount(k: Kernel): number {
  let n = 0;
  for (const s of k.allSocks()) if (s.orphan && !s.tw && !s.destroyed && s.state !== 'CLOSED' && s.state !== 'LISTEN') n++;
  return n;
}

/**
 * Linux tcp_too_many_orphans(shift): orphans << shift > tcp_max_orphans.
 * // DIVERGENCE: Linux compares a per-CPU sum refreshed every 100 ms (tcp_orphan_cache), so the limit can lag
 * by up to 100 ms of closes; the model counts exactly.
 */
export function tooManyOrphans(k: Kernel, shift: number): boolean {
  const max = k.sysctl.int('net.ipv4.tcp_max_orphans');
  // Cheap exit on the hot path of every close: there cannot be more orphans than sockets.
  if (max >= 0 && k.socketCount() * 2 ** shift <= max) return false;
  return orphanCount(k) * 2 ** shift > max;
}

/** Timewait socks in use: TIME_WAIT plus orphaned FIN_WAIT_2 in its timewait phase (the death row's tw_refcount). */
export function timewaitCount(k: Kernel): number {
  let n = 0;
  for (const s of k.allSocks()) if (s.tw && !s.destroyed) n++;
  return n;
}

/** Linux inet_twsk_alloc(): is there room for one more timewait sock? */
export function timewaitRoom(k: Kernel, sock: Sock): boolean {
  if (sock.tw) return true; // already one (an orphaned FIN_WAIT_2 becoming TIME_WAIT keeps its bucket)
  const max = k.sysctl.int('net.ipv4.tcp_max_tw_buckets');
  if (max > 0 && k.socketCount() <= max) return true;
  return timewaitCount(k) < max;
}
