import type { SegmentEvent } from '../trace.ts';
import type { TcpOption } from '../options.ts';

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

/** tcpdump's rendering of TCP options: `mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7`, `sack 1 {101:102}`. */
export function formatTcpOptions(options: readonly TcpOption[]): string {
  return options
    .map((o) => {
      switch (o.kind) {
        case 'mss':
        case 'wscale':
          return `${o.kind} ${o.value}`;
        case 'ts':
          return `TS val ${o.val} ecr ${o.ecr}`;
        case 'sack':
          return `sack ${o.blocks.length} ${o.blocks.map(([a, b]) => `{${a}:${b}}`).join('')}`;
        default:
          return o.kind;
      }
    })
    .join(',');
}

/**
 * One line as `tcpdump -i lo -nn` prints a TCP segment (tcpdump 4.99 print-tcp.c):
 * `IP 127.0.0.1.40000 > 127.0.0.1.8080: Flags [P.], seq 1:6, ack 1, win 64, length 5`, with
 * `options [...]` for segments that carry TCP options (the wire).
 * // DIVERGENCE: loopback segments carry no options in the model, so none are printed for them.
 */
export function formatTcpdumpLine(e: SegmentEvent, opts: TcpdumpOptions = {}): string {
  const seq = opts.absolute ? e.absSeq : e.seq;
  const ack = opts.absolute ? e.absAck : e.ack;
  const parts = [`Flags [${e.flags}]`];
  const hasSeqSpace = e.len > 0 || e.flags.includes('S') || e.flags.includes('F') || e.flags.includes('R');
  if (hasSeqSpace) parts.push(e.len > 0 ? `seq ${seq}:${(seq + e.len) % MOD}` : `seq ${seq}`);
  if (e.flags.includes('.')) parts.push(`ack ${ack}`);
  parts.push(`win ${e.win}`);
  if (e.options && e.options.length > 0) parts.push(`options [${formatTcpOptions(e.options)}]`);
  parts.push(`length ${e.len}`);
  const stamp = opts.stamp === undefined ? secondsStamp : opts.stamp;
  const time = stamp ? `${stamp(e.t)} ` : '';
  return `${time}IP ${tcpdumpEndpoint(e.src)} > ${tcpdumpEndpoint(e.dst)}: ${parts.join(', ')}${e.dropped ? ' (dropped)' : ''}`;
}
