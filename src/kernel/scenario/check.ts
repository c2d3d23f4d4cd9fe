import { ScenarioSyntaxError, type Scenario } from './ast.ts';

/**
 * Static checks after parsing, so mistakes fail before anything runs (exit 2): a socket used before it is
 * created, or a process used after it was killed.
 */
export function checkScenario(scenario: Scenario): void {
  const defined = new Set<string>();
  const killedAt = new Map<string, number>();
  /** Every process name used so far (a fork must make a new one). */
  const seen = new Set<string>();
  for (const st of scenario.statements) {
    if (st.kind === 'call' || st.kind === 'kill' || st.kind === 'fork') seen.add(st.proc);
    const fail = (msg: string): never => {
      throw new ScenarioSyntaxError(scenario.file, st.line, msg);
    };
    const useProc = (proc: string) => {
      const k = killedAt.get(proc);
      if (k !== undefined) fail(`process "${proc}" was killed on line ${k}; start a new process name instead`);
    };
    const useSock = (proc: string, sock: string) => {
      if (!defined.has(`${proc}:${sock}`)) fail(`no socket "${sock}" in process "${proc}": create it first with "${proc}: ${sock} = socket"`);
    };
    switch (st.kind) {
      case 'call': {
        useProc(st.proc);
        const c = st.call;
        if (c.op === 'socket') defined.add(`${st.proc}:${c.name}`);
        else if (c.op === 'accept' || c.op === 'dup') {
          useSock(st.proc, c.sock);
          defined.add(`${st.proc}:${c.name}`);
        } else useSock(st.proc, c.sock);
        break;
      }
      case 'kill':
        useProc(st.proc);
        killedAt.set(st.proc, st.line);
        break;
      case 'fork': {
        useProc(st.proc);
        if (seen.has(st.child)) fail(`process "${st.child}" already exists: fork into a new process name`);
        for (const name of [...defined]) {
          if (name.startsWith(`${st.proc}:`)) defined.add(`${st.child}:${name.slice(st.proc.length + 1)}`);
        }
        seen.add(st.child);
        break;
      }
      case 'drop':
      case 'drop-all':
      case 'undrop':
      case 'expect':
        if (!defined.has(`${st.proc}:${st.sock}`)) fail(`no socket "${st.proc}:${st.sock}" has been created by this line`);
        break;
      default:
        break;
    }
  }
}
