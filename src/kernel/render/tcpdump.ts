import type { SegmentEvent } from '../trace.ts';

const MOD = 2 ** 32;

/** "127.0.0.1:6666" → "127.0.0.1.6666", as tcpdump -nn writes an endpoint. */
export function tcpdumpEndpoint(ep: string): string {
  const i = ep.lastIndexOf(':');
  return `${ep.slice(0, i)}.${ep.slice(i + 1)}`;
}

/** Seconds since the start, as tcpdump -ttttt would count them: "0.000020". */
export function secondsStamp(us: number): string {
  return (us / 1e6).toFixed(6);
}

/** Time of day as tcpdump prints by default ("00:00:01.500020"), counting from the kernel's start. */
export function clockStamp(us: number): string {
  const total = Math.floor(us / 1e6);
  const h = Math.floor(total / 3600) % 24;
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const frac = String(Math.floor(us % 1e6)).padStart(6, '0');
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${frac}`;
}

export interface TcpdumpOptions {
  /** -S: absolute sequence numbers. */
  absolute?: boolean;
  /** How the time column is written; null leaves it out (-t). */
  stamp?: ((us: number) => string) | null;
}

/**
 * One line as `tcpdump -i lo -nn` prints a TCP segment (tcpdump 4.99 print-tcp.c), without the options
 * field: `IP 127.0.0.1.40000 > 127.0.0.1.8080: Flags [P.], seq 1:6, ack 1, win 64, length 5`.
 * // DIVERGENCE: loopback segments carry no TCP options in the model, so none are printed (the wire's
 * options are shown by the packetdrill reports, wire.ts formatTcpOptions).
 */
export function formatTcpdumpLine(e: SegmentEvent, opts: TcpdumpOptions = {}): string {
  const seq = opts.absolute ? e.absSeq : e.seq;
  const ack = opts.absolute ? e.absAck : e.ack;
  const parts = [`Flags [${e.flags}]`];
  const hasSeqSpace = e.len > 0 || e.flags.includes('S') || e.flags.includes('F') || e.flags.includes('R');
  if (hasSeqSpace) parts.push(e.len > 0 ? `seq ${seq}:${(seq + e.len) % MOD}` : `seq ${seq}`);
  if (e.flags.includes('.')) parts.push(`ack ${ack}`);
  parts.push(`win ${e.win}`);
  parts.push(`length ${e.len}`);
  const stamp = opts.stamp === undefined ? secondsStamp : opts.stamp;
  const time = stamp ? `${stamp(e.t)} ` : '';
  return `${time}IP ${tcpdumpEndpoint(e.src)} > ${tcpdumpEndpoint(e.dst)}: ${parts.join(', ')}${e.dropped ? ' (dropped)' : ''}`;
}
