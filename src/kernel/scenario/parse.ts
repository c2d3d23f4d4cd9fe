import { parseEndpoint } from '../types.ts';
import { ScenarioSyntaxError, type ProcCall } from './ast.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Splits on spaces, keeping "quoted strings" (with their escapes) as one token. */
export function tokenize(text: string, fail: (msg: string) => never): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) fail('unterminated string: expected a closing "');
      tokens.push(text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!)) j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

/** C-style escapes: \n \r \t \0 \\ \" \xHH. */
export function unescapeC(quoted: string, fail: (msg: string) => never): Uint8Array {
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...enc.encode(c));
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n': bytes.push(10); break;
      case 'r': bytes.push(13); break;
      case 't': bytes.push(9); break;
      case '0': bytes.push(0); break;
      case '\\': bytes.push(92); break;
      case '"': bytes.push(34); break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail(`bad escape \\x${hex}: expected two hex digits`);
        bytes.push(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        fail(`unknown escape \\${n ?? ''}: expected one of \\n \\r \\t \\0 \\\\ \\" \\xHH`);
    }
  }
  return new Uint8Array(bytes);
}

export function parseDuration(text: string, fail: (msg: string) => never): number {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s)$/.exec(text);
  if (!m) fail(`bad duration "${text}": expected a number with a unit, like 200ms, 5s or 50us`);
  const n = Number(m[1]);
  const us = m[2] === 'us' ? n : m[2] === 'ms' ? n * 1000 : n * 1_000_000;
  return Math.round(us);
}

export function parseCall(tokens: string[], fail: (msg: string) => never): ProcCall {
  const need = (n: number, usage: string) => {
    if (tokens.length !== n) fail(`expected "${usage}"`);
  };
  const sockName = (t: string | undefined) => {
    if (!t || !NAME.test(t)) fail(`expected a socket name, got "${t ?? ''}"`);
    return t;
  };
  const addr = (t: string | undefined) => {
    if (!t || !parseEndpoint(t)) fail(`expected an address like 127.0.0.1:8080, got "${t ?? ''}"`);
    return t;
  };
  // NAME = socket | NAME = accept L
  if (tokens[1] === '=') {
    const name = sockName(tokens[0]);
    if (tokens[2] === 'socket') {
      need(3, 'NAME = socket');
      return { op: 'socket', name };
    }
    if (tokens[2] === 'accept') {
      need(4, 'NAME = accept LISTENER');
      return { op: 'accept', name, sock: sockName(tokens[3]) };
    }
    if (tokens[2] === 'dup') {
      need(4, 'NAME = dup SOCKET');
      return { op: 'dup', name, sock: sockName(tokens[3]) };
    }
    fail(`expected "socket", "accept" or "dup" after "${name} =", got "${tokens[2] ?? ''}"`);
  }
  const [verb, s, arg] = tokens;
  switch (verb) {
    case 'bind':
      need(3, 'bind NAME ADDRESS');
      return { op: 'bind', sock: sockName(s), addr: addr(arg) };
    case 'listen': {
      if (tokens.length !== 2 && tokens.length !== 3) fail('expected "listen NAME [BACKLOG]"');
      if (arg !== undefined && !/^\d+$/.test(arg)) fail(`expected a backlog number, got "${arg}"`);
      return { op: 'listen', sock: sockName(s), backlog: arg === undefined ? null : Number(arg) };
    }
    case 'connect':
      need(3, 'connect NAME ADDRESS');
      return { op: 'connect', sock: sockName(s), addr: addr(arg) };
    case 'send': {
      need(3, 'send NAME "DATA"');
      // Extension: `send s 20000` sends that many bytes (a repeating a–z pattern), for buffers and windows.
      if (arg && /^\d+$/.test(arg)) {
        const n = Number(arg);
        if (n < 1 || n > 16 * 1024 * 1024) fail('expected between 1 and 16777216 bytes');
        return { op: 'send', sock: sockName(s), data: Uint8Array.from({ length: n }, (_, i) => 97 + (i % 26)), literal: arg };
      }
      if (!arg || !arg.startsWith('"') || !arg.endsWith('"') || arg.length < 2) fail('expected a quoted string: send NAME "DATA" (or a byte count: send NAME 20000)');
      return { op: 'send', sock: sockName(s), data: unescapeC(arg, fail), literal: arg };
    }
    case 'recv':
      need(3, 'recv NAME MAXBYTES');
      if (!arg || !/^\d+$/.test(arg) || Number(arg) === 0) fail(`expected a positive byte count, got "${arg ?? ''}"`);
      return { op: 'recv', sock: sockName(s), max: Number(arg) };
    case 'shutdown':
      need(3, 'shutdown NAME SHUT_RD|SHUT_WR|SHUT_RDWR');
      if (arg !== 'SHUT_RD' && arg !== 'SHUT_WR' && arg !== 'SHUT_RDWR') fail(`expected SHUT_RD, SHUT_WR or SHUT_RDWR, got "${arg ?? ''}"`);
      return { op: 'shutdown', sock: sockName(s), how: arg };
    case 'linger':
      need(3, 'linger NAME SECONDS|off');
      if (arg !== 'off' && !/^\d+$/.test(arg ?? '')) fail(`expected a number of seconds or "off", got "${arg ?? ''}"`);
      return { op: 'linger', sock: sockName(s), seconds: arg === 'off' ? null : Number(arg) };
    case 'reuseaddr':
      need(2, 'reuseaddr NAME');
      return { op: 'reuseaddr', sock: sockName(s) };
    case 'close':
      need(2, 'close NAME');
      return { op: 'close', sock: sockName(s) };
    case 'keepalive': {
      const usage = 'keepalive NAME on|off [idle=SECONDS] [intvl=SECONDS] [cnt=N]';
      if (arg !== 'on' && arg !== 'off') fail(`expected "${usage}"`);
      const opts: Record<'idle' | 'intvl' | 'cnt', number | null> = { idle: null, intvl: null, cnt: null };
      for (const t of tokens.slice(3)) {
        const m = /^(idle|intvl|cnt)=(-?\d+)$/.exec(t);
        if (!m || arg === 'off') fail(`expected "${usage}", got "${t}"`);
        opts[m[1] as 'idle' | 'intvl' | 'cnt'] = Number(m[2]);
      }
      return { op: 'keepalive', sock: sockName(s), on: arg === 'on', ...opts };
    }
    case 'usertimeout': {
      need(3, 'usertimeout NAME DURATION (like 3000ms or 3s; 0 turns it off)');
      const us = arg === '0' ? 0 : parseDuration(arg ?? '', fail);
      if (us % 1000 !== 0) fail(`expected whole milliseconds, got "${arg ?? ''}"`);
      return { op: 'usertimeout', sock: sockName(s), ms: us / 1000 };
    }
    case 'reuseport':
      need(2, 'reuseport NAME');
      return { op: 'reuseport', sock: sockName(s) };
    case 'linger2':
      need(3, 'linger2 NAME SECONDS');
      if (!/^-?\d+$/.test(arg ?? '')) fail(`expected a whole number of seconds (negative: reset instead of FIN_WAIT_2), got "${arg ?? ''}"`);
      return { op: 'linger2', sock: sockName(s), seconds: Number(arg) };
    default:
      return fail(
        `unknown call "${verb ?? ''}": expected socket, bind, listen, connect, accept, dup, send, recv, shutdown, linger, reuseaddr, close, keepalive, usertimeout, reuseport or linger2`,
      );
  }
}

/** Parses one call as a program would type it after "PROC: " (the `sock` shell command uses this). */
export function parseCallText(text: string): { ok: true; call: ProcCall } | { ok: false; error: string } {
  try {
    const fail = (msg: string): never => {
      throw new ScenarioSyntaxError('', 0, msg);
    };
    return { ok: true, call: parseCall(tokenize(text.trim(), fail), fail) };
  } catch (e) {
    if (e instanceof ScenarioSyntaxError) return { ok: false, error: e.detail };
    throw e;
  }
}
