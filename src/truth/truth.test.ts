import { describe as group, expect, test } from 'vitest';
import { compareRuns, type Side } from './compare.ts';
import { describe, normalise, type RawSegment } from './normalise.ts';

const ISN_C = 1_000_000;
const ISN_S = 4_294_960_000; // wraps around 2^32 within the connection
const raw = (src: string, dst: string, flags: string, absSeq: number | null, absAck: number | null, len = 0): RawSegment => ({ src, dst, flags, absSeq, absAck, len });
const C = '127.0.0.1:40001';
const S = '127.0.0.1:8080';
const endpoints = { 'srv:l': S, 'cli:s': C, 'srv:a': S };

const handshake = [
  raw(C, S, 'S', ISN_C, null),
  raw(S, C, 'S.', ISN_S, ISN_C + 1),
  raw(C, S, '.', null, ISN_S + 1),
  raw(C, S, 'P.', ISN_C + 1, ISN_S + 1, 5),
  raw(S, C, 'F.', (ISN_S + 1) % 2 ** 32, ISN_C + 6),
];

group('normalisation', () => {
  test('names endpoints after the scenario sockets and makes numbers relative, across 2^32 wrap-around', () => {
    expect(normalise(handshake, endpoints).map(describe)).toEqual([
      'cli:s>srv:l [S] seq=0',
      'srv:l>cli:s [S.] seq=0 ack=1',
      'cli:s>srv:l [.] ack=1',
      'cli:s>srv:l [P.] seq=1 ack=1 len=5',
      'srv:l>cli:s [F.] seq=1 ack=6',
    ]);
  });

  test('a number from an earlier connection on the same ports is relative to that connection, not to the new ISN', () => {
    const NEW_C = ISN_C + 900_000; // the next connection's ISN, later by however long the script waited
    const r = normalise(
      [...handshake, raw(C, S, 'S', NEW_C, null), raw(S, C, '.', null, ISN_C + 6), raw(C, S, 'R', ISN_C + 6, null)],
      endpoints,
    );
    expect(r.slice(-3).map(describe)).toEqual(['cli:s>srv:l [S] seq=0', 'srv:l>cli:s [.] ack=6', 'cli:s>srv:l [R] seq=6']);
  });

  test('a reset to a SYN keeps its absolute seq 0 (no ISN known in that direction), like tcpdump', () => {
    const r = normalise([raw(C, '127.0.0.1:9', 'S', 77, null), raw('127.0.0.1:9', C, 'R.', 0, 78)], { 'cli:s': C });
    expect(r.map(describe)).toEqual(['cli:s>:9 [S] seq=0', ':9>cli:s [R.] seq=0 ack=1']);
  });
});

group('comparison', () => {
  const side = (segs: RawSegment[], eps = endpoints): Side => ({
    segments: normalise(segs, eps),
    calls: [{ line: 1, call: 'l = socket', result: '3' }],
    expects: [{ line: 9, expect: 'expect cli:s TIME_WAIT', actual: 'TIME_WAIT' }],
  });

  test('runs with different ephemeral ports and ISNs agree', () => {
    const other = handshake.map((s) => ({
      ...s,
      src: s.src === C ? '127.0.0.1:51234' : s.src,
      dst: s.dst === C ? '127.0.0.1:51234' : s.dst,
      absSeq: s.absSeq === null ? null : s.src === C ? s.absSeq + 5 : s.absSeq,
      absAck: s.absAck === null ? null : s.src === C ? s.absAck : s.absAck + 5,
    }));
    const verdict = compareRuns(side(handshake), side(other, { 'srv:l': S, 'cli:s': '127.0.0.1:51234', 'srv:a': S }));
    expect(verdict).toEqual({ agree: true, segments: 5, states: 1 });
  });

  test('a different segment is reported with both sides', () => {
    const threeWay = [...handshake.slice(0, 4), raw(S, C, '.', null, ISN_C + 6)];
    const verdict = compareRuns(side(handshake), side(threeWay));
    expect(verdict).toMatchObject({ agree: false, difference: 'srv:l>cli:s, segment 2 in that direction: simulator srv:l>cli:s [F.] seq=1 ack=6 | Linux srv:l>cli:s [.] ack=6' });
  });

  test('a missing segment and a different state are differences too', () => {
    expect(compareRuns(side(handshake), side(handshake.slice(0, 4)))).toMatchObject({ agree: false, difference: 'srv:l>cli:s, segment 2 in that direction: simulator srv:l>cli:s [F.] seq=1 ack=6 | Linux (no more segments)' });
    const real = side(handshake);
    real.expects = [{ line: 9, expect: 'expect cli:s TIME_WAIT', actual: 'FIN_WAIT_2' }];
    expect(compareRuns(side(handshake), real)).toMatchObject({ agree: false, difference: 'line 9: expect cli:s TIME_WAIT: simulator TIME_WAIT | Linux FIN_WAIT_2' });
  });

  test('the interleaving of the two directions is not compared, the order within each direction is', () => {
    const swapped = [...handshake.slice(0, 3), handshake[4]!, handshake[3]!];
    expect(compareRuns(side(handshake), side(swapped)).agree).toBe(true);
  });

  test('descriptor numbers may differ; other results may not', () => {
    const real = side(handshake);
    real.calls = [{ line: 1, call: 'l = socket', result: '5' }];
    expect(compareRuns(side(handshake), real).agree).toBe(true);
  });
});
