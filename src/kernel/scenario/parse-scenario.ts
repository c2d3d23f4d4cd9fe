/**
 * The scenario file reader: one statement per line (see SCENARIOS.md). Calls ("PROC: call") are read by
 * parse.ts, which the lab's `sock` command shares; this module is loaded only where whole scenarios are read.
 */
import { TCP_STATES } from '../types.ts';
import { Sysctls } from '../sysctl.ts';
import { ScenarioSyntaxError, type Scenario, type Statement } from './ast.ts';
import { parseCall, parseDuration, tokenize } from './parse.ts';

const FLAGS = /^(S|S\.|\.|P\.|F\.|FP\.|R|R\.|any)$/;

/** Removes a trailing `# comment`, but not a # inside a quoted string. */
function stripComment(line: string): string {
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inQuote) {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    if (c === '#' && !inQuote) return line.slice(0, i);
  }
  return line;
}

function procSock(text: string | undefined, fail: (msg: string) => never): { proc: string; sock: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_-]*):([A-Za-z_][A-Za-z0-9_.-]*)$/.exec(text ?? '');
  if (!m) fail(`expected PROC:SOCKET, like cli:s, got "${text ?? ''}"`);
  return { proc: m[1]!, sock: m[2]! };
}

/** Parses a scenario; throws ScenarioSyntaxError naming FILE:LINE and what was expected. */
export function parseScenario(source: string, file = '<scenario>'): Scenario {
  const statements: Statement[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const fail = (msg: string): never => {
      throw new ScenarioSyntaxError(file, line, msg);
    };
    const text = stripComment(raw).trim();
    if (text === '') return;
    // PROC: call
    const procMatch = /^([A-Za-z_][A-Za-z0-9_-]*):\s+(.*)$/.exec(text);
    if (procMatch) {
      const proc = procMatch[1]!;
      let rest = procMatch[2]!.trim();
      let background = false;
      if (rest.endsWith('&')) {
        background = true;
        rest = rest.slice(0, -1).trim();
      }
      const call = parseCall(tokenize(rest, fail), fail);
      statements.push({ kind: 'call', line, proc, call, background, text: rest });
      return;
    }
    const tokens = tokenize(text, fail);
    const [head, a, b, c] = tokens;
    switch (head) {
      case 'sysctl': {
        const m = /^([a-z0-9_.]+)=(.+)$/.exec(tokens.slice(1).join(' '));
        if (!m) return fail('expected "sysctl KEY=VALUE", like sysctl net.ipv4.tcp_fin_timeout=5');
        const key = m[1]!;
        const check = new Sysctls().set(key, m[2]!.replace(/\s+/g, '\t'));
        if (!check.ok) return fail(`sysctl ${key}: ${check.message}`);
        statements.push({ kind: 'sysctl', line, key, value: check.value });
        return;
      }
      case 'kill':
        if (tokens.length !== 2 || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(a ?? '')) fail('expected "kill PROC"');
        statements.push({ kind: 'kill', line, proc: a! });
        return;
      case 'fork': {
        const procName = /^[A-Za-z_][A-Za-z0-9_-]*$/;
        if (tokens.length !== 3 || !procName.test(a ?? '') || !procName.test(b ?? '')) fail('expected "fork PROC CHILD", like fork srv worker');
        if (a === b) fail('a process cannot fork into its own name: expected "fork PROC CHILD" with a new CHILD');
        statements.push({ kind: 'fork', line, proc: a!, child: b! });
        return;
      }
      case 'drop': {
        if ((a !== 'next' && a !== 'all') || tokens.length !== 4) fail('expected "drop next|all PROC:SOCKET FLAGS", like drop next cli:s .');
        const ps = procSock(b, fail);
        if (!FLAGS.test(c ?? '')) fail(`expected tcpdump flags (S, S., ., P., F., FP., R, R. or any), got "${c ?? ''}"`);
        statements.push({ kind: a === 'all' ? 'drop-all' : 'drop', line, proc: ps.proc, sock: ps.sock, flags: c === 'any' ? null : c! });
        return;
      }
      case 'undrop': {
        if (tokens.length !== 2) fail('expected "undrop PROC:SOCKET", like undrop srv:a');
        const ps = procSock(a, fail);
        statements.push({ kind: 'undrop', line, proc: ps.proc, sock: ps.sock });
        return;
      }
      case 'sleep':
        if (tokens.length !== 2) fail('expected "sleep DURATION", like sleep 200ms');
        statements.push({ kind: 'sleep', line, us: parseDuration(a!, fail) });
        return;
      case 'expect': {
        // The queues read either way: `recv-q 1` or `recv-q=1` (both extensions are in use).
        const usage = 'expected "expect PROC:SOCKET STATE [recv-q N] [send-q N]", like expect cli:s FIN_WAIT_2';
        if (tokens.length < 3) fail(usage);
        const ps = procSock(a, fail);
        if (!TCP_STATES.includes(b as never)) fail(`unknown state "${b ?? ''}": expected one of ${TCP_STATES.join(', ')}`);
        const st: Statement & { kind: 'expect' } = { kind: 'expect', line, proc: ps.proc, sock: ps.sock, state: b! };
        const rest = tokens.slice(3).join(' ').replace(/\b(recv-q|send-q)=/g, '$1 ').split(/\s+/).filter(Boolean);
        if (rest.length % 2 !== 0 || rest.length > 4) fail(usage);
        for (let i = 0; i < rest.length; i += 2) {
          const which = rest[i];
          const n = rest[i + 1] ?? '';
          if ((which !== 'recv-q' && which !== 'send-q') || !/^\d+$/.test(n)) fail(usage);
          if (which === 'recv-q') st.recvQ = Number(n);
          else st.sendQ = Number(n);
        }
        statements.push(st);
        return;
      }
      case 'expect-segments':
        if (tokens.length !== 2 || !/^\d+$/.test(a ?? '')) fail('expected "expect-segments N"');
        statements.push({ kind: 'expect-segments', line, count: Number(a) });
        return;
      case 'ss':
        if (tokens.length !== 1) fail('expected "ss" alone');
        statements.push({ kind: 'ss', line });
        return;
      default:
        fail(`cannot read "${text}": expected "PROC: call", sysctl, kill, fork, drop, undrop, sleep, expect, expect-segments or ss`);
    }
  });
  return { file, statements };
}
