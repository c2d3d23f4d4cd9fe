import { describe, expect, test } from 'vitest';
import { parsePkt } from './parse.ts';
import { PktSyntaxError, type PktEvent } from './ast.ts';

const one = (line: string): PktEvent => parsePkt(line, 't.pkt').events[0]!;
const packet = (line: string) => {
  const e = one(line);
  if (e.kind !== 'packet') throw new Error('not a packet');
  return e.packet;
};
const call = (line: string) => {
  const e = one(line);
  if (e.kind !== 'call') throw new Error('not a call');
  return e.spec;
};
const error = (source: string): string => {
  try {
    parsePkt(source, 'bad.pkt');
  } catch (e) {
    if (e instanceof PktSyntaxError) return e.message;
    throw e;
  }
  throw new Error('parsed without an error');
};

describe('times', () => {
  test('absolute, relative, any, ranges and blocking calls', () => {
    expect(one('0.25 close(3) = 0').time).toEqual({ kind: 'at', at: { relative: false, us: 250_000 } });
    expect(one('+.1 close(3) = 0').time).toEqual({ kind: 'at', at: { relative: true, us: 100_000 } });
    expect(one('2 close(3) = 0').time).toEqual({ kind: 'at', at: { relative: false, us: 2_000_000 } });
    expect(one('* > F. 1:1(0) ack 1').time).toEqual({ kind: 'any' });
    expect(one('+0~+.04 > . 1:1(0) ack 2').time).toEqual({ kind: 'range', from: { relative: true, us: 0 }, to: { relative: true, us: 40_000 } });
    expect(one('0.1~0.2 > . 1:1(0) ack 2').time).toEqual({ kind: 'range', from: { relative: false, us: 100_000 }, to: { relative: false, us: 200_000 } });
    expect(one('+0...0.1 read(4, ..., 10) = 10').time).toEqual({ kind: 'blocking', at: { relative: true, us: 0 }, end: { relative: true, us: 100_000 } });
    expect(one('0.5...1.5 accept(3, ..., ...) = 4').time).toEqual({ kind: 'blocking', at: { relative: false, us: 500_000 }, end: { relative: false, us: 1_500_000 } });
  });

  test('time going backwards is an error naming the line', () => {
    expect(error('0.2 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n0.1 close(3) = 0\n')).toBe('bad.pkt:2: time goes backwards: 0.1 s comes after an event at 0.2 s (use +0.100 for a relative time?)');
    // Relative times add up before the comparison.
    expect(error('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+1 listen(3, 1) = 0\n0.5 close(3) = 0\n')).toMatch(/^bad\.pkt:3: time goes backwards: 0\.5 s comes after an event at 1 s/);
    expect(() => parsePkt('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n0 close(3) = 0\n')).not.toThrow();
  });

  test('ranges, "*" and "..." only where they mean something', () => {
    expect(error('0.2~0.1 > . 1:1(0) ack 1')).toBe('bad.pkt:1: the time range ends before it starts (0.2~0.1)');
    expect(error('* < . 1:1(0) ack 1 win 5')).toMatch(/'\*' times fit only an outbound packet/);
    expect(error('+0~+.1 close(3) = 0')).toMatch(/'~' times fit only an outbound packet/);
    expect(error('+0...0.1 > . 1:1(0) ack 1')).toMatch(/fits only a system call/);
    expect(error('+0...+0.1 read(4, ..., 1) = 1')).toMatch(/end of a blocking call is written without '\+'/);
    expect(error('0.5...0.1 read(4, ..., 1) = 1')).toMatch(/returns \(0\.1\) before it starts \(0\.5\)/);
    expect(error('close(3) = 0')).toMatch(/^bad\.pkt:1: expected a time/);
  });
});

describe('packets', () => {
  test('flags in every form, normalised to tcpdump order', () => {
    expect(packet('0 < S 0:0(0) win 100').flags).toBe('S');
    expect(packet('0 > S. 0:0(0) ack 1').flags).toBe('S.');
    expect(packet('0 < . 1:1(0) ack 1 win 100').flags).toBe('.');
    expect(packet('0 < P. 1:11(10) ack 1 win 100').flags).toBe('P.');
    expect(packet('0 < F. 1:1(0) ack 1 win 100').flags).toBe('F.');
    expect(packet('0 < PF. 1:11(10) ack 1 win 100').flags).toBe('FP.');
    expect(packet('0 < R 1:1(0) win 0').flags).toBe('R');
    expect(packet('0 < R. 1:1(0) ack 1 win 0').flags).toBe('R.');
    expect(packet('0 < - 1:1(0) win 10').flags).toBe('');
  });

  test('sequence space, ack, window and defaults', () => {
    expect(packet('0 < P. 1:101(100) ack 7 win 257')).toEqual({ direction: 'in', flags: 'P.', seq: 1, len: 100, ack: 7, win: 257, options: [] });
    expect(packet('0 > F. 1:1(0) ack 2')).toEqual({ direction: 'out', flags: 'F.', seq: 1, len: 0, ack: 2, win: null, options: [] });
    expect(packet('0 > R 4294967295:4294967295(0)').seq).toBe(4294967295);
  });

  test('every option, and <...> on outbound packets', () => {
    expect(packet('0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7,eol>').options).toEqual([
      { kind: 'mss', value: 1460 },
      { kind: 'sackOK' },
      { kind: 'ts', val: 100, ecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', value: 7 },
      { kind: 'eol' },
    ]);
    expect(packet('0 > . 1:1(0) ack 1 <nop,nop,sack 101:201 301:401>').options).toEqual([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[101, 201], [301, 401]] }]);
    expect(packet('0 > S. 0:0(0) ack 1 <...>').options).toBeNull();
  });

  test('bad flags, bad options and inconsistent numbers are errors naming the line', () => {
    expect(error('0 < X 0:0(0) win 1')).toBe(`bad.pkt:1: bad flags 'X': 'X' is not a TCP flag (S F R P, and . for ACK)`);
    expect(error('0 < SS 0:0(0) win 1')).toBe(`bad.pkt:1: bad flags 'SS': a flag is repeated`);
    expect(error('0 < E. 1:1(0) ack 1 win 1')).toBe(`bad.pkt:1: bad flags 'E.': E (ECE) is not simulated`);
    expect(error('0 < .S 1:1(0) ack 1 win 1')).toMatch(/^bad\.pkt:1: bad flags '\.S'/);
    expect(error('0 < S 0:0(0) win 1 <mss 1460,frob 3>')).toBe(`bad.pkt:1: bad option 'frob': use mss N, wscale N, sackOK, sack A:B, TS val N ecr N, nop, eol`);
    expect(error('0 < S 0:0(0) win 1 <TS 5 ecr 0>')).toBe(`bad.pkt:1: expected 'val' after TS (TS val N ecr N)`);
    expect(error('0 < S 0:0(0) win 1 <mss 70000>')).toBe('bad.pkt:1: mss 70000 is out of range (0-65535)');
    expect(error('0 < S 0:0(0) win 1 <mss 1460')).toMatch(/expected ',' between options or '>' after them/);
    expect(error('0 < S 0:0(0) win 1 <...>')).toMatch(/fits only an outbound packet/);
    expect(error('0 < P. 1:11(5) ack 1 win 1')).toBe('bad.pkt:1: inconsistent sequence numbers: 1:11(5) should end at 6');
    expect(error('0 < . 1:1(0) win 1')).toBe('bad.pkt:1: flags . carry ACK (.) but the line gives no "ack N"');
    expect(error('0 < F 1:1(0) ack 1 win 1')).toMatch(/"ack 1" needs the ACK flag: write F\. instead of F/);
    expect(error('0 < S 0:0(0) win 70000')).toBe('bad.pkt:1: win 70000 is out of range (0-65535)');
    expect(error('0 < S 0:0(0) win 1 urg 1')).toBe('bad.pkt:1: urgent data is not simulated');
    expect(error('0 < S 0:10(10) win 1')).toBe('bad.pkt:1: data on a SYN (TCP Fast Open) is not simulated');
  });
});

describe('system calls', () => {
  test('each call, reduced to what an executor needs', () => {
    expect(call('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3')).toEqual({ call: { name: 'socket' }, result: 3, errno: null });
    expect(call('0 bind(3, ..., ...) = 0').call).toEqual({ name: 'bind', fd: 3 });
    expect(call('0 listen(3, 1) = 0').call).toEqual({ name: 'listen', fd: 3, backlog: 1 });
    expect(call('0 accept(3, ..., ...) = 4')).toEqual({ call: { name: 'accept', fd: 3 }, result: 4, errno: null });
    expect(call('0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)')).toEqual({ call: { name: 'connect', fd: 3 }, result: -1, errno: 'EINPROGRESS' });
    expect(call('0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0').call).toEqual({ name: 'fcntl', fd: 3, cmd: 'F_SETFL', nonblock: true });
    expect(call('0 fcntl(3, F_GETFL) = 2').call).toEqual({ name: 'fcntl', fd: 3, cmd: 'F_GETFL' });
    expect(call('0 read(4, ..., 100) = 0').call).toEqual({ name: 'read', fd: 4, count: 100 });
    expect(call('0 recv(4, ..., 100, 0) = 5').call).toEqual({ name: 'recv', fd: 4, count: 100 });
    expect(call('0 write(4, ..., 1000) = 1000').call).toEqual({ name: 'write', fd: 4, count: 1000 });
    expect(call('0 send(4, ..., 10, 0) = -1 EPIPE (Broken pipe)')).toEqual({ call: { name: 'send', fd: 4, count: 10 }, result: -1, errno: 'EPIPE' });
    expect(call('0 shutdown(4, SHUT_WR) = 0').call).toEqual({ name: 'shutdown', fd: 4, how: 'SHUT_WR' });
    expect(call('0 close(4) = 0').call).toEqual({ name: 'close', fd: 4 });
    expect(call('0 read(4, ..., 1) = -1 EWOULDBLOCK (Resource temporarily unavailable)').errno).toBe('EAGAIN');
    expect(call('0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0')).toEqual({ call: { name: 'getsockopt', fd: 4, option: 'SO_ERROR' }, result: 0, errno: null, value: 'ECONNRESET' });
  });

  test('socket options: SO_REUSEADDR, SO_LINGER, TCP_LINGER2, TCP_USER_TIMEOUT, SO_KEEPALIVE and the keepalive knobs', () => {
    expect(call('0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0').call).toEqual({ name: 'setsockopt', fd: 3, level: 'SOL_SOCKET', option: 'SO_REUSEADDR', value: 1 });
    expect(call('0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0').call).toMatchObject({ option: 'SO_LINGER', value: { onoff: 1, linger: 0 } });
    expect(call('0 setsockopt(4, SOL_TCP, TCP_LINGER2, [5], 4) = 0').call).toMatchObject({ level: 'IPPROTO_TCP', option: 'TCP_LINGER2', value: 5 });
    expect(call('0 setsockopt(4, IPPROTO_TCP, TCP_USER_TIMEOUT, [3000], 4) = 0').call).toMatchObject({ option: 'TCP_USER_TIMEOUT', value: 3000 });
    expect(call('0 setsockopt(4, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0').call).toMatchObject({ option: 'SO_KEEPALIVE', value: 1 });
    expect(call('0 setsockopt(4, SOL_TCP, TCP_KEEPIDLE, [60], 4) = 0').call).toMatchObject({ option: 'TCP_KEEPIDLE', value: 60 });
  });

  test('an unknown call, a wrong shape, a bad errno are errors naming the line', () => {
    expect(error('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 frob(3) = 0')).toMatch(/^bad\.pkt:2: unknown call 'frob' \(simulated: socket, bind,/);
    expect(error('0 close(3, 4) = 0')).toBe('bad.pkt:1: close takes 1 argument: close(FD)');
    expect(error('0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3')).toBe('bad.pkt:1: socket: only TCP (SOCK_STREAM) is simulated');
    expect(error('0 setsockopt(3, SOL_SOCKET, SO_FROB, [1], 4) = 0')).toMatch(/^bad\.pkt:1: setsockopt: unknown or unsimulated option 'SO_FROB'/);
    expect(error('0 setsockopt(3, SOL_SOCKET, TCP_LINGER2, [1], 4) = 0')).toBe('bad.pkt:1: setsockopt: TCP_LINGER2 is a SOL_TCP (IPPROTO_TCP) option, not SOL_SOCKET');
    expect(error('0 setsockopt(3, SOL_SOCKET, SO_LINGER, [1], 8) = 0')).toBe('bad.pkt:1: setsockopt: SO_LINGER takes {onoff=N, linger=N}');
    expect(error('0 close(3) = -1')).toMatch(/names its errno/);
    expect(error('0 close(3) = -1 EFROB (x)')).toBe(`bad.pkt:1: unknown errno 'EFROB'`);
    expect(error('0 close(3) = 0 EBADF')).toBe('bad.pkt:1: an errno (EBADF) goes with the result -1, not 0');
    expect(error('0 close(3)')).toMatch(/expected '= RESULT' after the call/);
    expect(error('0 bind(3, {sa_family=AF_INET}, 16) = 0')).toMatch(/write the address as \.\.\., \.\.\./);
    expect(error('0 fcntl(3, F_SETFL, O_APPEND) = 0')).toMatch(/unsimulated flag 'O_APPEND'/);
  });
});

describe('commands, options and comments', () => {
  test('sysctl commands for the sysctls the kernel models; others are kept to be reported, not dropped', () => {
    expect(one('0 `sysctl -q net.ipv4.tcp_fin_timeout=5`')).toMatchObject({ kind: 'command', command: { kind: 'sysctl', settings: [{ key: 'net.ipv4.tcp_fin_timeout', value: '5' }] } });
    expect(one('0 `sysctl -w net.ipv4.tcp_rfc1337=1`')).toMatchObject({ command: { kind: 'sysctl', settings: [{ key: 'net.ipv4.tcp_rfc1337', value: '1' }] } });
    expect(one('0 `sysctl -q net.ipv4.ip_local_port_range="40000 40010" net/ipv4/tcp_sack=0`')).toMatchObject({
      command: { kind: 'sysctl', settings: [{ key: 'net.ipv4.ip_local_port_range', value: '40000 40010' }, { key: 'net.ipv4.tcp_sack', value: '0' }] },
    });
    expect(one('`sysctl -q net.ipv4.tcp_sack=0`').time).toEqual({ kind: 'at', at: { relative: false, us: 0 } });
    expect(one('0 `tc qdisc add dev tun0 root pfifo`')).toMatchObject({ command: { kind: 'unsupported', text: 'tc qdisc add dev tun0 root pfifo' } });
    expect(error('0 `sysctl -q net.ipv4.tcp_frob=1`')).toMatch(/^bad\.pkt:1: sysctl net\.ipv4\.tcp_frob: not modelled by the simulated kernel/);
  });

  test("inline Python (%{ }%), on one line or several, is kept to be reported; line numbers stay the file's", () => {
    expect(one('+0 %{ assert tcpi_state == TCP_CLOSE_WAIT }%')).toMatchObject({ kind: 'command', command: { kind: 'python', text: 'assert tcpi_state == TCP_CLOSE_WAIT' } });
    const s = parsePkt('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{\nassert tcpi_ca_state == 0\n}%\n+0 close(3) = 0\n', 'x.pkt');
    expect(s.events.map((e) => [e.line, e.kind])).toEqual([[1, 'call'], [2, 'command'], [5, 'call']]);
    expect(error('0 close(3) = 0\n+0 %{\nassert 1\n')).toBe("bad.pkt:2: inline Python '%{' is never closed by '}%'");
  });

  test('--tolerance_usecs at the top; comments of both kinds', () => {
    const s = parsePkt('--tolerance_usecs=10000\n// a comment\n/* a block\n comment */ 0 close(3) = 0 // trailing\n');
    expect(s.toleranceUs).toBe(10_000);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]!.line).toBe(4);
    expect(parsePkt('0 close(3) = 0').toleranceUs).toBe(4000);
    expect(error('--ip_version=ipv6\n0 close(3) = 0')).toBe('bad.pkt:1: unknown option --ip_version (supported: --tolerance_usecs=N)');
    expect(error('0 close(3) = 0\n--tolerance_usecs=1')).toBe('bad.pkt:2: options (--name=value) go before the first event');
    expect(error('// nothing\n')).toMatch(/the script has no events/);
  });
});
