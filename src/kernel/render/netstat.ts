import type { SocketInfo } from '../kernel.ts';
import type { TcpState } from '../types.ts';

/** State names as net-tools' netstat prints them. */
export const NETSTAT_STATE: Record<TcpState, string> = {
  CLOSED: 'CLOSE',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECV: 'SYN_RECV',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSE_WAIT: 'CLOSE_WAIT',
  CLOSING: 'CLOSING',
  LAST_ACK: 'LAST_ACK',
  TIME_WAIT: 'TIME_WAIT',
};

export interface NetstatOptions {
  /** -a: listening sockets too. */
  all?: boolean;
  /** -l: only listening sockets. */
  listening?: boolean;
  /** -o: the Timer column. */
  timers?: boolean;
  /** -p: the PID/Program name column. */
  processes?: boolean;
}

/** `netstat -nt` as net-tools 2.10 prints it (printf "%-4s  %6ld %6ld %-23s %-23s %-11s"). */
export function formatNetstat(sockets: SocketInfo[], opts: NetstatOptions = {}): string {
  const rows = sockets.filter((s) => (opts.listening ? s.state === 'LISTEN' : opts.all || s.state !== 'LISTEN'));
  const title = opts.listening ? 'Active Internet connections (only servers)' : opts.all ? 'Active Internet connections (servers and established)' : 'Active Internet connections (w/o servers)';
  let header = 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  if (opts.processes) header += ' PID/Program name    ';
  if (opts.timers) header += ' Timer';
  const lines = [title, header.trimEnd() === header ? header : header];
  for (const s of rows) {
    const remote = s.state === 'LISTEN' ? '0.0.0.0:*' : s.remote;
    // /proc/net/tcp (get_tcp4_sock()): a listener's tx_queue is 0; ss shows the backlog there instead.
    const sendQ = s.state === 'LISTEN' ? 0 : s.sendQ;
    let line = `${'tcp'.padEnd(4)}  ${String(s.recvQ).padStart(6)} ${String(sendQ).padStart(6)} ${s.local.padEnd(Math.max(23, s.local.length))} ${remote.padEnd(Math.max(23, remote.length))} ${NETSTAT_STATE[s.state].padEnd(11)}`;
    if (opts.processes) line += ` ${(s.owner ? `${s.owner.pid}/${s.owner.proc}` : '-').padEnd(20)}`;
    if (opts.timers) {
      const t = s.timer;
      line += t ? ` ${t.name} (${(t.remainingUs / 1e6).toFixed(2)}/${t.retransmits}/0)` : ' off (0.00/0/0)';
    }
    lines.push(line);
  }
  return lines.join('\n');
}
