/** The scenario language of shared/SCENARIOS.md, parsed. */
export type ProcCall =
  | { op: 'socket'; name: string }
  | { op: 'bind'; sock: string; addr: string }
  | { op: 'listen'; sock: string; backlog: number | null }
  | { op: 'connect'; sock: string; addr: string }
  | { op: 'accept'; sock: string; name: string }
  /** NAME = dup SOCK: a second descriptor for the same socket. */
  | { op: 'dup'; sock: string; name: string }
  | { op: 'send'; sock: string; data: Uint8Array; literal: string }
  | { op: 'recv'; sock: string; max: number }
  | { op: 'shutdown'; sock: string; how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR' }
  | { op: 'linger'; sock: string; seconds: number | null }
  | { op: 'reuseaddr'; sock: string }
  | { op: 'close'; sock: string }
  /** SO_KEEPALIVE on or off, then TCP_KEEPIDLE / TCP_KEEPINTVL (seconds) and TCP_KEEPCNT when given. */
  | { op: 'keepalive'; sock: string; on: boolean; idle: number | null; intvl: number | null; cnt: number | null }
  /** TCP_USER_TIMEOUT in milliseconds (0 turns it off). */
  | { op: 'usertimeout'; sock: string; ms: number }
  /** SO_REUSEPORT. */
  | { op: 'reuseport'; sock: string }
  /** TCP_LINGER2 in seconds (negative: reset instead of waiting in FIN_WAIT_2; 0: tcp_fin_timeout). */
  | { op: 'linger2'; sock: string; seconds: number };

export type Statement =
  | { kind: 'call'; line: number; proc: string; call: ProcCall; background: boolean; text: string }
  | { kind: 'sysctl'; line: number; key: string; value: string }
  | { kind: 'kill'; line: number; proc: string }
  /** fork PROC CHILD: CHILD holds every socket of PROC, under the same names (extension). */
  | { kind: 'fork'; line: number; proc: string; child: string }
  | { kind: 'drop'; line: number; proc: string; sock: string; flags: string | null }
  /** Every later segment the socket sends with these flags is lost, until `undrop` (a dead peer, a partition). */
  | { kind: 'drop-all'; line: number; proc: string; sock: string; flags: string | null }
  | { kind: 'undrop'; line: number; proc: string; sock: string }
  | { kind: 'sleep'; line: number; us: number }
  /** With recvQ / sendQ: also the Recv-Q and Send-Q that `ss -tan` shows for the socket (`recv-q 1` or `recv-q=1`). */
  | { kind: 'expect'; line: number; proc: string; sock: string; state: string; recvQ?: number; sendQ?: number }
  | { kind: 'expect-segments'; line: number; count: number }
  | { kind: 'ss'; line: number };

export interface Scenario {
  file: string;
  statements: Statement[];
}

export class ScenarioSyntaxError extends Error {
  readonly file: string;
  readonly line: number;
  readonly detail: string;
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ScenarioSyntaxError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}
