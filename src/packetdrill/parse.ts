/**
 * The packetdrill parser: a hand-written reader of the subset documented in README.md, from the public
 * description of the language (no code of packetdrill's). One statement per line; a line that cannot be read
 * throws PktSyntaxError with `FILE:LINE: message`.
 */
import { SYSCTLS } from '../kernel/sysctl.ts';
import {
  DEFAULT_TOLERANCE_US,
  PktSyntaxError,
  type CallSpec,
  type CommandSpec,
  type EventTime,
  type Expr,
  type PacketSpec,
  type PktEvent,
  type PktScript,
  type SockOptName,
  type Syscall,
  type TcpOptionSpec,
  type TimePoint,
} from './ast.ts';

/** Errno names a script may expect (Linux's spelling); EWOULDBLOCK is EAGAIN. */
export const KNOWN_ERRNOS = new Set([
  'EAGAIN', 'EWOULDBLOCK', 'EBADF', 'EINVAL', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED',
  'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EISCONN', 'EALREADY', 'EINPROGRESS', 'EOPNOTSUPP', 'EMFILE', 'ENOPROTOOPT',
  'ENETUNREACH', 'EHOSTUNREACH', 'ENOTSOCK', 'EFAULT', 'EINTR', 'ENOBUFS',
]);

const SOCKOPTS: Record<SockOptName, { level: 'SOL_SOCKET' | 'IPPROTO_TCP'; value: 'int' | 'linger' }> = {
  SO_REUSEADDR: { level: 'SOL_SOCKET', value: 'int' },
  SO_LINGER: { level: 'SOL_SOCKET', value: 'linger' },
  SO_KEEPALIVE: { level: 'SOL_SOCKET', value: 'int' },
  SO_REUSEPORT: { level: 'SOL_SOCKET', value: 'int' },
  TCP_LINGER2: { level: 'IPPROTO_TCP', value: 'int' },
  TCP_USER_TIMEOUT: { level: 'IPPROTO_TCP', value: 'int' },
  TCP_KEEPIDLE: { level: 'IPPROTO_TCP', value: 'int' },
  TCP_KEEPINTVL: { level: 'IPPROTO_TCP', value: 'int' },
  TCP_KEEPCNT: { level: 'IPPROTO_TCP', value: 'int' },
  TCP_NODELAY: { level: 'IPPROTO_TCP', value: 'int' },
};

const CALLS = ['socket', 'bind', 'listen', 'accept', 'connect', 'setsockopt', 'getsockopt', 'fcntl', 'read', 'recv', 'write', 'send', 'shutdown', 'close'];

const U32 = 2 ** 32 - 1;

/** Blanks out `//` and `/* *\/` comments (keeping line breaks), leaving strings and backtick commands alone. */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const body = end < 0 ? source.slice(i) : source.slice(i, end + 2);
      out += body.replace(/[^\n]/g, ' ');
      i += body.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** A cursor over one line. */
class Line {
  pos = 0;
  readonly text: string;
  readonly fail: (msg: string) => never;
  constructor(text: string, fail: (msg: string) => never) {
    this.text = text;
    this.fail = fail;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }
  atEnd(): boolean {
    return this.peek() === '';
  }
  rest(): string {
    this.skipSpace();
    return this.text.slice(this.pos);
  }
  eat(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  expect(s: string, what: string): void {
    if (!this.eat(s)) this.fail(`expected ${what}${this.atEnd() ? ' at the end of the line' : ` before '${this.rest().slice(0, 20)}'`}`);
  }
  /** A word: letters, digits, underscores. */
  word(): string | null {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }
  /** A run of non-space characters up to one of the stop characters. */
  token(stop = ''): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && !/\s/.test(this.text[this.pos]!) && !stop.includes(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }
  /** A decimal or hex integer (optionally negative). */
  integer(what: string): number {
    this.skipSpace();
    const m = /^-?(0x[0-9a-fA-F]+|\d+)/.exec(this.text.slice(this.pos));
    if (!m) this.fail(`expected ${what}${this.atEnd() ? '' : `, found '${this.rest().split(/\s/)[0]}'`}`);
    this.pos += m[0].length;
    const neg = m[0].startsWith('-');
    const body = neg ? m[0].slice(1) : m[0];
    const n = body.startsWith('0x') ? parseInt(body, 16) : Number(body);
    return neg ? -n : n;
  }
  /** Seconds as packetdrill writes them (`0`, `1.5`, `.1`), in microseconds. */
  seconds(): number | null {
    this.skipSpace();
    const m = /^(\d+\.?\d*|\.\d+)/.exec(this.text.slice(this.pos));
    if (!m) return null;
    // Do not swallow the first dot of a "..." that follows a time ("+0...0.1").
    let text = m[0];
    if (text.endsWith('.') && this.text.startsWith('..', this.pos + text.length)) text = text.slice(0, -1);
    if (text.endsWith('.') && this.text.startsWith('...', this.pos + text.length - 1)) text = text.slice(0, -1);
    this.pos += text.length;
    return Math.round(Number(text) * 1e6);
  }
}

function timePoint(l: Line, what: string): TimePoint {
  const relative = l.eat('+');
  const us = l.seconds();
  if (us === null) l.fail(`expected ${what} (seconds such as 0, +0.1 or .25)${l.atEnd() ? '' : `, found '${l.rest().split(/\s/)[0]}'`}`);
  return { relative, us };
}

function parseTime(l: Line): EventTime {
  if (l.eat('*')) return { kind: 'any' };
  const at = timePoint(l, 'a time');
  if (l.eat('~')) {
    const to = timePoint(l, 'the end of the time range');
    if (to.relative !== at.relative) l.fail('both ends of a time range are relative (+0~+0.04) or both absolute (0.1~0.2)');
    if (to.us < at.us) l.fail(`the time range ends before it starts (${at.us / 1e6}~${to.us / 1e6})`);
    return { kind: 'range', from: at, to };
  }
  if (l.eat('...')) {
    if (l.peek() === '+') l.fail("the end of a blocking call is written without '+': it counts from the same point as its start (+0...0.1 returns 0.1 s after the previous event)");
    const end = l.seconds();
    if (end === null) l.fail('expected the time the blocking call returns after "..."');
    if (end < at.us) l.fail(`the blocking call returns (${end / 1e6}) before it starts (${at.us / 1e6})`);
    return { kind: 'blocking', at, end: { relative: at.relative, us: end } };
  }
  return { kind: 'at', at };
}

const FLAG_NAMES: Record<string, string> = { E: 'ECE', W: 'CWR', U: 'URG' };

function parseFlags(l: Line): string {
  const raw = l.token();
  if (raw === '') l.fail('expected TCP flags (S, S., ., P., F., R, R. …)');
  if (raw === '-') return '';
  if (raw === '.') return '.';
  const m = /^([A-Za-z]+)(\.?)$/.exec(raw);
  if (!m) l.fail(`bad flags '${raw}': write the letters S F R P, then "." for ACK (e.g. F. or R)`);
  const letters = m[1]!;
  for (const c of letters) {
    if (FLAG_NAMES[c]) l.fail(`bad flags '${raw}': ${c} (${FLAG_NAMES[c]}) is not simulated`);
    if (!'SFRP'.includes(c)) l.fail(`bad flags '${raw}': '${c}' is not a TCP flag (S F R P, and . for ACK)`);
  }
  if (new Set(letters).size !== letters.length) l.fail(`bad flags '${raw}': a flag is repeated`);
  return ['S', 'F', 'R', 'P'].filter((c) => letters.includes(c)).join('') + m[2];
}

function parseOptions(l: Line, direction: 'in' | 'out'): TcpOptionSpec[] | null {
  if (l.eat('...')) {
    if (direction === 'in') l.fail('<...> leaves options unchecked, so it fits only an outbound packet (>); an injected packet lists its options');
    l.expect('>', "'>' to close the options");
    return null;
  }
  const opts: TcpOptionSpec[] = [];
  for (;;) {
    const name = l.word();
    const bad = () => l.fail(`bad option '${name ?? l.rest().split(/[\s,>]/)[0]}': use mss N, wscale N, sackOK, sack A:B, TS val N ecr N, nop, eol`);
    switch (name) {
      case 'nop':
      case 'eol':
        opts.push({ kind: name });
        break;
      case 'sackOK':
        opts.push({ kind: 'sackOK' });
        break;
      case 'mss': {
        const value = l.integer('the MSS value');
        if (value < 0 || value > 65535) l.fail(`mss ${value} is out of range (0-65535)`);
        opts.push({ kind: 'mss', value });
        break;
      }
      case 'wscale': {
        const value = l.integer('the window scale shift count');
        if (value < 0 || value > 255) l.fail(`wscale ${value} is out of range (0-255)`);
        opts.push({ kind: 'wscale', value });
        break;
      }
      case 'sack': {
        const blocks: Array<[number, number]> = [];
        do {
          const a = l.integer('a SACK block (left:right)');
          l.expect(':', "':' in the SACK block");
          const b = l.integer('the right edge of the SACK block');
          if (a < 0 || b < 0 || a > U32 || b > U32) l.fail('SACK block out of range');
          blocks.push([a, b]);
        } while (/^\d/.test(l.peek()));
        if (blocks.length > 4) l.fail('a SACK option holds at most 4 blocks');
        opts.push({ kind: 'sack', blocks });
        break;
      }
      case 'TS': {
        if (l.word() !== 'val') l.fail("expected 'val' after TS (TS val N ecr N)");
        const val = l.integer('the TS value');
        if (l.word() !== 'ecr') l.fail("expected 'ecr' after the TS value (TS val N ecr N)");
        const ecr = l.integer('the TS echo reply');
        if (val < 0 || val > U32 || ecr < 0 || ecr > U32) l.fail('TS value out of range (0-4294967295)');
        opts.push({ kind: 'ts', val, ecr });
        break;
      }
      default:
        bad();
    }
    if (l.eat('>')) break;
    l.expect(',', "',' between options or '>' after them");
  }
  return opts;
}

function parsePacket(l: Line, direction: 'in' | 'out'): PacketSpec {
  if (l.peek() === '[' || l.peek() === '(') l.fail('IP-level fields ([ect0], (tos …)) are not simulated');
  const flags = parseFlags(l);
  const start = l.integer('the sequence numbers start:end(length)');
  l.expect(':', "':' in start:end(length)");
  const end = l.integer('the end sequence number');
  l.expect('(', "'(' before the payload length");
  const len = l.integer('the payload length');
  l.expect(')', "')' after the payload length");
  if (start < 0 || start > U32 || end < 0 || end > U32) l.fail('sequence number out of range (0-4294967295)');
  if (len < 0 || len > 65535) l.fail(`payload length ${len} is out of range`);
  if ((start + len) % 2 ** 32 !== end) l.fail(`inconsistent sequence numbers: ${start}:${end}(${len}) should end at ${(start + len) % 2 ** 32}`);
  if (len > 0 && flags.includes('S')) l.fail('data on a SYN (TCP Fast Open) is not simulated');
  let ack: number | null = null;
  let win: number | null = null;
  let options: TcpOptionSpec[] | null = [];
  for (;;) {
    if (l.atEnd()) break;
    if (l.eat('<')) {
      options = parseOptions(l, direction);
      if (!l.atEnd()) l.fail(`unexpected '${l.rest()}' after the options`);
      break;
    }
    const w = l.word();
    if (w === 'ack' && ack === null) {
      ack = l.integer('the acknowledgement number');
      if (ack < 0 || ack > U32) l.fail('ack out of range (0-4294967295)');
    } else if (w === 'win' && win === null) {
      win = l.integer('the window');
      if (win < 0 || win > 65535) l.fail(`win ${win} is out of range (0-65535)`);
    } else if (w === 'urg') l.fail('urgent data is not simulated');
    else l.fail(`unexpected '${w ?? l.rest().split(/\s/)[0]}' in a packet: after start:end(len) come ack N, win N and <options>`);
  }
  const hasAck = flags.endsWith('.');
  if (hasAck && ack === null) l.fail(`flags ${flags} carry ACK (.) but the line gives no "ack N"`);
  if (!hasAck && ack !== null) l.fail(`"ack ${ack}" needs the ACK flag: write ${flags || ''}. instead of ${flags || '-'}`);
  return { direction, flags, seq: start, len, ack, win, options };
}

// ── system calls ──────────────────────────────────────────────────────────────────────────────────

function parseExpr(l: Line): Expr {
  const items: Expr[] = [parsePrimary(l)];
  while (l.eat('|')) items.push(parsePrimary(l));
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parsePrimary(l: Line): Expr {
  if (l.eat('...')) return { kind: 'ellipsis' };
  const c = l.peek();
  if (c === '[') {
    l.eat('[');
    const items: Expr[] = [];
    if (!l.eat(']')) {
      do items.push(parseExpr(l));
      while (l.eat(','));
      l.expect(']', "']'");
    }
    return { kind: 'array', items };
  }
  if (c === '{') {
    l.eat('{');
    const fields: Record<string, Expr> = {};
    if (!l.eat('}')) {
      do {
        const name = l.word();
        if (!name) l.fail('expected a field name in {…}');
        l.expect('=', `'=' after ${name}`);
        fields[name] = parseExpr(l);
      } while (l.eat(','));
      l.expect('}', "'}'");
    }
    return { kind: 'struct', fields };
  }
  if (c === '"') {
    l.skipSpace();
    const m = /^"((?:\\.|[^"\\])*)"/.exec(l.text.slice(l.pos));
    if (!m) l.fail('unterminated string');
    l.pos += m[0].length;
    return { kind: 'string', value: m[1]! };
  }
  if (/[-0-9]/.test(c)) return { kind: 'int', value: l.integer('a number') };
  const w = l.word();
  if (w) return { kind: 'word', value: w };
  return l.fail(`unexpected '${l.rest().slice(0, 12)}' in the arguments`);
}

function fdArg(e: Expr | undefined, fail: (m: string) => never, call: string): number {
  if (e?.kind !== 'int' || e.value < 0) fail(`${call}: the first argument is a descriptor number (e.g. 3)`);
  return e.value;
}

function intArg(e: Expr | undefined, fail: (m: string) => never, what: string): number {
  if (e?.kind !== 'int') fail(`expected ${what} (a number)`);
  return e.value;
}

const anyOr = (e: Expr | undefined, ...words: string[]) => e?.kind === 'ellipsis' || (e?.kind === 'word' && words.includes(e.value));

function checkArgs(name: string, args: Expr[], n: number, fail: (m: string) => never, shape: string): void {
  if (args.length !== n) fail(`${name} takes ${n} argument${n === 1 ? '' : 's'}: ${shape}`);
}

function syscall(name: string, args: Expr[], fail: (m: string) => never): { call: Syscall; value?: string | number } {
  switch (name) {
    case 'socket':
      checkArgs(name, args, 3, fail, 'socket(..., SOCK_STREAM, IPPROTO_TCP)');
      if (!anyOr(args[0], 'AF_INET', 'PF_INET')) fail('socket: only IPv4 (..., AF_INET) is simulated');
      if (!anyOr(args[1], 'SOCK_STREAM')) fail('socket: only TCP (SOCK_STREAM) is simulated');
      if (!(anyOr(args[2], 'IPPROTO_TCP') || (args[2]?.kind === 'int' && args[2].value === 0))) fail('socket: only TCP (IPPROTO_TCP) is simulated');
      return { call: { name: 'socket' } };
    case 'bind':
    case 'accept':
    case 'connect': {
      checkArgs(name, args, 3, fail, `${name}(FD, ..., ...)`);
      const fd = fdArg(args[0], fail, name);
      if (args[1]?.kind !== 'ellipsis' || args[2]?.kind !== 'ellipsis') fail(`${name}: write the address as ..., ... (the executor uses packetdrill's addresses)`);
      return { call: { name, fd } };
    }
    case 'listen': {
      checkArgs(name, args, 2, fail, 'listen(FD, BACKLOG)');
      return { call: { name, fd: fdArg(args[0], fail, name), backlog: intArg(args[1], fail, 'the backlog') } };
    }
    case 'setsockopt': {
      checkArgs(name, args, 5, fail, 'setsockopt(FD, LEVEL, OPTION, VALUE, LENGTH)');
      const fd = fdArg(args[0], fail, name);
      const level = args[1]?.kind === 'word' ? args[1].value : '';
      const opt = args[2]?.kind === 'word' ? args[2].value : '';
      const known = SOCKOPTS[opt as SockOptName];
      if (!known) fail(`setsockopt: unknown or unsimulated option '${opt || '?'}' (known: ${Object.keys(SOCKOPTS).join(', ')})`);
      const lvl = level === 'SOL_TCP' || level === 'IPPROTO_TCP' ? 'IPPROTO_TCP' : level === 'SOL_SOCKET' ? 'SOL_SOCKET' : null;
      if (lvl !== known.level) fail(`setsockopt: ${opt} is a ${known.level === 'SOL_SOCKET' ? 'SOL_SOCKET' : 'SOL_TCP (IPPROTO_TCP)'} option, not ${level || '?'}`);
      const v = args[3];
      if (known.value === 'linger') {
        if (v?.kind !== 'struct' || v.fields['onoff']?.kind !== 'int' || v.fields['linger']?.kind !== 'int') fail('setsockopt: SO_LINGER takes {onoff=N, linger=N}');
        return { call: { name, fd, level: lvl, option: opt as SockOptName, value: { onoff: v.fields['onoff'].value, linger: v.fields['linger'].value } } };
      }
      const n = v?.kind === 'array' && v.items.length === 1 && v.items[0]!.kind === 'int' ? v.items[0]!.value : v?.kind === 'int' ? v.value : null;
      if (n === null) fail(`setsockopt: ${opt} takes an integer in brackets, e.g. [1]`);
      return { call: { name, fd, level: lvl, option: opt as SockOptName, value: n } };
    }
    case 'getsockopt': {
      checkArgs(name, args, 5, fail, 'getsockopt(FD, SOL_SOCKET, SO_ERROR, [ERRNO], [4])');
      const fd = fdArg(args[0], fail, name);
      if (!anyOr(args[1], 'SOL_SOCKET') || !anyOr(args[2], 'SO_ERROR')) fail('getsockopt: only SOL_SOCKET, SO_ERROR is simulated');
      const v = args[3];
      const item = v?.kind === 'array' && v.items.length === 1 ? v.items[0]! : null;
      let value: string | number;
      if (item?.kind === 'int') value = item.value;
      else if (item?.kind === 'word' && KNOWN_ERRNOS.has(item.value)) value = item.value === 'EWOULDBLOCK' ? 'EAGAIN' : item.value;
      else return fail('getsockopt: the value is [0] or an errno in brackets, e.g. [ECONNRESET]');
      return { call: { name, fd, option: 'SO_ERROR' }, value };
    }
    case 'fcntl': {
      const fd = fdArg(args[0], fail, name);
      const cmd = args[1]?.kind === 'word' ? args[1].value : '';
      if (cmd === 'F_GETFL') {
        checkArgs(name, args, 2, fail, 'fcntl(FD, F_GETFL)');
        return { call: { name, fd, cmd } };
      }
      if (cmd !== 'F_SETFL') fail('fcntl: only F_SETFL and F_GETFL are simulated');
      checkArgs(name, args, 3, fail, 'fcntl(FD, F_SETFL, O_RDWR|O_NONBLOCK)');
      const flags = args[2]?.kind === 'or' ? args[2].items : [args[2]];
      const words = flags.map((f) => (f?.kind === 'word' ? f.value : f?.kind === 'int' && f.value === 0 ? 'O_RDONLY' : '?'));
      for (const w of words) if (!['O_RDWR', 'O_RDONLY', 'O_WRONLY', 'O_NONBLOCK'].includes(w)) fail(`fcntl: unsimulated flag '${w}' (use O_RDWR|O_NONBLOCK)`);
      return { call: { name, fd, cmd, nonblock: words.includes('O_NONBLOCK') } };
    }
    case 'read':
    case 'write':
    case 'recv':
    case 'send': {
      const four = name === 'recv' || name === 'send';
      checkArgs(name, args, four ? 4 : 3, fail, `${name}(FD, ..., COUNT${four ? ', 0' : ''})`);
      const fd = fdArg(args[0], fail, name);
      if (args[1]?.kind !== 'ellipsis') fail(`${name}: write the buffer as ... (the executor ${name === 'read' || name === 'recv' ? 'reads into' : 'writes'} COUNT bytes)`);
      const count = intArg(args[2], fail, 'the byte count');
      if (count < 0 || count > 1 << 20) fail(`${name}: count ${count} is out of range (0-1048576)`);
      if (four && !(args[3]?.kind === 'int' && args[3].value === 0)) fail(`${name}: only flags 0 are simulated`);
      return { call: { name, fd, count } };
    }
    case 'shutdown': {
      checkArgs(name, args, 2, fail, 'shutdown(FD, SHUT_RD | SHUT_WR | SHUT_RDWR)');
      const how = args[1]?.kind === 'word' ? args[1].value : '';
      if (how !== 'SHUT_RD' && how !== 'SHUT_WR' && how !== 'SHUT_RDWR') fail('shutdown: the second argument is SHUT_RD, SHUT_WR or SHUT_RDWR');
      return { call: { name, fd: fdArg(args[0], fail, name), how } };
    }
    case 'close':
      checkArgs(name, args, 1, fail, 'close(FD)');
      return { call: { name, fd: fdArg(args[0], fail, name) } };
    default:
      return fail(`unknown call '${name}' (simulated: ${CALLS.join(', ')})`);
  }
}

function parseCall(l: Line, name: string): CallSpec {
  l.expect('(', `'(' after ${name}`);
  const args: Expr[] = [];
  if (!l.eat(')')) {
    do args.push(parseExpr(l));
    while (l.eat(','));
    l.expect(')', `')' to close the arguments of ${name}`);
  }
  if (!CALLS.includes(name)) l.fail(`unknown call '${name}' (simulated: ${CALLS.join(', ')})`);
  const { call, value } = syscall(name, args, l.fail);
  l.expect('=', "'= RESULT' after the call");
  const result = l.integer('the expected result (a number, or -1 ERRNO)');
  let errno: string | null = null;
  const w = l.word();
  if (w) {
    if (!KNOWN_ERRNOS.has(w)) l.fail(`unknown errno '${w}'`);
    errno = w === 'EWOULDBLOCK' ? 'EAGAIN' : w;
    if (l.eat('(')) {
      const close = l.text.lastIndexOf(')');
      if (close < l.pos) l.fail("expected ')' to close the note");
      l.pos = close + 1;
    }
  }
  if (!l.atEnd()) l.fail(`unexpected '${l.rest()}' after the result`);
  if (result === -1 && errno === null) l.fail('a call expected to fail (= -1) names its errno, e.g. = -1 EAGAIN (Resource temporarily unavailable)');
  if (result !== -1 && errno !== null) l.fail(`an errno (${errno}) goes with the result -1, not ${result}`);
  return value === undefined ? { call, result, errno } : { call, result, errno, value };
}

// ── backtick commands ─────────────────────────────────────────────────────────────────────────────

function parseCommand(l: Line): CommandSpec {
  l.skipSpace();
  const m = /^`((?:\\.|[^`\\])*)`/.exec(l.text.slice(l.pos));
  if (!m) l.fail('unterminated `command`');
  l.pos += m[0].length;
  if (!l.atEnd()) l.fail(`unexpected '${l.rest()}' after the command`);
  const text = m[1]!.trim();
  const words = text.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  if (words[0] !== 'sysctl') return { kind: 'unsupported', text };
  const settings: Array<{ key: string; value: string }> = [];
  for (const w of words.slice(1)) {
    if (/^-[qw]+$/.test(w)) continue;
    const eq = w.indexOf('=');
    if (eq <= 0) return { kind: 'unsupported', text };
    const key = w.slice(0, eq).replace(/\//g, '.');
    const value = w.slice(eq + 1).replace(/^"|"$/g, '');
    if (!SYSCTLS.some((s) => s.key === key)) l.fail(`sysctl ${key}: not modelled by the simulated kernel (modelled: ${SYSCTLS.map((s) => s.key.replace('net.ipv4.', '')).join(', ')})`);
    settings.push({ key, value });
  }
  if (settings.length === 0) return { kind: 'unsupported', text };
  return { kind: 'sysctl', settings };
}

// ── the script ────────────────────────────────────────────────────────────────────────────────────

/** Parses a packetdrill script; throws PktSyntaxError (`FILE:LINE: message`) on the first bad line. */
export function parsePkt(source: string, file = 'script.pkt'): PktScript {
  const lines = stripComments(source).split('\n');
  // Inline Python may span lines (`+0 %{` … `}%`): joined onto its first line, the others left blank so that
  // line numbers stay those of the file.
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes('%{') || lines[i]!.includes('}%')) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j]!.includes('}%')) j++;
    if (j === lines.length) throw new PktSyntaxError(file, i + 1, "inline Python '%{' is never closed by '}%'");
    lines[i] = lines.slice(i, j + 1).join(' ');
    for (let k = i + 1; k <= j; k++) lines[k] = '';
    i = j;
  }
  let toleranceUs = DEFAULT_TOLERANCE_US;
  const events: PktEvent[] = [];
  /** The script time of the previous event, when it is known before running (not after a `*`). */
  let lastAbs: number | null = 0;
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const text = raw.trim();
    if (text === '') return;
    const fail: (msg: string) => never = (msg) => {
      throw new PktSyntaxError(file, lineNo, msg);
    };
    if (text.startsWith('--')) {
      if (events.length > 0) fail('options (--name=value) go before the first event');
      const m = /^--([a-z_]+)=(\S+)$/.exec(text);
      if (!m) fail(`bad option line '${text}': write --name=value`);
      if (m[1] !== 'tolerance_usecs') fail(`unknown option --${m[1]} (supported: --tolerance_usecs=N)`);
      if (!/^\d+$/.test(m[2]!)) fail('--tolerance_usecs takes a whole number of microseconds');
      toleranceUs = Number(m[2]);
      return;
    }
    const l = new Line(text, fail);
    // A command before the first event may go without a time (packetdrill's init command): it runs at 0.
    const time: EventTime = text.startsWith('`') && events.length === 0 ? { kind: 'at', at: { relative: false, us: 0 } } : parseTime(l);
    const c = l.peek();
    let event: PktEvent;
    if (c === '<' || c === '>') {
      l.eat(c);
      const packet = parsePacket(l, c === '<' ? 'in' : 'out');
      event = { kind: 'packet', line: lineNo, time, text, packet };
    } else if (c === '`') {
      event = { kind: 'command', line: lineNo, time, text, command: parseCommand(l) };
    } else if (l.rest().startsWith('%{')) {
      const body = l.rest();
      if (!body.trimEnd().endsWith('}%')) fail("expected '}%' at the end of the inline Python");
      event = { kind: 'command', line: lineNo, time, text, command: { kind: 'python', text: body.trim().slice(2, -2).trim() } };
    } else {
      const name = l.word();
      if (!name || l.peek() !== '(') fail(`expected a packet (< or >), a system call or a \`command\` after the time, found '${l.rest().slice(0, 20)}'`);
      event = { kind: 'call', line: lineNo, time, text, spec: parseCall(l, name) };
    }
    if ((time.kind === 'any' || time.kind === 'range') && !(event.kind === 'packet' && event.packet.direction === 'out')) {
      fail(`'${time.kind === 'any' ? '*' : '~'}' times fit only an outbound packet (>): the script does everything else at a time it chooses`);
    }
    if (time.kind === 'blocking' && event.kind !== 'call') fail("'...' (a blocking call) fits only a system call");
    // Time may not go backwards: an absolute time earlier than the previous event's.
    const start = time.kind === 'at' || time.kind === 'blocking' ? time.at : time.kind === 'range' ? time.from : null;
    if (start && !start.relative && lastAbs !== null && start.us < lastAbs) {
      fail(`time goes backwards: ${start.us / 1e6} s comes after an event at ${lastAbs / 1e6} s (use +${((lastAbs - start.us) / 1e6).toFixed(3)} for a relative time?)`);
    }
    if (time.kind === 'any') lastAbs = null;
    else if (start) {
      if (!start.relative) lastAbs = start.us;
      else if (lastAbs !== null) lastAbs += start.us;
      if (time.kind === 'range') lastAbs = null; // the next relative time counts from when the packet really came
    }
    events.push(event);
  });
  if (events.length === 0) throw new PktSyntaxError(file, Math.max(1, lines.length), 'the script has no events');
  return { file, toleranceUs, events };
}
