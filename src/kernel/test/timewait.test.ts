import { describe, expect, test } from 'vitest';
import { compact, lastResults, lifetime, result, segments, sim, states } from './helpers.ts';
import { flags } from '../output.ts';

const who = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');
const CLOSED_BY_CLIENT = `
  srv: l = socket
  srv: bind l 127.0.0.1:8080
  srv: listen l
  cli: s = socket
  cli: bind s 127.0.0.1:40000
  cli: connect s 127.0.0.1:8080
  srv: a = accept l
  cli: close s
  sleep 100ms
  srv: close a
  sleep 1ms
`;

/** After CLOSED_BY_CLIENT: bind port 40000 again, once without SO_REUSEADDR (x), once with it (y). */
const REBIND_40000 = `
      x: s = socket
      x: bind s 127.0.0.1:40000
      y: s = socket
      y: reuseaddr s
      y: bind s 127.0.0.1:40000
`;

describe('time_wait', () => {
  test('time_wait_lasts_60s: the active closer stays 60 s in TIME_WAIT (TCP_TIMEWAIT_LEN), up to 62 s with timer-wheel slack', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const run = sim(`${CLOSED_BY_CLIENT}
        expect cli:s TIME_WAIT
        sleep 59900ms
        expect cli:s TIME_WAIT
        sleep 2200ms
        expect cli:s CLOSED
      `, seed);
      expect(run.ok).toBe(true);
      const life = lifetime(run, 'cli:s', 'TIME_WAIT');
      expect(life).toBeGreaterThanOrEqual(60_000_000);
      expect(life).toBeLessThanOrEqual(62_048_000);
    }
  });

  test('timer_wheel_slack: long timers fire on the wheel slot after their expiry (calc_wheel_index), short ones on the next tick', async () => {
    const { wheelExpiry, JIFFY_US } = await import('../timers.ts');
    for (const offset of [0, 1, 123457, 999999]) {
      const tw = wheelExpiry(0, 60_000_000, offset);
      expect(tw).toBeGreaterThanOrEqual(60_000_000);
      expect(tw).toBeLessThanOrEqual(60_000_000 + 512 * JIFFY_US);
      const fin = wheelExpiry(0, 5_000_000, offset);
      expect(fin).toBeGreaterThanOrEqual(5_000_000);
      expect(fin).toBeLessThanOrEqual(5_000_000 + 64 * JIFFY_US);
      expect(wheelExpiry(0, 40_000, offset)).toBe(40_000);
    }
  });

  test('time_wait_retransmitted_fin: a retransmitted FIN is acknowledged again from TIME_WAIT (tcp_timewait_state_process)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: close s
      sleep 100ms
      drop next cli:s .
      srv: close a
      sleep 1s
      expect srv:a CLOSED
      sleep 58900ms
      expect cli:s TIME_WAIT
    `);
    expect(run.ok).toBe(true);
    const tail = segments(run).slice(-4).map((s) => `${who(s.src)}${s.flags}${s.dropped ? '!' : ''}`);
    expect(tail).toEqual(['SF.', 'C.!', 'SF.', 'C.']);
    expect(states(run, 'srv:a').slice(-2)).toEqual(['LAST_ACK', 'CLOSED']);
    // Entered at the first FIN, restarted by the retransmitted one 200 ms later: still there 59.9 s after entry.
    expect(run.ok).toBe(true);
  });

  test('time_wait_syn_without_listener_gets_challenge_ack: the client RST in reply kills the TIME_WAIT (tcp_rfc1337=0) and the SYN is retried (ground truth s09)', () => {
    const run = sim(`
      a: s = socket
      a: bind s 127.0.0.1:2223
      b: s = socket
      b: bind s 127.0.0.1:2224
      a: connect s 127.0.0.1:2224 &
      b: connect s 127.0.0.1:2223 &
      sleep 1ms
      a: close s
      sleep 100ms
      b: close s
      sleep 1ms
      expect a:s TIME_WAIT
      b: t = socket
      b: reuseaddr t
      b: bind t 127.0.0.1:2224
      b: connect t 127.0.0.1:2223 &
      sleep 1ms
      expect a:s CLOSED
      expect b:t SYN_SENT
    `);
    expect(run.ok).toBe(true);
    const last = segments(run).slice(-3).map((s) => `${s.src.endsWith('2224') ? 'B' : 'A'}>${s.flags}`);
    expect(last).toEqual(['B>S', 'A>.', 'B>R']);
  });

  test('time_wait_syn_with_listener_reuses_tuple: a new SYN on the same 4-tuple replaces TIME_WAIT when someone listens (TCP_TW_SYN)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      srv: c = socket
      srv: bind c 127.0.0.1:8080
    `);
    expect(result(run, 5)).toBe('EADDRINUSE');
    const run2 = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: reuseaddr s
      cli: bind s 127.0.0.1:40000
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      srv: close a
      sleep 100ms
      cli: close s
      sleep 1ms
      expect srv:a TIME_WAIT
      cli2: s = socket
      cli2: reuseaddr s
      cli2: bind s 127.0.0.1:40000
      cli2: connect s 127.0.0.1:8080
      expect srv:a CLOSED
    `);
    expect(run2.ok).toBe(true);
    expect(result(run2, 17)).toBe('0');
  });

  test('time_wait_syn_with_older_seq_gets_ack: a SYN whose sequence number is not after the TIME_WAIT\'s rcv_nxt is acknowledged, not accepted, even with a listener (tcp_timewait_state_process → TCP_TW_ACK)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: bind s 127.0.0.1:40000
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      srv: close a
      sleep 100ms
      cli: close s
      sleep 1ms
      expect srv:a TIME_WAIT
    `);
    const k = run.kernel;
    const tw = k.sock(run.sockets.get('srv:a')!)!;
    const rcvNxt = tw.tcb!.rcvNxt;
    const syn = (seq: number) => ({ src: { ip: '127.0.0.1', port: 40000 }, dst: { ip: '127.0.0.1', port: 8080 }, seq, ack: 0, flags: flags({ syn: true }), win: 65495, data: new Uint8Array(0) });
    const before = segments(run).length;
    k.input(tw, syn(rcvNxt - 1000)); // an old sequence number (or, on Linux, an older timestamp)
    k.advanceBy(10); // before anything reaches port 40000 (where nobody is left to answer the ACK)
    const reply = segments(run).slice(before);
    expect(reply.map((s) => `${s.src} ${s.flags}`)).toEqual(['127.0.0.1:8080 .']);
    expect(reply[0]!.absAck).toBe(rcvNxt % 2 ** 32);
    expect(k.stateOf(tw.id)).toBe('TIME_WAIT');
  });

  test('time_wait_with_descriptor_open: queued data is still read, then EOF; close() then sends nothing (ground truth s02 e)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: shutdown s SHUT_WR
      srv: send a "answer"
      srv: close a
      sleep 1ms
      expect cli:s TIME_WAIT
      cli: recv s 100
      cli: recv s 100
      cli: linger s 0
      cli: close s
      sleep 1ms
      expect cli:s TIME_WAIT
    `);
    expect(run.ok).toBe(true);
    expect([result(run, 12), result(run, 13)]).toEqual(['"answer"', 'EOF']);
    expect(segments(run).at(-1)!.flags).toBe('.');
  });

  test('time_wait_port_blocks_rebind: a port in TIME_WAIT cannot be bound again, not even with SO_REUSEADDR, when the old socket never set it (inet_bind_conflict compares sk_reuse on both sides)', () => {
    const run = sim(`${CLOSED_BY_CLIENT}${REBIND_40000}`);
    expect(lastResults(run, 4)).toEqual(['EADDRINUSE', '3', '0', 'EADDRINUSE']);
  });

  test('time_wait_reuseaddr_both_sides: with SO_REUSEADDR on the old socket and on the new one, the port is bound again over TIME_WAIT (tw_reuse)', () => {
    const run = sim(`${CLOSED_BY_CLIENT.replace('cli: bind s 127.0.0.1:40000', 'cli: reuseaddr s\n  cli: bind s 127.0.0.1:40000')}
      expect cli:s TIME_WAIT${REBIND_40000}`);
    expect(run.ok).toBe(true);
    expect(lastResults(run, 4)).toEqual(['EADDRINUSE', '3', '0', '0']);
  });
});

describe('last_ack', () => {
  test('last_ack_ack_closes: the ACK of our FIN takes LAST_ACK to CLOSED, no TIME_WAIT for the passive side', () => {
    const run = sim(CLOSED_BY_CLIENT);
    expect(states(run, 'srv:a').slice(-3)).toEqual(['CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });
});

describe('process exit', () => {
  test('exit_closes_every_descriptor: killing a process sends a FIN on each of its connections (do_exit)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      cli: t = socket
      cli: connect t 127.0.0.1:8080
      srv: a = accept l
      srv: b = accept l
      kill cli
      sleep 10ms
      expect srv:a CLOSE_WAIT
      expect srv:b CLOSE_WAIT
    `);
    expect(run.ok).toBe(true);
    expect(segments(run).filter((s) => s.flags === 'F.').length).toBe(2);
  });

  test('exit_with_unread_resets: a killed process with unread data resets that connection (ground truth s06 b)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      srv: send a "0123456789"
      kill cli
    `);
    expect(compact(run, who).split(' | ').at(-1)).toBe('C>S [R.] seq=1 ack=11');
  });
});
