/**
 * Bad input never crashes anything: a learner may write any text and play any peer. Random scripts only ever
 * fail to parse with a PktSyntaxError; random peers (any flags, numbers, options, at any time, with calls in
 * between) run to a verdict without an exception, and the kernel only takes legal state transitions.
 */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { PktSyntaxError } from './ast.ts';
import { parsePkt } from './parse.ts';
import { runPkt } from './run.ts';
import { isLegalTransition } from '../kernel/index.ts';

const RUNS = Number(process.env['PKT_PROPERTY_RUNS'] ?? 400);

const OPEN = `0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 10 ecr 0,nop,wscale 7>
+0 > S. 0:0(0) ack 1 <...>
+.01 < . 1:1(0) ack 1 win 512 <nop,nop,TS val 11 ecr 1>
+0 accept(3, ..., ...) = 4
`;

const flagsArb = fc.subarray(['S', 'F', 'R', 'P', '.'], { minLength: 0 }).map((f) => (f.length === 0 ? '-' : f.join('')));
const optionArb = fc.oneof(
  fc.constant('nop'),
  fc.integer({ min: 0, max: 65535 }).map((n) => `mss ${n}`),
  fc.integer({ min: 0, max: 20 }).map((n) => `wscale ${n}`),
  fc.constant('sackOK'),
  fc.tuple(fc.nat(5000), fc.nat(5000)).map(([a, b]) => `sack ${a}:${b}`),
  fc.tuple(fc.nat(1_000_000), fc.nat(1_000_000)).map(([v, e]) => `TS val ${v} ecr ${e}`),
);
const packetArb = fc
  .record({
    time: fc.oneof(fc.constant('+0'), fc.integer({ min: 0, max: 3000 }).map((ms) => `+${ms / 1000}`)),
    flags: flagsArb,
    seq: fc.oneof(fc.nat(3000), fc.nat(2 ** 32 - 1)),
    len: fc.nat(2000),
    ack: fc.oneof(fc.nat(3000), fc.nat(2 ** 32 - 1)),
    win: fc.nat(65535),
    options: fc.array(optionArb, { maxLength: 5 }),
  })
  .map((p) => {
    const flags = p.flags.includes('.') ? p.flags.replace('.', '') + '.' : p.flags;
    const len = flags.includes('S') ? 0 : p.len;
    const ack = flags.endsWith('.') ? ` ack ${p.ack}` : '';
    const opts = p.options.length > 0 ? ` <${p.options.join(',')}>` : '';
    return `${p.time} < ${flags} ${p.seq}:${(p.seq + len) % 2 ** 32}(${len})${ack} win ${p.win}${opts}`;
  });
const callArb = fc.constantFrom(
  '+0 read(4, ..., 100) = 0',
  '+0 write(4, ..., 10) = 10',
  '+0 close(4) = 0',
  '+0 shutdown(4, SHUT_WR) = 0',
  '+0 shutdown(4, SHUT_RD) = 0',
  '+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0',
  '+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0',
  '+0 close(3) = 0',
  '+.5 `sysctl -q net.ipv4.tcp_rfc1337=1`',
  '* > . 1:1(0) ack 1 <...>',
  '+0~+1 > R 0:0(0)',
);
const lineArb = fc.oneof({ weight: 3, arbitrary: packetArb }, { weight: 1, arbitrary: callArb });

test(`${RUNS} random peers run to a verdict, never an exception, and every state change is legal`, () => {
  fc.assert(
    fc.property(fc.array(lineArb, { maxLength: 25 }), (lines) => {
      const run = runPkt(OPEN + lines.join('\n') + '\n', 'random.pkt');
      expect(typeof run.verdict.ok).toBe('boolean');
      for (const e of run.kernel.trace.events) {
        if (e.kind === 'state' && !isLegalTransition(e.from, e.to)) throw new Error(`illegal transition ${e.from} → ${e.to}: ${e.reason}`);
      }
    }),
    { numRuns: RUNS, seed: 20261130 },
  );
}, 120_000);

test(`${RUNS * 5} random texts either parse or fail with FILE:LINE: message`, () => {
  const token = fc.constantFrom('0', '+0', '+.1', '*', '~', '...', '<', '>', 'S', 'S.', 'F.', 'R', '.', '1:1(0)', 'ack', 'win', '1', '<mss 1460>', '<...>', 'close(3)', '=', '-1', 'EBADF', '(x)', 'socket(..., SOCK_STREAM, IPPROTO_TCP)', '`sysctl -q net.ipv4.tcp_sack=0`', '//', '/*', '*/', '--tolerance_usecs=5', '"', '{', '}', '[', ']', ',', '\n');
  fc.assert(
    fc.property(fc.array(fc.oneof(token, fc.string({ maxLength: 6 })), { maxLength: 30 }), (tokens) => {
      try {
        parsePkt(tokens.join(' '), 'random.pkt');
      } catch (e) {
        if (!(e instanceof PktSyntaxError)) throw e;
        expect(e.message).toMatch(/^random\.pkt:\d+: \S/);
      }
    }),
    { numRuns: RUNS * 5, seed: 20261130 },
  );
}, 120_000);
