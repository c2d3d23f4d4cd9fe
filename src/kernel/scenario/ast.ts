/** The scenario language of shared/SCENARIOS.md, parsed. */
export type ProcCall =
  | { op: 'socket'; name: string }
  | { op: 'bind'; sock: string; addr: string }
  | { op: 'listen'; sock: string; backlog: number | null }
  | { op: 'connect'; sock: string; addr: string }
  | { op: 'accept'; sock: string; name: string }
  /** NAME = dup SOCK: a second descriptor for the same socket (extension). */
  | { op: 'dup'; sock: string; name: string }
  | { op: 'send'; sock: string; data: Uint8Array; literal: string }
  | { op: 'recv'; sock: string; max: number }
  | { op: 'shutdown'; sock: string; how: 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR' }
  | { op: 'linger'; sock: string; seconds: number | null }
  | { op: 'reuseaddr'; sock: string }
  | { op: 'close'; sock: string };

export type Statement =
  | { kind: 'call'; line: number; proc: string; call: ProcCall; background: boolean; text: string }
  | { kind: 'sysctl'; line: number; key: string; value: string }
  | { kind: 'kill'; line: number; proc: string }
  /** fork PROC CHILD: CHILD holds every socket of PROC, under the same names (extension). */
  | { kind: 'fork'; line: number; proc: string; child: string }
  | { kind: 'drop'; line: number; proc: string; sock: string; flags: string | null }
  | { kind: 'sleep'; line: number; us: number }
  /** recvQ: also assert ss's Recv-Q column (`expect srv:a CLOSE_WAIT recv-q 1`, extension). */
  | { kind: 'expect'; line: number; proc: string; sock: string; state: string; recvQ?: number }
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
