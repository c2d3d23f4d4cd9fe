import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPkt, pktText, pktJson } from './run.ts';

const dir = join(import.meta.dirname, '../../content/packetdrill');
const library = readdirSync(dir).filter((f) => f.endsWith('.pkt')).sort();
const wrong = readdirSync(join(dir, 'wrong')).filter((f) => f.endsWith('.pkt')).sort();

const run = (source: string) => runPkt(source, 't.pkt');
const failure = (source: string) => {
  const r = run(source);
  expect(r.verdict.ok).toBe(false);
  return r.verdict.failure!;
};

/** A passive open on the listener, as most scripts begin (no timestamps: later segments carry no options). */
const OPEN = `0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 7>
+.1 < . 1:1(0) ack 1 win 512
+0 accept(3, ..., ...) = 4
`;

describe('the library', () => {
  test('has at least 25 scripts and some deliberately wrong copies', () => {
    expect(library.length).toBeGreaterThanOrEqual(25);
    expect(wrong.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of library) {
    test(`${file} passes on the simulated kernel`, () => {
      const r = runPkt(readFileSync(join(dir, file), 'utf8'), file);
      expect(r.verdict.failure).toBeNull();
      expect(r.verdict.ok).toBe(true);
    });
  }

  for (const file of wrong) {
    test(`wrong/${file} fails on the simulated kernel at the line it names`, () => {
      const source = readFileSync(join(dir, 'wrong', file), 'utf8');
      const line = Number(/^\/\/ wrong: line (\d+)/.exec(source)![1]);
      const r = runPkt(source, file);
      expect(r.verdict.ok).toBe(false);
      expect(r.verdict.failure!.line).toBe(line);
    });
  }
});

describe('outbound packets', () => {
  test('a > line with nothing sent in time fails: "Timed out waiting for packet", with the script packet', () => {
    const f = failure(`${OPEN}+.1 > F. 1:1(0) ack 1\n`);
    expect(f).toMatchObject({ line: 9, message: 'error handling packet: Timed out waiting for packet', script: '0.200000 F. 1:1(0) ack 1' });
  });

  test('a packet that differs shows script packet vs actual packet', () => {
    const f = failure(`${OPEN}+.1 close(4) = 0\n+0 > R. 1:1(0) ack 1\n`);
    expect(f).toEqual({ line: 10, message: 'error handling packet: bad outbound TCP flags: script R. vs actual F.', script: '0.200000 R. 1:1(0) ack 1', actual: '0.200000 F. 1:1(0) ack 1 win 502' });
    expect(failure(`${OPEN}+.1 close(4) = 0\n+0 > F. 1:1(0) ack 7\n`).message).toBe('error handling packet: bad outbound acknowledgement number: script 7 vs actual 1');
    expect(failure(`${OPEN}+.1 close(4) = 0\n+0 > F. 1:1(0) ack 1 win 9\n`).message).toBe('error handling packet: bad outbound window: script 9 vs actual 502');
    expect(failure(`${OPEN}+.1 close(4) = 0\n+0 > F. 1:1(0) ack 1 <nop>\n`).message).toMatch(/^error handling packet: bad outbound TCP options: option 1 is missing, the script expects nop/);
  });

  test('a packet outside its time (with the tolerance) is a timing error; --tolerance_usecs widens it; ranges and * accept any time inside', () => {
    const late = failure(`${OPEN}+.1 close(4) = 0\n+.01 > F. 1:1(0) ack 1\n`);
    expect(late.message).toBe('timing error: expected outbound packet at 0.210000 sec but happened at 0.200000 sec; tolerance 0.004000 sec');
    expect(run(`--tolerance_usecs=10000\n${OPEN}+.1 close(4) = 0\n+.01 > F. 1:1(0) ack 1\n`).verdict.ok).toBe(true);
    expect(run(`${OPEN}+.1 close(4) = 0\n+0~+.01 > F. 1:1(0) ack 1\n`).verdict.ok).toBe(true);
    expect(run(`${OPEN}+.1 close(4) = 0\n* > F. 1:1(0) ack 1\n`).verdict.ok).toBe(true);
  });

  test('<...> leaves options unchecked; written options must match, except the kernel\'s own TS val', () => {
    expect(run(`${OPEN}+.1 close(4) = 0\n+0 > F. 1:1(0) ack 1 <...>\n`).verdict.ok).toBe(true);
    const ts = `0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 1 ecr 100,nop,wscale 7>
`;
    expect(run(ts).verdict.ok).toBe(true);
    expect(failure(ts.replace('ecr 100,nop', 'ecr 99,nop')).message).toMatch(/option 3 is TS val \d+ ecr 100, the script expects TS val 1 ecr 99/);
  });

  test('a packet no line expects, sent before the script ends, fails the run', () => {
    const f = failure(`${OPEN}+.1 close(4) = 0\n`);
    expect(f.line).toBe(9);
    expect(f.message).toMatch(/^error handling packet: the kernel sent a packet no line expects \(at 0\.200000 sec/);
    expect(f.actual).toBe('0.200000 F. 1:1(0) ack 1 win 502');
  });
});

describe('system calls', () => {
  test('expected vs actual result, with the errno', () => {
    const f = failure(`${OPEN}+.1 < R. 1:1(0) ack 1 win 0\n+0 read(4, ..., 10) = 0\n`);
    expect(f).toEqual({ line: 10, message: 'error in system call: read: expected 0 but got -1 ECONNRESET', script: 'read(4, ..., 10) = 0', actual: 'read(4, ..., 10) = -1 ECONNRESET' });
  });

  test('a call that blocks must say so (T1...T2), and must return when the script says', () => {
    const blocked = failure(`${OPEN}+0 read(4, ..., 10) = 10\n+.1 < P. 1:11(10) ack 1 win 512\n+0 > . 1:1(0) ack 11\n`);
    expect(blocked.message).toBe('timing error: expected non-blocking system call but it blocked for 0.100000 sec (write 0.100000...0.200000 for a call that blocks)');
    const ok = `${OPEN}+0...0.1 read(4, ..., 10) = 10\n+.1 < P. 1:11(10) ack 1 win 512\n+0 > . 1:1(0) ack 11\n`;
    expect(run(ok).verdict.ok).toBe(true);
    expect(failure(ok.replace('+0...0.1 read', '+0...0.3 read')).message).toBe('timing error: expected system call return at 0.400000 sec but happened at 0.200000 sec; tolerance 0.004000 sec');
  });

  test('O_NONBLOCK makes reads fail with EAGAIN instead of blocking', () => {
    expect(run(`${OPEN}+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n+0 fcntl(4, F_GETFL) = 2050\n+0 read(4, ..., 10) = -1 EAGAIN (Resource temporarily unavailable)\n`).verdict.ok).toBe(true);
  });

  test('a call still blocked at the end never returned', () => {
    expect(failure(`${OPEN}+0...1 read(4, ..., 10) = 10\n`).message).toBe('read: the call never returned (it was still blocking when the script ended)');
  });

  test('the socket options of the subset reach the kernel, with Linux\'s checks (TCP_USER_TIMEOUT < 0 is EINVAL)', () => {
    expect(run(`${OPEN}+0 setsockopt(4, SOL_TCP, TCP_USER_TIMEOUT, [1000], 4) = 0\n`).verdict.ok).toBe(true);
    expect(run(`${OPEN}+0 setsockopt(4, SOL_TCP, TCP_USER_TIMEOUT, [-1], 4) = -1 EINVAL (Invalid argument)\n`).verdict.ok).toBe(true);
    expect(run(`${OPEN}+0 setsockopt(4, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0\n+0 setsockopt(4, SOL_TCP, TCP_LINGER2, [5], 4) = 0\n`).verdict.ok).toBe(true);
    const f = failure(`${OPEN}+0 setsockopt(4, SOL_TCP, TCP_USER_TIMEOUT, [-1], 4) = 0\n`);
    expect(f.message).toContain('expected 0 but got -1 EINVAL');
  });

  test('SO_ERROR reads the pending error once', () => {
    expect(run(`${OPEN}+.1 < R. 1:1(0) ack 1 win 0\n+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0\n+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n`).verdict.ok).toBe(true);
  });
});

describe('commands', () => {
  test('sysctl changes the simulated kernel; a bad value fails that line; other commands are reported, not ignored', () => {
    expect(failure('0 `sysctl -q net.ipv4.tcp_fin_timeout=abc`\n').message).toBe('sysctl: setting key "net.ipv4.tcp_fin_timeout": Invalid argument');
    expect(failure('0 `ip link set lo up`\n').message).toBe('`ip link set lo up` is not supported by the simulated kernel (only sysctl -q KEY=VALUE for the sysctls it models)');
    expect(failure('0 %{ assert tcpi_state == 8 }%\n').message).toMatch(/^inline Python \(%\{ … \}%\) is not supported by the simulated kernel/);
    const r = run('0 `sysctl -q net.ipv4.tcp_fin_timeout=7`\n');
    expect(r.verdict.ok).toBe(true);
    expect(r.kernel.sysctl.get('net.ipv4.tcp_fin_timeout')).toBe('7');
  });
});

describe('reports', () => {
  test('the transcript shows each line with its time and the packet the kernel sent; the failure as packetdrill prints it', () => {
    const text = pktText(runPkt(`${OPEN}+.1 close(4) = 0\n+0 > R. 1:1(0) ack 1\n`, 'x.pkt'));
    expect(text).toContain('0.200000  +0 > R. 1:1(0) ack 1');
    expect(text).toContain('FAILED  ← F. 1:1(0) ack 1 win 502');
    expect(text).toContain('x.pkt:10: error handling packet: bad outbound TCP flags: script R. vs actual F.\nscript packet: 0.200000 R. 1:1(0) ack 1\nactual packet: 0.200000 F. 1:1(0) ack 1 win 502\nFAILED\n');
  });

  test('the JSON has the verdict, each line and every packet the kernel sent', () => {
    const json = pktJson(runPkt(`${OPEN}+.1 close(4) = 0\n+0 > F. 1:1(0) ack 1\n`, 'x.pkt')) as { ok: boolean; error: unknown; lines: unknown[]; packets: Array<{ flags: string }> };
    expect(json.ok).toBe(true);
    expect(json.error).toBeNull();
    expect(json.lines).toHaveLength(10);
    expect(json.packets.map((p) => p.flags)).toEqual(['S.', 'F.']);
  });

  test('the same script gives the same observation, packet for packet', () => {
    const src = readFileSync(join(dir, '26-fin-retransmitted.pkt'), 'utf8');
    expect(JSON.stringify(runPkt(src).observation)).toBe(JSON.stringify(runPkt(src).observation));
  });
});
