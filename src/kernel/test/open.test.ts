import { describe, expect, test } from 'vitest';
import { compact, result, segments, sim, states } from './helpers.ts';

const who = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');

describe('listen', () => {
  test('listen_syn_to_closed_port: answered with RST+ACK seq=0 ack=ISN+1, connect() fails with ECONNREFUSED (RFC 9293 §3.10.7.1)', () => {
    const run = sim(`
      cli: s = socket
      cli: connect s 127.0.0.1:9
    `);
    expect(result(run, 2)).toBe('ECONNREFUSED');
    expect(compact(run, () => 'X')).toBe('X>X [S] seq=0 | X>X [R.] seq=0 ack=1');
    expect(states(run, 'cli:s')).toEqual(['CLOSED', 'SYN_SENT', 'CLOSED']);
  });

  test('listen_accept_queue_full: SYNs beyond backlog+1 are dropped and retransmitted after 1 s (Linux sk_acceptq_is_full)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l 0
      a: s = socket
      a: connect s 127.0.0.1:8080
      b: s = socket
      b: connect s 127.0.0.1:8080 &
      sleep 500ms
      expect b:s SYN_SENT
      srv: x = accept l
      sleep 600ms
      expect b:s ESTABLISHED
    `);
    expect(run.ok).toBe(true);
    const syns = segments(run).filter((s) => s.flags === 'S' && s.src !== segments(run)[0]!.src);
    expect(syns.map((s) => s.t - syns[0]!.t)).toEqual([0, 1_000_000]);
  });

  test('listen_close_resets_unaccepted: closing a listener resets connections waiting in its accept queue (inet_csk_listen_stop)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: close l
      cli: recv s 10
    `);
    expect(result(run, 7)).toBe('ECONNRESET');
    expect(segments(run).at(-1)!.flags).toBe('R.');
  });

  test('listen_lost_syn_ack: a retransmitted SYN reaching a connection in SYN_RECV gets the SYN-ACK again, not a bare ACK (tcp_check_req → inet_rtx_syn_ack)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      drop next srv:l S.
      cli: connect s 127.0.0.1:8080 &
      sleep 500ms
      expect cli:s SYN_SENT
      sleep 1s
      expect cli:s ESTABLISHED
      srv: a = accept l
    `);
    const segs = segments(run).map((e) => `${who(e.src)}>${who(e.dst)} [${e.flags}]${e.dropped ? ' lost' : ''}`);
    // The server sends only SYN-ACKs: the lost one, the answer to the retransmitted SYN, and its own timer's
    // (the last two race at 1 s on Linux too); never a bare ACK.
    expect(segs.slice(0, 4)).toEqual(['C>S [S]', 'S>C [S.] lost', 'C>S [S]', 'S>C [S.]']);
    expect(segs.filter((x) => x.startsWith('S>C'))).toEqual(['S>C [S.] lost', 'S>C [S.]', 'S>C [S.]']);
    expect(run.ok).toBe(true);
  });

  test('listen_bind_in_use: a second bind to a listening port fails with EADDRINUSE, even with SO_REUSEADDR', () => {
    const run = sim(`
      a: l = socket
      a: reuseaddr l
      a: bind l 127.0.0.1:8080
      a: listen l
      b: l = socket
      b: reuseaddr l
      b: bind l 127.0.0.1:8080
    `);
    expect(result(run, 7)).toBe('EADDRINUSE');
  });
});

describe('syn_sent', () => {
  test('syn_sent_retransmits_then_etimedout: SYN resent every 1 s for tcp_syn_linear_timeouts retransmissions, then after 2, 4 s; ETIMEDOUT once the time budget of tcp_syn_retries is spent (tcp_retransmit_timer, tcp_model_timeout; measured on Linux 6.18)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_syn_retries=3
      cli: s = socket
      cli: connect s 192.0.2.99:80
    `);
    expect(result(run, 3)).toBe('ETIMEDOUT');
    const first = segments(run)[0]!.t;
    const times = segments(run).map((s) => (s.t - first) / 1e6);
    // Measured on Linux 6.18 (tcp_syn_retries=3): SYNs at 0, 1, 2, 3, 4, 5, 7, 11 s, ETIMEDOUT at 19 s
    // (the timer after the 15 s budget of 2^4 - 1 s).
    expect(times).toEqual([0, 1, 2, 3, 4, 5, 7, 11]);
    const failedAt = run.calls.find((c) => c.result === 'ETIMEDOUT')!.t;
    expect((failedAt - first) / 1e6).toBeCloseTo(19, 2);
  });

  test('syn_sent_linear_timeouts_off: with tcp_syn_linear_timeouts=0 the SYN backs off exponentially from the first retransmission', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_syn_retries=3
      sysctl net.ipv4.tcp_syn_linear_timeouts=0
      cli: s = socket
      cli: connect s 192.0.2.99:80
    `);
    const first = segments(run)[0]!.t;
    expect(segments(run).map((s) => (s.t - first) / 1e6)).toEqual([0, 1, 3, 7]);
    expect(result(run, 4)).toBe('ETIMEDOUT');
  });

  test('syn_sent_unacceptable_ack_resends_syn_soon: an ACK that acknowledges nothing of ours draws a RST, and the SYN goes again after TCP_TIMEOUT_MIN (8 ms), not after 1 s (tcp_rcv_synsent_state_process: "Previous FIN/ACK or RST/ACK might be ignored")', () => {
    const run = sim(`
      b: l = socket
      b: bind l 127.0.0.1:2223
      b: listen l
      a: s = socket
      a: bind s 127.0.0.1:2224
      a: connect s 127.0.0.1:2223
      b: c = accept l
      b: close l
      sleep 10ms
      b: close c
      sleep 50ms
      a: close s
      sleep 10ms
      expect b:c TIME_WAIT
      a: t = socket
      a: bind t 127.0.0.1:2224
      a: connect t 127.0.0.1:2223
    `);
    // The SYN meets B's TIME_WAIT (an ACK of the old connection), A resets it, and 8 ms later resends the SYN,
    // which now finds nothing on port 2223: connection refused.
    expect(result(run, 17)).toBe('ECONNREFUSED');
    const tail = segments(run).slice(-5);
    expect(tail.map((s) => `${s.src.endsWith('2224') ? 'A' : 'B'}>${s.flags}`)).toEqual(['A>S', 'B>.', 'A>R', 'A>S', 'B>R.']);
    expect(tail[3]!.t - tail[2]!.t).toBe(8_000);
  });

  test('syn_sent_simultaneous_open: crossing SYNs give SYN, SYN, SYN-ACK, SYN-ACK, ACK, ACK on Linux (tcp_rcv_synsent_state_process)', () => {
    const run = sim(`
      a: s = socket
      a: bind s 127.0.0.1:2223
      b: s = socket
      b: bind s 127.0.0.1:2224
      a: connect s 127.0.0.1:2224 &
      b: connect s 127.0.0.1:2223 &
      sleep 1ms
    `);
    expect(segments(run).map((s) => s.flags)).toEqual(['S', 'S', 'S.', 'S.', '.', '.']);
    expect(states(run, 'a:s')).toEqual(['CLOSED', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED']);
    expect(states(run, 'b:s')).toEqual(['CLOSED', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED']);
    expect(run.calls.map((c) => c.result)).toContain('0');
  });

  test('syn_sent_self_connection: a socket connecting to its own address opens in three segments and echoes its data (RFC 9293 §3.10.7.3)', () => {
    const run = sim(`
      cli: s = socket
      cli: bind s 127.0.0.1:6666
      cli: connect s 127.0.0.1:6666
      cli: send s "ping"
      cli: recv s 10
    `);
    expect(result(run, 3)).toBe('0');
    expect(result(run, 5)).toBe('"ping"');
    expect(compact(run, () => 'A')).toBe('A>A [S] seq=0 | A>A [S.] seq=0 ack=1 | A>A [.] ack=1 | A>A [P.] seq=1 ack=1 len=4 | A>A [.] ack=5');
    expect(states(run, 'cli:s')).toEqual(['CLOSED', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED']);
  });

  test('syn_sent_ephemeral_port_from_range: connect() picks a local port inside ip_local_port_range', () => {
    const run = sim(`
      sysctl net.ipv4.ip_local_port_range=40000 40010
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
    `);
    const port = Number(segments(run)[0]!.src.split(':')[1]);
    expect(port).toBeGreaterThanOrEqual(40000);
    expect(port).toBeLessThanOrEqual(40010);
  });
});

describe('established', () => {
  test('established_quick_ack: the first data segments are acknowledged at once (quick-ACK mode, tcp_event_data_recv)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: send s "one"
      sleep 1ms
    `);
    const segs = segments(run);
    const data = segs.findIndex((s) => s.len > 0);
    expect(segs[data + 1]!.flags).toBe('.');
    expect(segs[data + 1]!.t - segs[data]!.t).toBe(20);
  });

  test('established_shut_rd_keeps_data: data arriving after shutdown(SHUT_RD) is still acknowledged and readable (inet_shutdown)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      srv: shutdown a SHUT_RD
      srv: recv a 10
      cli: send s "late"
      srv: recv a 10
      expect srv:a ESTABLISHED
    `);
    expect(result(run, 8)).toBe('EOF');
    expect(result(run, 10)).toBe('"late"');
    expect(segments(run).filter((s) => s.src.endsWith(':8080')).map((s) => s.flags)).toEqual(['S.', '.']);
  });

  test('established_request_reply_piggybacks: in ping-pong traffic the reply carries the ACK (tcp_event_data_sent)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: send s "q1"
      srv: recv a 10
      srv: send a "r1"
      cli: recv s 10
      cli: send s "q2"
      srv: recv a 10
      srv: send a "r2"
      sleep 100ms
    `);
    // After the first exchange the server is in ping-pong mode: q2 is acknowledged by r2 itself.
    const tail = compact(run, who).split(' | ').slice(-3);
    expect(tail).toEqual(['C>S [P.] seq=3 ack=3 len=2', 'S>C [P.] seq=3 ack=5 len=2', 'C>S [.] ack=5']);
  });
});
