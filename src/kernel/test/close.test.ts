import { describe, expect, test } from 'vitest';
import { compact, lastResults, lifetime, segments, sim, states } from './helpers.ts';

const who = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');
const CONNECTED = `
  srv: l = socket
  srv: bind l 127.0.0.1:8080
  srv: listen l
  cli: s = socket
  cli: connect s 127.0.0.1:8080
  srv: a = accept l
`;

describe('close_wait', () => {
  test('close_wait_recv_q_counts_the_fin: Recv-Q shows 1 for an unread FIN until a read returns end of file (rcv_nxt - copied_seq)', () => {
    const run = sim(`${CONNECTED}
      cli: send s "abc"
      srv: recv a 10
      cli: close s
      sleep 100ms
      expect srv:a CLOSE_WAIT recv-q 1
      srv: recv a 10
      expect srv:a CLOSE_WAIT recv-q 0
    `);
    expect(run.expects.map((e) => e.ok)).toEqual([true, true]);
  });

  test('close_wait_fin_coalesced_with_unread_data: a FIN queued behind unread data is consumed with the last of it, so Recv-Q drops to 0 before EOF is read (tcp_try_coalesce, tcp_recvmsg found_fin_ok)', () => {
    const run = sim(`${CONNECTED}
      cli: send s "abc"
      cli: close s
      sleep 100ms
      expect srv:a CLOSE_WAIT recv-q 4
      srv: recv a 2
      expect srv:a CLOSE_WAIT recv-q 2
      srv: recv a 10
      expect srv:a CLOSE_WAIT recv-q 0
      srv: recv a 10
    `);
    expect(run.expects.map((e) => e.actual)).toEqual(['CLOSE_WAIT recv-q 4', 'CLOSE_WAIT recv-q 2', 'CLOSE_WAIT recv-q 0']);
    expect(lastResults(run, 2)).toEqual(['"c"', 'EOF']);
  });

  test('close_wait_delayed_ack_after_data: the ACK of a FIN waits 40 ms when data was received (tcp_send_delayed_ack, TCP_ATO_MIN)', () => {
    const run = sim(`${CONNECTED}
      cli: send s "x"
      srv: recv a 10
      cli: close s
      sleep 100ms
    `);
    const segs = segments(run);
    const fin = segs.find((s) => s.flags === 'F.')!;
    const ack = segs.find((s) => s.t > fin.t && s.flags === '.' && s.src.endsWith(':8080'))!;
    expect(ack.t - fin.t).toBe(40_020);
  });

  test('close_wait_delayed_ack_without_data: with nothing received the ACK of a FIN waits one tick, about 3 ms', () => {
    const run = sim(`${CONNECTED}
      cli: close s
      sleep 100ms
    `);
    const segs = segments(run);
    const fin = segs.find((s) => s.flags === 'F.')!;
    const ack = segs.find((s) => s.t > fin.t && s.flags === '.')!;
    expect(ack.t - fin.t).toBe(3_020);
  });

  test('close_wait_merged_fin_ack: closing within the delayed-ACK window sends FIN+ACK — a three-segment close (tcp_fin + pingpong)', () => {
    const run = sim(`${CONNECTED}
      cli: send s "x"
      srv: recv a 10
      cli: close s
      srv: recv a 10
      srv: close a
      sleep 1ms
    `);
    expect(compact(run, who).split(' | ').slice(-3)).toEqual(['C>S [F.] seq=2 ack=1', 'S>C [F.] seq=1 ack=3', 'C>S [.] ack=2']);
    expect(states(run, 'cli:s')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
  });

  test('close_wait_rst_gives_epipe: a RST in CLOSE_WAIT makes send fail with EPIPE and recv return EOF, never ECONNRESET (tcp_reset)', () => {
    const run = sim(`${CONNECTED}
      cli: close s
      sleep 10ms
      srv: send a "late"
      srv: recv a 10
      srv: send a "again"
    `);
    expect(lastResults(run, 3)).toEqual(['4', 'EOF', 'EPIPE']);
  });

  test('close_wait_linger_zero: SO_LINGER {1,0} in CLOSE_WAIT sends RST+ACK instead of the FIN (tcp_disconnect)', () => {
    const run = sim(`${CONNECTED}
      cli: send s "hello"
      srv: recv a 10
      cli: close s
      sleep 50ms
      srv: linger a 0
      srv: close a
    `);
    expect(compact(run, who).split(' | ').at(-1)).toBe('S>C [R.] seq=1 ack=7');
  });
});

describe('fin_wait_1', () => {
  test('fin_wait_1_unread_data_resets: close() with unread data sends RST+ACK, no FIN and no TIME_WAIT (tcp_close, RFC 2525 §2.17)', () => {
    const run = sim(`${CONNECTED}
      cli: send s "hello"
      srv: close a
      cli: recv s 10
      cli: recv s 10
      cli: send s "x"
    `);
    expect(compact(run, who).split(' | ').at(-1)).toBe('S>C [R.] seq=1 ack=6');
    expect(states(run, 'srv:a').at(-1)).toBe('CLOSED');
    expect(states(run, 'srv:a')).not.toContain('TIME_WAIT');
    expect(lastResults(run, 3)).toEqual(['ECONNRESET', 'EOF', 'EPIPE']);
  });

  test('fin_wait_1_unread_fin_only: an unread FIN alone does not turn close() into a reset (ground truth s03 b)', () => {
    const run = sim(`${CONNECTED}
      cli: close s
      sleep 10ms
      srv: close a
      sleep 1ms
    `);
    expect(segments(run).map((s) => s.flags).slice(-3)).toEqual(['.', 'F.', '.']);
  });

  test('fin_wait_1_data_flushed_before_fin: data written before close() goes first, the FIN after it (tcp_send_fin)', () => {
    const run = sim(`${CONNECTED}
      cli: send s 3000
      cli: close s
      srv: recv a 5000
    `);
    const flags = segments(run).filter((s) => s.src !== '127.0.0.1:8080').map((s) => s.flags);
    expect(flags.slice(-2)).toEqual(['P.', 'F.']);
    expect(lastResults(run, 1)[0]).toContain('3000 bytes');
  });

  test('fin_wait_1_fin_rides_last_data_when_window_closed: with a full receive window the FIN waits and goes out on the last data as FP.', () => {
    const run = sim(`${CONNECTED}
      cli: send s 100000
      cli: close s
      sleep 10ms
      expect cli:s FIN_WAIT_1
      srv: recv a 100000
      srv: recv a 100000
      sleep 10ms
      srv: recv a 100000
    `);
    expect(segments(run).some((s) => s.flags === 'FP.')).toBe(true);
    expect(lastResults(run, 1)).toEqual(['EOF']);
    const received = run.calls.filter((c) => c.call.startsWith('recv')).map((c) => Number(/\((\d+) bytes\)/.exec(c.result)?.[1] ?? 0));
    expect(received.reduce((a, b) => a + b, 0)).toBe(100000);
  });

  test('fin_wait_1_simultaneous_close: crossing FINs lead both sides through CLOSING to TIME_WAIT (RFC 9293 §3.10.7.4)', () => {
    const run = sim(`${CONNECTED}
      cli: close s &
      srv: close a &
      sleep 1ms
    `);
    expect(segments(run).map((s) => s.flags).slice(-4)).toEqual(['F.', 'F.', '.', '.']);
    expect(states(run, 'cli:s').slice(-3)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    expect(states(run, 'srv:a').slice(-3)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
  });

  test('fin_wait_1_self_connection_closes_in_two: FIN then the ACK of it, through CLOSING (ground truth s08)', () => {
    const run = sim(`
      cli: s = socket
      cli: bind s 127.0.0.1:6666
      cli: connect s 127.0.0.1:6666
      cli: close s
      sleep 1ms
    `);
    expect(compact(run, () => 'A').split(' | ').slice(3)).toEqual(['A>A [F.] seq=1 ack=1', 'A>A [.] ack=2']);
    expect(states(run, 'cli:s').slice(-4)).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
  });

  test('fin_wait_1_lost_fin_retransmitted: a lost FIN is sent again after the RTO (about 200 ms on loopback, RFC 6298)', () => {
    const run = sim(`${CONNECTED}
      drop next cli:s F.
      cli: close s
      sleep 1s
      expect cli:s FIN_WAIT_2
    `);
    const fins = segments(run).filter((s) => s.flags === 'F.');
    expect(fins.map((f) => f.dropped)).toEqual([true, false]);
    expect(fins[1]!.t - fins[0]!.t).toBeGreaterThanOrEqual(200_000);
    expect(fins[1]!.t - fins[0]!.t).toBeLessThan(210_000);
    expect(run.ok).toBe(true);
  });
});

describe('fin_wait_2', () => {
  test('fin_wait_2_orphan_expires: after close() it lives tcp_fin_timeout seconds (plus timer-wheel slack), then goes without TIME_WAIT (tcp_fin_time)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_fin_timeout=5
      ${CONNECTED}
      cli: close s
      sleep 4900ms
      expect cli:s FIN_WAIT_2
      sleep 600ms
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
    expect(states(run, 'cli:s')).not.toContain('TIME_WAIT');
    const life = lifetime(run, 'cli:s', 'FIN_WAIT_2');
    expect(life).toBeGreaterThanOrEqual(5_000_000);
    expect(life).toBeLessThanOrEqual(5_260_000);
  });

  test('fin_wait_2_orphan_long_timeout: a tcp_fin_timeout above 60 s is honoured too (keepalive timer, then timewait)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_fin_timeout=90
      ${CONNECTED}
      cli: close s
      sleep 89s
      expect cli:s FIN_WAIT_2
      sleep 5s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
  });

  test('fin_wait_2_after_shutdown_waits_forever: with the descriptor open there is no timer; close() starts one and sends nothing', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_fin_timeout=5
      ${CONNECTED}
      cli: shutdown s SHUT_WR
      sleep 300s
      expect cli:s FIN_WAIT_2
      cli: close s
      sleep 4s
      expect cli:s FIN_WAIT_2
      sleep 2s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
    expect(segments(run).length).toBe(5);
  });

  test('fin_wait_2_orphan_data_resets: data sent to an orphaned FIN_WAIT_2 draws a RST (tcp_timewait_state_process)', () => {
    const run = sim(`${CONNECTED}
      cli: close s
      sleep 10ms
      srv: send a "more"
      sleep 1ms
      expect cli:s CLOSED
    `);
    expect(compact(run, who).split(' | ').at(-1)).toBe('C>S [R] seq=2');
  });

  test('fin_wait_2_half_close_still_reads: after shutdown(SHUT_WR) the peer can still send data that is read (RFC 9293 §3.10.4)', () => {
    const run = sim(`${CONNECTED}
      cli: shutdown s SHUT_WR
      srv: recv a 10
      srv: send a "answer"
      cli: recv s 10
      cli: send s "x"
    `);
    expect(lastResults(run, 2)).toEqual(['"answer"', 'EPIPE']);
  });
});
