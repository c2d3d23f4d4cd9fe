import { describe, expect, test } from 'vitest';
import { checkScenario, parseScenario, ScenarioSyntaxError } from '../scenario/index.ts';

function syntaxError(source: string): string {
  try {
    const s = parseScenario(source, 'bad.tcplab');
    checkScenario(s);
  } catch (e) {
    if (e instanceof ScenarioSyntaxError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('scenario parser', () => {
  test('reads every line form of SCENARIOS.md', () => {
    const s = parseScenario(
      [
        '# comment',
        'sysctl net.ipv4.tcp_fin_timeout=5',
        'srv: l = socket',
        'srv: bind l 127.0.0.1:8080',
        'srv: listen l',
        'cli: s = socket',
        'cli: bind s 127.0.0.1:6666   # as nc -p',
        'cli: connect s 127.0.0.1:8080 &',
        'srv: a = accept l',
        'cli: send s "hello\\n"',
        'srv: recv a 100',
        'cli: shutdown s SHUT_WR',
        'cli: linger s 0',
        'cli: close s',
        'kill cli',
        'drop next srv:a .',
        'sleep 200ms',
        'expect srv:a FIN_WAIT_2',
        'expect-segments 4',
        'ss',
      ].join('\n'),
      'all.tcplab',
    );
    expect(s.statements.map((st) => st.kind)).toEqual([
      'sysctl', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'call', 'kill', 'drop', 'sleep', 'expect', 'expect-segments', 'ss',
    ]);
    const send = s.statements[8];
    expect(send?.kind === 'call' && send.call.op === 'send' && [...send.call.data]).toEqual([104, 101, 108, 108, 111, 10]);
    const connect = s.statements[6];
    expect(connect?.kind === 'call' && connect.background).toBe(true);
    expect(s.statements[15]).toEqual({ kind: 'sleep', line: 17, us: 200_000 });
  });

  test('extensions: dup, fork and expect … recv-q', () => {
    const s = parseScenario(['cli: s = socket', 'cli: t = dup s', 'fork cli helper', 'expect helper:t ESTABLISHED recv-q 1', 'expect cli:s CLOSED'].join('\n'), 'ext.tcplab');
    checkScenario(s);
    expect(s.statements.slice(1)).toEqual([
      { kind: 'call', line: 2, proc: 'cli', call: { op: 'dup', name: 't', sock: 's' }, background: false, text: 't = dup s' },
      { kind: 'fork', line: 3, proc: 'cli', child: 'helper' },
      { kind: 'expect', line: 4, proc: 'helper', sock: 't', state: 'ESTABLISHED', recvQ: 1 },
      { kind: 'expect', line: 5, proc: 'cli', sock: 's', state: 'CLOSED' },
    ]);
  });

  test('C escapes and a # inside quotes', () => {
    const s = parseScenario('c: s = socket\nc: send s "a#b\\t\\x41\\"\\\\"', 'x');
    const st = s.statements[1];
    expect(st?.kind === 'call' && st.call.op === 'send' && new TextDecoder().decode(st.call.data)).toBe('a#b\tA"\\');
  });

  test.each([
    ['srv: bind l 127.0.0.1', 'bad.tcplab:1: expected an address like 127.0.0.1:8080, got "127.0.0.1"'],
    ['srv: l = sockit', 'bad.tcplab:1: expected "socket", "accept" or "dup" after "l =", got "sockit"'],
    ['cli: s = socket\ncli: shutdown s SHUT_BOTH', 'bad.tcplab:2: expected SHUT_RD, SHUT_WR or SHUT_RDWR, got "SHUT_BOTH"'],
    ['sleep 5', 'bad.tcplab:1: bad duration "5": expected a number with a unit, like 200ms, 5s or 50us'],
    ['cli: s = socket\nexpect cli:s FIN_WAIT2', 'bad.tcplab:2: unknown state "FIN_WAIT2": expected one of CLOSED, LISTEN, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT'],
    ['cli: s = socket\ncli: send s "oops', 'bad.tcplab:2: unterminated string: expected a closing "'],
    ['cli: s = socket\ncli: send s "\\q"', 'bad.tcplab:2: unknown escape \\q: expected one of \\n \\r \\t \\0 \\\\ \\" \\xHH'],
    ['sysctl net.ipv4.tcp_fin_timeout=soon', 'bad.tcplab:1: sysctl net.ipv4.tcp_fin_timeout: Invalid argument'],
    ['sysctl net.ipv4.nope=1', 'bad.tcplab:1: sysctl net.ipv4.nope: cannot stat /proc/sys/net/ipv4/nope: No such file or directory'],
    ['launch rockets', 'bad.tcplab:1: cannot read "launch rockets": expected "PROC: call", sysctl, kill, fork, drop, undrop, sleep, expect, expect-segments or ss'],
    ['cli: s = socket\ncli: t = dup', 'bad.tcplab:2: expected "NAME = dup SOCKET"'],
    ['cli: t = dup s', 'bad.tcplab:1: no socket "s" in process "cli": create it first with "cli: s = socket"'],
    ['fork cli', 'bad.tcplab:1: expected "fork PROC CHILD", like fork srv worker'],
    ['cli: s = socket\nsrv: l = socket\nfork cli srv', 'bad.tcplab:3: process "srv" already exists: fork into a new process name'],
    ['cli: s = socket\nfork cli child\nexpect child:s CLOSED recv-q x', 'bad.tcplab:3: expected "expect PROC:SOCKET STATE [recv-q N] [send-q N]", like expect cli:s FIN_WAIT_2'],
    ['cli: connect s 127.0.0.1:80', 'bad.tcplab:1: no socket "s" in process "cli": create it first with "cli: s = socket"'],
    ['cli: s = socket\nkill cli\ncli: close s', 'bad.tcplab:3: process "cli" was killed on line 2; start a new process name instead'],
    ['cli: s = socket\ndrop next cli:s X', 'bad.tcplab:2: expected tcpdump flags (S, S., ., P., F., FP., R, R. or any), got "X"'],
  ])('%j fails with FILE:LINE and what was expected', (source, message) => {
    expect(syntaxError(source)).toBe(message);
  });
});
