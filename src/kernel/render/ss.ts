import type { SocketInfo } from '../kernel.ts';
import type { TcpState } from '../types.ts';

/** State names as iproute2's ss prints them. */
export const SS_STATE: Record<TcpState, string> = {
  CLOSED: 'UNCONN',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  ESTABLISHED: 'ESTAB',
  FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT_2: 'FIN-WAIT-2',
  CLOSE_WAIT: 'CLOSE-WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST-ACK',
  TIME_WAIT: 'TIME-WAIT',
};

/** ss's print_ms_timer(): 204 → "204ms", 4540 → "4.540ms", 59000 → "59sec", 60000 → "1min". */
export function ssTimer(ms: number): string {
  const timeout = Math.max(0, Math.floor(ms));
  let secs = Math.floor(timeout / 1000);
  const minutes = Math.floor(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let buf = '';
  if (minutes) {
    msecs = 0;
    buf += `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    buf += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) buf += String(msecs).padStart(3, '0') + 'ms';
  return buf;
}

/** ss's state filter names (`ss state close-wait`), including its groups. */
export const SS_FILTER_STATES: Record<string, TcpState[]> = {
  established: ['ESTABLISHED'],
  'syn-sent': ['SYN_SENT'],
  'syn-recv': ['SYN_RECV'],
  'fin-wait-1': ['FIN_WAIT_1'],
  'fin-wait-2': ['FIN_WAIT_2'],
  'time-wait': ['TIME_WAIT'],
  closed: ['CLOSED'],
  'close-wait': ['CLOSE_WAIT'],
  'last-ack': ['LAST_ACK'],
  listening: ['LISTEN'],
  closing: ['CLOSING'],
  all: ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'],
  connected: ['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING'],
  synchronized: ['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING'],
  bucket: ['SYN_RECV', 'TIME_WAIT'],
  big: ['ESTABLISHED', 'SYN_SENT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'],
};

export interface SsOptions {
  /** -a: listening and TIME-WAIT sockets too (without -a, only "connected" ones without TIME-WAIT / SYN-RECV). */
  all?: boolean;
  /** -l: listening sockets only. */
  listening?: boolean;
  /** -o: timers. */
  timers?: boolean;
  /** -p: owning processes. */
  processes?: boolean;
  /** An explicit state filter (`state close-wait`), overrides -a/-l. */
  states?: TcpState[];
  /** Drop the header line (-H). */
  noHeader?: boolean;
}

/** Which sockets `ss -t` lists for the given options. */
export function ssSelect(sockets: SocketInfo[], opts: SsOptions): SocketInfo[] {
  const allowed: TcpState[] = opts.states ?? (opts.listening ? ['LISTEN'] : opts.all ? SS_FILTER_STATES['all']! : ['ESTABLISHED', 'SYN_SENT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING']);
  return sockets.filter((s) => allowed.includes(s.state));
}

function splitEndpoint(ep: string): [string, string] {
  const i = ep.lastIndexOf(':');
  return [ep.slice(0, i), ep.slice(i + 1)];
}

/** `ss -tn` as iproute2 6.x lays it out: columns sized to their contents, addresses right-aligned. */
export function formatSs(sockets: SocketInfo[], opts: SsOptions = {}): string {
  const rows = ssSelect(sockets, opts).map((s) => {
    const [la, lp] = splitEndpoint(s.local);
    const [pa, pp] = splitEndpoint(s.state === 'LISTEN' ? '0.0.0.0:*' : s.remote);
    let extra = '';
    if (opts.processes && s.owner) extra += ` users:(("${s.owner.proc}",pid=${s.owner.pid},fd=${s.owner.fd}))`;
    if (opts.timers && s.timer) extra += ` timer:(${s.timer.name},${ssTimer(s.timer.remainingUs / 1000)},${s.timer.retransmits})`;
    return { state: SS_STATE[s.state], rq: String(s.recvQ), sq: String(s.sendQ), la, lp, pa, pp, extra };
  });
  const w = {
    state: Math.max(5, ...rows.map((r) => r.state.length)),
    rq: Math.max(6, ...rows.map((r) => r.rq.length)),
    sq: Math.max(6, ...rows.map((r) => r.sq.length)),
    la: Math.max(13, ...rows.map((r) => r.la.length)),
    lp: Math.max(4, ...rows.map((r) => r.lp.length)),
    pa: Math.max(12, ...rows.map((r) => r.pa.length)),
    pp: Math.max(4, ...rows.map((r) => r.pp.length)),
  };
  const lines: string[] = [];
  if (!opts.noHeader) {
    lines.push(
      `${'State'.padEnd(w.state)} ${'Recv-Q'.padEnd(w.rq)} ${'Send-Q'.padEnd(w.sq)} ${'Local Address'.padStart(w.la)}:${'Port'.padEnd(w.lp)} ${'Peer Address'.padStart(w.pa)}:${'Port'.padEnd(w.pp)}Process`,
    );
  }
  for (const r of rows) {
    lines.push(`${r.state.padEnd(w.state)} ${r.rq.padEnd(w.rq)} ${r.sq.padEnd(w.sq)} ${r.la.padStart(w.la)}:${r.lp.padEnd(w.lp)} ${r.pa.padStart(w.pa)}:${r.pp.padEnd(w.pp)}${r.extra}`);
  }
  return lines.join('\n');
}
