/** The scenario language of shared/SCENARIOS.md, parsed. */
export type ProcCall =
  | { op: 'socket'; name: string }
  | { op: 'bind'; sock: string; addr: string }
  | { op: 'listen'; sock: string; backlog: number | null }
  | { op: 'connect'; sock: string; addr: string }
  | { op: 'accept'; sock: string; name: string }
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
  | { kind: 'drop'; line: number; proc: string; sock: string; flags: string | null }
  | { kind: 'sleep'; line: number; us: number }
  | { kind: 'expect'; line: number; proc: string; sock: string; state: string }
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
