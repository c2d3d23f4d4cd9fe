/**
 * close() under SO_LINGER {1, t} (Linux __tcp_close → sk_stream_wait_close()): the call does not return until
 * the FIN is acknowledged — the socket has left FIN_WAIT_1, CLOSING and LAST_ACK — or t seconds have passed,
 * O_NONBLOCK or not. One place for every driver of the kernel that blocks a call (scenarios, packetdrill).
 */
import type { Kernel } from './kernel.ts';
import type { Result } from './types.ts';

/**
 * Closes `fd`. The result holds null when close() returns at once, else a poll that is true once the blocked
 * close() returns (the kernel is woken at the deadline, so a driver stepping its events sees it).
 */
export function closeLingering(k: Kernel, pid: number, fd: number): Result<(() => boolean) | null> {
  const id = k.socketOf(pid, fd);
  const linger = id === undefined ? undefined : k.sock(id)?.linger;
  const r = k.close(pid, fd);
  if (!r.ok) return r;
  if (id === undefined || !linger?.on || linger.seconds <= 0) return { ok: true, value: null };
  const until = k.now() + linger.seconds * 1_000_000;
  k.queue.schedule(until, 'SO_LINGER timeout', () => {});
  return {
    ok: true,
    value: () => {
      const st = k.stateOf(id);
      return (st !== 'FIN_WAIT_1' && st !== 'CLOSING' && st !== 'LAST_ACK') || k.now() >= until;
    },
  };
}
