import type { Kernel } from '../kernel.ts';
import { orphanCount, timewaitCount } from '../orphans.ts';

/**
 * /proc/net/sockstat as Linux prints it (sockstat_seq_show): TCP `inuse` counts the sockets in the lookup tables
 * (listening or with a peer, orphans included), `orphan` the orphans tcp_max_orphans limits, `tw` the timewait socks
 * tcp_max_tw_buckets limits, `alloc` every TCP socket that exists except timewait socks, `mem` the pages their
 * buffers use.
 * // DIVERGENCE: the lab machine has only TCP sockets, so "sockets: used" counts those, and the other protocols are
 * zero; `mem` is the model's buffered bytes in 4 KiB pages, not Linux's charged memory.
 */
export function formatSockstat(k: Kernel): string {
  let inuse = 0;
  let alloc = 0;
  let bytes = 0;
  for (const s of k.allSocks()) {
    if (s.destroyed || s.tw) continue;
    alloc++;
    if (s.state !== 'CLOSED') inuse++;
    bytes += (s.tcb?.recvBuf.length ?? 0) + (s.tcb?.sendBuf.length ?? 0);
  }
  return [
    `sockets: used ${alloc}`,
    `TCP: inuse ${inuse} orphan ${orphanCount(k)} tw ${timewaitCount(k)} alloc ${alloc} mem ${Math.ceil(bytes / 4096)}`,
    'UDP: inuse 0 mem 0',
    'UDPLITE: inuse 0',
    'RAW: inuse 0',
    'FRAG: inuse 0 memory 0',
    '',
  ].join('\n');
}
