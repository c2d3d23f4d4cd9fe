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
  /** -n: port numbers, not service names. Default true (what the course's commands ask for). */
  numeric?: boolean;
  /** Without -n: the name of a port (getservbyport; render/services.ts), or null to print the number. */
  serviceName?: (port: number) => string | null;
  /** No -t (nor another socket type): ss lists every kind of socket and shows the Netid column. */
  allKinds?: boolean;
  /** The terminal's width when ss writes to a terminal: ss spreads its columns over it. Absent: a pipe. */
  screenWidth?: number;
  /**
   * false: an empty Process field is not padded (rows end at the peer port). The scenario language's
   * `ss` line prints so, as its golden files were made before ss's Process column was laid out exactly.
   */
  padProcess?: boolean;
  /** The first port of the ephemeral range (net.ipv4.ip_local_port_range), never resolved to a name. */
  ephemeral?: [number, number];
}

/** Which sockets `ss -t` lists for the given options. */
export function ssSelect(sockets: SocketInfo[], opts: SsOptions): SocketInfo[] {
  // A TCP socket that is neither listening nor connected is in no hash table: inet_diag never lists it.
  return sockets.filter((s) => s.state !== 'CLOSED' && ssStates(opts).includes(s.state));
}

function ssStates(opts: SsOptions): TcpState[] {
  // -l is LISTEN and UNCONN (SS_CLOSE), as in ss.c; -a is every state.
  return opts.states ?? (opts.listening ? ['LISTEN', 'CLOSED'] : opts.all ? [...SS_FILTER_STATES['all']!, 'CLOSED'] : ['ESTABLISHED', 'SYN_SENT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING']);
}

function splitEndpoint(ep: string): [string, string] {
  const i = ep.lastIndexOf(':');
  return [ep.slice(0, i), ep.slice(i + 1)];
}

/** ss.c's columns: Netid State Recv-Q Send-Q Local-Address: Port Peer-Address: Port Process (ext). */
const COLUMNS: ReadonlyArray<{ header: string; right: boolean; delim: string }> = [
  { header: 'Netid', right: false, delim: '' },
  { header: 'State', right: false, delim: ' ' },
  { header: 'Recv-Q', right: false, delim: ' ' },
  { header: 'Send-Q', right: false, delim: ' ' },
  { header: 'Local Address:', right: true, delim: ' ' },
  { header: 'Port', right: false, delim: '' },
  { header: 'Peer Address:', right: true, delim: ' ' },
  { header: 'Port', right: false, delim: '' },
  { header: 'Process', right: false, delim: '' },
  { header: '', right: false, delim: '' },
];

/**
 * ss as iproute2 6.x prints TCP sockets: every field is buffered, each column as wide as its widest
 * field (render_calc_width()); on a terminal the columns are spread over its width, and a record that
 * does not fit continues on the next row, aligned. The Netid column shows only when ss lists every kind
 * of socket; the State column disappears when a filter leaves a single state.
 */
export function formatSs(sockets: SocketInfo[], opts: SsOptions = {}): string {
  const states = ssStates(opts);
  const numeric = opts.numeric ?? true;
  const [lo, hi] = opts.ephemeral ?? [32768, 60999];
  const named = opts.serviceName;
  const port = (p: string) => (numeric || !named || p === '*' || (Number(p) >= lo && Number(p) <= hi) ? p : (named(Number(p)) ?? p));
  const enabled = COLUMNS.map((_, i) => !(i === 0 && !opts.allKinds) && !(i === 1 && new Set(states).size === 1));
  const records: string[][] = [];
  if (!opts.noHeader) records.push([...COLUMNS.map((c) => c.header).slice(0, 9), '']);
  for (const s of ssSelect(sockets, opts)) {
    const [la, lp] = splitEndpoint(s.local);
    const [pa, pp] = splitEndpoint(s.state === 'LISTEN' ? '0.0.0.0:*' : s.remote);
    let proc = '';
    if (opts.processes && s.owner) proc += ` users:(("${s.owner.proc}",pid=${s.owner.pid},fd=${s.owner.fd}))`;
    if (opts.timers && s.timer) proc += ` timer:(${s.timer.name},${ssTimer(s.timer.remainingUs / 1000)},${s.timer.retransmits})`;
    records.push(['tcp', SS_STATE[s.state], String(s.recvQ).padEnd(6), String(s.sendQ).padEnd(6), `${la}:`, port(lp), `${pa}:`, port(pp), proc, '']);
  }
  const widths = columnWidths(records, enabled, opts.screenWidth);
  return records
    .map((rec) => {
      let line = '';
      let started = false;
      rec.forEach((field, i) => {
        if (!enabled[i]) return;
        const c = COLUMNS[i]!;
        const w = widths[i]!;
        let printed = 0;
        if (started) {
          line += c.delim;
          printed = c.delim.length;
        }
        started = true;
        if (c.right && w > 0) {
          const left = Math.max(0, w - field.length - printed);
          line += ' '.repeat(left);
          printed += left;
        }
        line += field;
        printed += field.length;
        if (!c.right && w > printed && !(i === 8 && field === '' && opts.padProcess === false)) line += ' '.repeat(w - printed);
      });
      return line;
    })
    .join('\n');
}

/** render_calc_width() of ss.c: widths from the contents, then (on a terminal) the spare room spread. */
function columnWidths(records: string[][], enabled: boolean[], screen: number | undefined): number[] {
  const max = COLUMNS.map((_, i) => Math.max(0, ...records.map((r) => r[i]!.length)));
  const width = COLUMNS.map(() => 0);
  let first = true;
  COLUMNS.forEach((c, i) => {
    if (!enabled[i]) return;
    width[i] = !first && max[i]! > 0 ? max[i]! + c.delim.length : max[i]!;
    if (screen !== undefined) width[i] = Math.min(width[i]!, screen);
    if (width[i]! > 0) first = false;
  });
  if (screen === undefined) return width;
  let len = 0;
  let lineCols = 0;
  let eol = -1;
  for (let c = 0; c < COLUMNS.length; c++) {
    if (!width[c]) continue;
    lineCols++;
    len += width[c]!;
    const last = !width.some((w, j) => j > c && w > 0);
    if (!last && len < screen) continue;
    if (len !== screen) {
      if (len > screen) {
        // This column starts the next row: spread the room over the ones before it.
        len -= width[c]!;
        c--;
        lineCols--;
      }
      const pad = screen - len;
      const spacing = Math.floor(pad / lineCols);
      let rem = pad % lineCols;
      for (let t = c; t > eol; t--) {
        if (!width[t]) continue;
        width[t] = width[t]! + spacing + (rem > 0 ? 1 : 0);
        if (rem > 0) rem--;
      }
    }
    eol = c;
    len = 0;
    lineCols = 0;
  }
  return width;
}
