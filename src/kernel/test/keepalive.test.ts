import { describe, expect, test } from 'vitest';
import { createKernel } from '../kernel.ts';
import { getsockopt } from '../sockopt.ts';
import { formatSs } from '../render/ss.ts';
import { compact, lastResults, segments, sim, states } from './helpers.ts';

const who = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');
const CONNECTED = `
  srv: l = socket
  srv: bind l 127.0.0.1:8080
  srv: listen l
  cli: s = socket
  cli: connect s 127.0.0.1:8080
  srv: a = accept l
`;

/** Times (s, from the first probe on) of the client's pure ACKs after the handshake: its keepalive probes. */
function probeTimes(run: ReturnType<typeof sim>): number[] {
  return segments(run)
    .slice(3)
    .filter((s) => s.flags === '.' && !s.src.endsWith(':8080'))
    .map((s) => s.t);
}

describe('keepalive', () => {
  test('established_keepalive_probe_after_idle: an idle connection with SO_KEEPALIVE probes with SEQ = SND.UNA − 1 after TCP_KEEPIDLE (tcp_keepalive_timer, tcp_xmit_probe_skb)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on idle=2
      sleep 2500ms
    `);
    const probe = segments(run)[3]!;
    expect(probe.flags).toBe('.');
    expect(probe.len).toBe(0);
    expect(probe.seq).toBe(0); // one before SND.UNA (1): the peer has seen it and must answer
    expect(probe.t).toBeGreaterThanOrEqual(2_000_000);
    expect(probe.t).toBeLessThan(2_100_000); // the timer wheel rounds a 2 s timer up by at most 32 ms
    expect(compact(run, who).split(' | ').slice(-2)).toEqual(['C>S [.] ack=1', 'S>C [.] ack=1']);
  });

  test('established_keepalive_answered_probes_go_on: an answered probe zeroes the count, so a live peer is probed for ever and never reset (tcp_ack zeroes icsk_probes_out)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on idle=1 intvl=1 cnt=1
      sleep 10500ms
      expect cli:s ESTABLISHED
    `);
    const t = probeTimes(run);
    expect(t).toHaveLength(10);
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeLessThan(1_100_000);
    expect(run.ok).toBe(true);
  });

  test('established_keepalive_answer_restarts_idle: after an answered probe the next one waits a whole TCP_KEEPIDLE from the answer, not TCP_KEEPINTVL (tcp_keepalive_timer: elapsed < keepalive_time → resched)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on idle=3 intvl=1 cnt=1
      sleep 10s
    `);
    const t = probeTimes(run);
    expect(t.length).toBe(3);
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(3_000_000);
    expect(t[1]! - t[0]!).toBeLessThan(3_100_000);
  });

  test('established_keepalive_gives_up: after TCP_KEEPCNT unanswered probes TCP_KEEPINTVL apart the connection is reset and the program gets ETIMEDOUT (tcp_keepalive_timer → tcp_send_active_reset + tcp_write_err)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on idle=3 intvl=2 cnt=4
      drop all srv:a any
      cli: recv s 10
    `);
    const t = probeTimes(run);
    expect(t).toHaveLength(4);
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(2_000_000);
    expect(t[1]! - t[0]!).toBeLessThan(2_100_000);
    expect(lastResults(run, 1)).toEqual(['ETIMEDOUT']);
    const rst = segments(run).at(-1)!;
    expect(rst.flags).toBe('R.');
    expect(rst.t - t[3]!).toBeGreaterThanOrEqual(2_000_000); // the reset comes one interval after the last probe
    expect(states(run, 'cli:s').at(-1)).toBe('CLOSED');
  });

  test('keepalive_off_by_default: without SO_KEEPALIVE an idle connection sends nothing, for hours (RFC 1122 §4.2.3.6: keepalive is off unless asked for)', () => {
    const run = sim(`${CONNECTED}
      sleep 10800s
    `);
    expect(segments(run)).toHaveLength(3);
  });

  test('keepalive_default_times: with only SO_KEEPALIVE the first probe comes after tcp_keepalive_time (7200 s), the next 75 s apart, 9 of them (sysctl defaults)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on
      drop all srv:a any
      sleep 7900s
      cli: recv s 10
    `);
    const t = probeTimes(run);
    expect(t).toHaveLength(9);
    expect(t[0]! / 1e6).toBeGreaterThanOrEqual(7200);
    expect(t[0]! / 1e6).toBeLessThan(7210);
    expect((t[1]! - t[0]!) / 1e6).toBeGreaterThanOrEqual(75);
    expect((t[1]! - t[0]!) / 1e6).toBeLessThan(76);
    expect(lastResults(run, 1)).toEqual(['ETIMEDOUT']);
  });

  test('keepalive_sysctls: net.ipv4.tcp_keepalive_time/intvl/probes set the defaults of sockets that do not override them', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_keepalive_time=2
      sysctl net.ipv4.tcp_keepalive_intvl=1
      sysctl net.ipv4.tcp_keepalive_probes=2
      ${CONNECTED}
      cli: keepalive s on
      drop all srv:a any
      cli: recv s 10
    `);
    expect(probeTimes(run)).toHaveLength(2);
    expect(lastResults(run, 1)).toEqual(['ETIMEDOUT']);
  });

  test('keepidle_counts_from_last_heard: setting TCP_KEEPIDLE on an idle connection schedules the probe from when the peer was last heard, not from now (tcp_sock_set_keepidle_locked)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on
      sleep 5s
      cli: keepalive s on idle=3
      sleep 1s
    `);
    // 5 s of silence already exceed the new 3 s idle time: the probe goes out at once.
    const t = probeTimes(run);
    expect(t).toHaveLength(1);
    expect(t[0]! / 1e6).toBeLessThan(5.1);
  });

  test('keepalive_inherited_by_accept: a connection accepted from a listener with keepalive options has them too (sk_clone_lock copies the socket)', () => {
    const run = sim(`
      srv: l = socket
      srv: keepalive l on idle=1 intvl=1 cnt=2
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      drop all cli:s any
      srv: recv a 10
    `);
    expect(lastResults(run, 1)).toEqual(['ETIMEDOUT']);
    const probes = segments(run).filter((s) => s.src.endsWith(':8080') && s.flags === '.' && s.seq === 0 && s.t > 500_000);
    expect(probes).toHaveLength(2);
  });

  test('keepalive_options_range: TCP_KEEPIDLE and TCP_KEEPINTVL take 1–32767 s, TCP_KEEPCNT 1–127; anything else is EINVAL (do_tcp_setsockopt)', () => {
    const run = sim(`
      cli: s = socket
      cli: keepalive s on idle=0
      cli: keepalive s on idle=32768
      cli: keepalive s on intvl=0
      cli: keepalive s on cnt=128
      cli: keepalive s on idle=32767 intvl=32767 cnt=127
      cli: keepalive s off
    `);
    expect(lastResults(run, 6)).toEqual(['EINVAL', 'EINVAL', 'EINVAL', 'EINVAL', '0', '0']);
  });

  test('keepalive_getsockopt: unset options read back as the sysctls; TCP_USER_TIMEOUT as 0 (do_tcp_getsockopt)', () => {
    const k = createKernel();
    const p = k.spawn('p');
    const fd = k.socket(p);
    if (!fd.ok) throw new Error(fd.errno);
    expect(getsockopt(k, p, fd.value, 'TCP_KEEPIDLE')).toEqual({ ok: true, value: 7200 });
    expect(getsockopt(k, p, fd.value, 'TCP_KEEPINTVL')).toEqual({ ok: true, value: 75 });
    expect(getsockopt(k, p, fd.value, 'TCP_KEEPCNT')).toEqual({ ok: true, value: 9 });
    expect(getsockopt(k, p, fd.value, 'TCP_USER_TIMEOUT')).toEqual({ ok: true, value: 0 });
    expect(getsockopt(k, p, fd.value, 'SO_KEEPALIVE')).toEqual({ ok: true, value: 0 });
  });

  test('ss_shows_keepalive_timer: ss -o shows timer:(keepalive,…) with the probes sent so far (inet_diag: sk_timer and icsk_probes_out)', () => {
    const run = sim(`${CONNECTED}
      cli: keepalive s on idle=10 intvl=5 cnt=3
      drop all srv:a any
      sleep 10500ms
    `);
    const k = run.kernel;
    const line = formatSs(k.sockets(), { timers: true }).split('\n').find((l) => l.includes('keepalive'));
    expect(line).toMatch(/timer:\(keepalive,4\.\d{3}ms,1\)$/);
  });
});

describe('TCP_USER_TIMEOUT', () => {
  test('user_timeout_ends_retransmission: unacknowledged data is given up TCP_USER_TIMEOUT after the first retransmission, with ETIMEDOUT and no RST (tcp_write_timeout, retransmits_timed_out)', () => {
    const run = sim(`${CONNECTED}
      cli: usertimeout s 2000ms
      drop all srv:a any
      cli: send s "x"
      cli: recv s 10
    `);
    expect(lastResults(run, 1)).toEqual(['ETIMEDOUT']);
    const sent = segments(run).filter((s) => s.flags === 'P.');
    // The tail loss probe, then the first retransmission 200 ms later: the 2 s count from there.
    const first = sent[2]!.t;
    const gaveUp = run.calls.at(-1)!.t;
    expect(gaveUp - first).toBe(2_000_000);
    expect(segments(run).some((s) => s.flags.includes('R'))).toBe(false);
  });

  test('user_timeout_clamps_the_rto: the last retransmission timer is shortened so that the give-up comes on time (tcp_clamp_rto_to_user_timeout)', () => {
    const run = sim(`${CONNECTED}
      cli: usertimeout s 1000ms
      drop all srv:a any
      cli: send s "x"
      cli: recv s 10
    `);
    const sent = segments(run).filter((s) => s.flags === 'P.').map((s) => s.t);
    // probe at ~0.2 s, retransmissions at ~0.4 and ~0.8 s; the next would be 1.6 s later, but the timer is cut to
    // the remaining 0.6 s.
    expect(sent).toHaveLength(4);
    expect(run.calls.at(-1)!.t - sent[2]!).toBe(1_000_000);
  });

  test('user_timeout_overrides_retries2: with TCP_USER_TIMEOUT longer than tcp_retries2 lasts, retransmission goes on until the user timeout (retransmits_timed_out ignores the boundary)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_retries2=2
      ${CONNECTED}
      cli: usertimeout s 20s
      drop all srv:a any
      cli: send s "x"
      sleep 10s
      expect cli:s ESTABLISHED
    `);
    expect(run.ok).toBe(true);
  });

  test('tcp_retries2_time_budget: without a user timeout, data is given up once tcp_model_timeout(tcp_retries2, 200 ms) has passed since the first retransmission (retransmits_timed_out)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_retries2=3
      ${CONNECTED}
      drop all srv:a any
      cli: send s "x"
      cli: recv s 10
    `);
    expect(lastResults(run, 1)).toEqual(['ETIMEDOUT']);
    // 3 doublings from 200 ms take (2^4 − 1) · 200 ms = 3 s: retransmissions at 0.4, 0.8, 1.6 and 3.2 s after the
    // first one; the timer after that finds the budget spent.
    const resent = segments(run).filter((s) => s.flags === 'P.').slice(2);
    expect(resent).toHaveLength(4);
  });
});

describe('tail loss probe', () => {
  test('tlp_resends_lone_segment_then_rto: the first resend of a lone lost segment is a loss probe, the full RTO follows without back-off (tcp_send_loss_probe, tcp_rearm_rto)', () => {
    const run = sim(`${CONNECTED}
      drop all srv:a any
      cli: send s "x"
      sleep 1s
    `);
    const sent = segments(run).filter((s) => s.flags === 'P.').map((s) => s.t);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const gaps = sent.slice(1).map((t, i) => Math.round((t - sent[i]!) / 1000));
    expect(gaps.slice(0, 3)).toEqual([204, 204, 408]); // probe, RTO, RTO×2 (204 ms: 200 ms + SRTT in whole 4 ms ticks)
  });

  test('tlp_fast_with_several_in_flight: with more than one segment unacknowledged the probe waits only 2·SRTT + 2 ms and resends the last one (tcp_schedule_loss_probe)', () => {
    const run = sim(`${CONNECTED}
      drop all srv:a any
      cli: send s "x"
      cli: close s
      sleep 100ms
    `);
    const fins = segments(run).filter((s) => s.flags === 'F.');
    expect(fins).toHaveLength(2);
    expect(fins[1]!.t - fins[0]!.t).toBe(4_000); // 2·SRTT + 2 ms, in whole ticks
  });
});
