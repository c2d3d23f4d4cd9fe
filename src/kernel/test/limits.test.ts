import { describe, expect, test } from 'vitest';
import { createKernel } from '../kernel.ts';
import { getsockopt } from '../sockopt.ts';
import { formatSs } from '../render/ss.ts';
import { compact, lastResults, segments, sim, states } from './helpers.ts';

const who = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');
const SERVER = `
  srv: l = socket
  srv: bind l 127.0.0.1:8080
  srv: listen l
`;
const CONNECTED = `${SERVER}
  cli: s = socket
  cli: connect s 127.0.0.1:8080
  srv: a = accept l
`;

describe('orphans (tcp_max_orphans, tcp_orphan_retries)', () => {
  test('close_too_many_orphans_resets: past tcp_max_orphans, close() sends its FIN and then a RST at once, and the kernel logs it (__tcp_close → tcp_check_oom)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_max_orphans=1
      ${CONNECTED}
      cli: t = socket
      cli: connect t 127.0.0.1:8080
      srv: b = accept l
      drop all srv:a any
      drop all srv:b any
      cli: close s
      cli: close t
      expect cli:s FIN_WAIT_1
      expect cli:t CLOSED
    `);
    expect(run.ok).toBe(true);
    const fromT = segments(run).filter((s) => s.src === run.endpoints.get('cli:t'));
    expect(fromT.slice(-2).map((s) => s.flags)).toEqual(['F.', 'R.']);
    expect(run.kernel.messages.map((m) => m.text)).toEqual(['TCP: too many orphaned sockets']);
  });

  test('orphans_limit_counts_full_sockets_only: TIME_WAIT and the orphaned FIN_WAIT_2 in its timewait phase are not orphans (inet_csk_destroy_sock decrements tcp_orphan_count)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_max_orphans=0
      ${CONNECTED}
      cli: close s
      sleep 50ms
      expect cli:s FIN_WAIT_2
    `);
    // With a limit of 0 the FIN_WAIT_1 orphan itself is one too many: FIN, then RST.
    expect(run.ok).toBe(false);
    expect(compact(run, who).split(' | ').slice(-2)).toEqual(['C>S [F.] seq=1 ack=1', 'C>S [R.] seq=2 ack=1']);
    const shut = sim(`
      sysctl net.ipv4.tcp_max_orphans=0
      ${CONNECTED}
      cli: shutdown s SHUT_WR
      sleep 50ms
      cli: close s
      sleep 10ms
      expect cli:s FIN_WAIT_2
    `);
    // Closed in FIN_WAIT_2, it becomes a timewait sock straight away (tcp_time_wait) and is not counted.
    expect(shut.ok).toBe(true);
  });

  test('orphan_retries_time_budget: an orphan retransmitting to a silent peer is dropped without a RST once tcp_model_timeout(tcp_orphan_retries, 200 ms) has passed since its first retransmission (tcp_write_timeout, tcp_orphan_retries)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_orphan_retries=2
      ${CONNECTED}
      drop all srv:a any
      cli: close s
      sleep 5s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
    const fins = segments(run).filter((s) => s.flags === 'F.' && !s.src.endsWith(':8080'));
    expect(fins).toHaveLength(5); // the FIN, a loss probe, three retransmissions
    expect(segments(run).some((s) => s.flags.includes('R'))).toBe(false);
  });

  test('orphan_retries_zero_means_eight_while_alive: tcp_orphan_retries=0 allows 8 doublings while the RTO is below TCP_RTO_MAX (tcp_orphan_retries)', () => {
    const run = sim(`${CONNECTED}
      drop all srv:a any
      cli: close s
      sleep 100s
      expect cli:s FIN_WAIT_1
      sleep 200s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
  });

  test('orphan_out_of_resources: an orphan whose timer fires while there are too many orphans is killed, with a RST because it sent recently (tcp_out_of_resources)', () => {
    const k = createKernel({ sysctl: { 'net.ipv4.tcp_max_orphans': 5 } });
    const s = k.spawn('srv');
    const c = k.spawn('cli');
    const l = k.socket(s);
    if (!l.ok) throw new Error(l.errno);
    k.bind(s, l.value, '127.0.0.1:8080');
    k.listen(s, l.value, 16);
    const fds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fd = k.socket(c);
      if (!fd.ok) throw new Error(fd.errno);
      k.connect(c, fd.value, '127.0.0.1:8080');
      fds.push(fd.value);
    }
    k.advanceBy(1000);
    k.dropAll(k.socketOf(s, l.value)!, null); // the server's host goes silent
    for (const fd of fds) k.close(c, fd);
    k.advanceBy(10);
    expect(k.sockets().filter((x) => x.state === 'FIN_WAIT_1')).toHaveLength(3);
    k.sysctl.set('net.ipv4.tcp_max_orphans', '1');
    k.advanceBy(1_000_000);
    // Each timer that finds more orphans than allowed kills its own socket: two go, the last one is within the limit.
    expect(k.sockets().filter((x) => x.state === 'FIN_WAIT_1')).toHaveLength(1);
    expect(k.messages.filter((m) => m.text === 'TCP: too many orphaned sockets')).toHaveLength(2);
    expect(k.trace.events.filter((e) => e.kind === 'segment' && e.flags === 'R.')).toHaveLength(2);
  });
});

describe('zero window (persist timer)', () => {
  const STUCK = `${CONNECTED}
      cli: send s 200000
    `;

  test('persist_probes_zero_window: a full receiver stops the sender; nothing is in flight, so it probes with backed-off intervals until the window opens (tcp_probe_timer, tcp_send_probe0)', () => {
    const run = sim(`${STUCK}
      sleep 10s
      expect cli:s ESTABLISHED
    `);
    const closed = segments(run).find((s) => s.src.endsWith(':8080') && s.win === 0)!;
    const probes = segments(run).filter((s) => s.t > closed.t && !s.src.endsWith(':8080') && s.len === 0 && s.flags === '.');
    expect(probes.length).toBeGreaterThanOrEqual(5);
    const gaps = probes.slice(1).map((p, i) => p.t - probes[i]!.t);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    const ss = formatSs(run.kernel.sockets(), { timers: true });
    expect(ss).toMatch(/timer:\(persist,/);
  });

  test('persist_window_reopens: when the receiver reads, its window update lets the data flow again and probing stops (tcp_ack_probe)', () => {
    const run = sim(`${STUCK}
      sleep 2s
      srv: recv a 65536
      srv: recv a 65536
      srv: recv a 65536
      srv: recv a 65536
      sleep 1s
    `);
    expect(lastResults(run, 4).every((r) => r.endsWith('(65536 bytes)') || /bytes\)$/.test(r))).toBe(true);
    expect(run.kernel.sockets().every((s) => s.timer?.name !== 'persist')).toBe(true);
  });

  test('fin_waits_for_window: a FIN queued behind data a zero window holds back waits too, so the orphan stays in FIN_WAIT_1 (tcp_snd_wnd_test counts the FIN)', () => {
    const run = sim(`${STUCK}
      cli: close s
      sleep 60s
      expect cli:s FIN_WAIT_1
    `);
    expect(run.ok).toBe(true);
    expect(segments(run).some((s) => s.flags.includes('F'))).toBe(false);
  });

  test('orphan_zero_window_given_up: an orphan stuck in FIN_WAIT_1 behind a zero window is aborted once its probe back-off reaches TCP_RTO_MAX — after minutes, however well the peer answers (tcp_probe_timer: !alive)', () => {
    const run = sim(`${STUCK}
      cli: close s
      sleep 200s
      expect cli:s FIN_WAIT_1
      sleep 200s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
    expect(states(run, 'cli:s').at(-1)).toBe('CLOSED');
  });

  test('oow_ack_rate_limited: answers to probes that come faster than tcp_invalid_ratelimit (500 ms) are skipped (tcp_oow_rate_limited)', () => {
    const run = sim(`${STUCK}
      sleep 2s
    `);
    const closed = segments(run).find((s) => s.src.endsWith(':8080') && s.win === 0)!;
    const probes = segments(run).filter((s) => s.t > closed.t && !s.src.endsWith(':8080') && s.len === 0);
    const answers = segments(run).filter((s) => s.t > closed.t && s.src.endsWith(':8080'));
    expect(answers.length).toBeLessThan(probes.length);
  });
});

describe('TIME_WAIT limits and reuse', () => {
  test('max_tw_buckets_skips_time_wait: past tcp_max_tw_buckets the FIN that would start TIME_WAIT is still acknowledged, then the socket is gone (tcp_time_wait: inet_twsk_alloc returns NULL)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_max_tw_buckets=0
      ${CONNECTED}
      cli: send s "x"
      srv: recv a 10
      cli: close s
      srv: recv a 10
      srv: close a
      sleep 10ms
      expect cli:s CLOSED
      expect srv:a CLOSED
    `);
    expect(run.ok).toBe(true);
    expect(states(run, 'cli:s')).not.toContain('TIME_WAIT');
    expect(compact(run, who).split(' | ').slice(-2)).toEqual(['S>C [F.] seq=1 ack=3', 'C>S [.] ack=2']);
  });

  test('max_tw_buckets_orphan_fin_wait_2: an orphaned FIN_WAIT_2 also needs a timewait sock; without one it is gone at once and the late FIN meets a RST (tcp_time_wait(TCP_FIN_WAIT2))', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_max_tw_buckets=0
      ${CONNECTED}
      cli: close s
      srv: recv a 10
      sleep 50ms
      expect cli:s CLOSED
      srv: close a
      sleep 10ms
    `);
    expect(run.ok).toBe(true);
    expect(compact(run, who).split(' | ').at(-1)).toBe('C>S [R] seq=2');
  });

  test('tw_reuse_needs_delay: with tcp_tw_reuse=2 on loopback connect() takes over a TIME_WAIT only after tcp_tw_reuse_delay (tcp_twsk_unique)', () => {
    const run = sim(`
      sysctl net.ipv4.ip_local_port_range=40000 40000
      sysctl net.ipv4.tcp_tw_reuse_delay=3000
      ${CONNECTED}
      cli: close s
      srv: recv a 10
      sleep 50ms
      srv: close a
      sleep 2s
      cli: t = socket
      cli: connect t 127.0.0.1:8080
      sleep 1s
      cli: u = socket
      cli: connect u 127.0.0.1:8080
    `);
    expect(lastResults(run, 4)).toEqual(['3', 'EADDRNOTAVAIL', '4', '0']);
  });

  test('tw_reuse_2_is_loopback_only: between two hosts tcp_tw_reuse=2 never takes over a TIME_WAIT; tcp_tw_reuse=1 does (tcp_twsk_unique)', () => {
    const connectTwice = (reuse: number) => {
      const k = createKernel({ sysctl: { 'net.ipv4.ip_local_port_range': '40000 40000', 'net.ipv4.tcp_tw_reuse': reuse } });
      k.addHost('a', '192.0.2.1');
      k.addHost('b', '192.0.2.2');
      k.link('192.0.2.1', '192.0.2.2', 100);
      const srv = k.spawn('srv', 'b');
      const cli = k.spawn('cli', 'a');
      const l = k.socket(srv);
      if (!l.ok) throw new Error(l.errno);
      k.bind(srv, l.value, '192.0.2.2:8080');
      k.listen(srv, l.value, 8);
      const s = k.socket(cli);
      if (!s.ok) throw new Error(s.errno);
      k.connect(cli, s.value, '192.0.2.2:8080');
      k.advanceBy(10_000);
      const a = k.accept(srv, l.value);
      if (!a.ok) throw new Error(a.errno);
      k.close(cli, s.value);
      k.advanceBy(50_000);
      k.close(srv, a.value.fd);
      k.advanceBy(2_000_000);
      const t = k.socket(cli);
      if (!t.ok) throw new Error(t.errno);
      return k.connect(cli, t.value, '192.0.2.2:8080');
    };
    expect(connectTwice(2)).toEqual({ ok: false, errno: 'EADDRNOTAVAIL' });
    expect(connectTwice(1)).toEqual({ ok: true, value: undefined });
  });

  test('tw_reuse_bound_port: a program that bound its port may reopen the same 4-tuple over its own TIME_WAIT at once, the new ISN 65537 past the old (tcp_twsk_unique with twp == NULL)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_tw_reuse=0
      ${SERVER}
      cli: s = socket
      cli: reuseaddr s
      cli: bind s 127.0.0.1:6000
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: close s
      srv: recv a 10
      sleep 50ms
      srv: close a
      sleep 10ms
      cli: t = socket
      cli: reuseaddr t
      cli: bind t 127.0.0.1:6000
      cli: connect t 127.0.0.1:8080
    `);
    expect(lastResults(run, 1)).toEqual(['0']);
    const syns = segments(run).filter((s) => s.flags === 'S');
    expect((syns[1]!.absSeq - syns[0]!.absSeq + 2 ** 32) % 2 ** 32).toBe(2 + 65537);
  });

  test('reserved_ports_skipped: connect() and bind(port 0) never pick ip_local_reserved_ports; an explicit bind may (inet_is_local_reserved_port)', () => {
    const reserved = `
      sysctl net.ipv4.ip_local_port_range=40000 40001
      sysctl net.ipv4.ip_local_reserved_ports=40000
      ${SERVER}
    `;
    for (const seed of [1, 2, 3, 4]) {
      const connect = sim(`${reserved}
        cli: s = socket
        cli: connect s 127.0.0.1:8080
      `, seed);
      expect(connect.endpoints.get('cli:s')).toBe('127.0.0.1:40001');
      const bind = sim(`${reserved}
        cli: t = socket
        cli: bind t 127.0.0.1:0
        cli: u = socket
        cli: bind u 127.0.0.1:40000
      `, seed);
      expect(bind.endpoints.get('cli:t')).toBe('127.0.0.1:40001');
      expect(lastResults(bind, 1)).toEqual(['0']);
    }
  });
});

describe('SO_REUSEPORT', () => {
  test('reuseport_listeners_share_a_port: sockets that all set SO_REUSEPORT bind and listen on one port; a socket without it gets EADDRINUSE (inet_bind_conflict)', () => {
    const run = sim(`
      w1: l = socket
      w1: reuseport l
      w1: bind l 127.0.0.1:8080
      w1: listen l
      w2: l = socket
      w2: reuseport l
      w2: bind l 127.0.0.1:8080
      w2: listen l
      w3: l = socket
      w3: bind l 127.0.0.1:8080
    `);
    expect(run.calls.map((c) => c.result)).toEqual(['3', '0', '0', '0', '3', '0', '0', '0', '3', 'EADDRINUSE']);
  });

  test('reuseport_spreads_connections: new connections are spread over the listeners by the 4-tuple; each lands on exactly one (reuseport_select_sock)', () => {
    const k = createKernel({ seed: 3 });
    const workers = [k.spawn('w1'), k.spawn('w2'), k.spawn('w3')];
    const ls = workers.map((w) => {
      const l = k.socket(w);
      if (!l.ok) throw new Error(l.errno);
      k.setsockopt(w, l.value, { name: 'SO_REUSEPORT', value: true });
      expect(k.bind(w, l.value, '127.0.0.1:8080')).toEqual({ ok: true, value: undefined });
      expect(k.listen(w, l.value, 64)).toEqual({ ok: true, value: undefined });
      return l.value;
    });
    const cli = k.spawn('cli');
    for (let i = 0; i < 30; i++) {
      const s = k.socket(cli);
      if (!s.ok) throw new Error(s.errno);
      k.connect(cli, s.value, '127.0.0.1:8080');
    }
    k.advanceBy(10_000);
    const counts = workers.map((w, i) => {
      let n = 0;
      while (k.accept(w, ls[i]!).ok) n++;
      return n;
    });
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(counts.every((n) => n > 0)).toBe(true);
  });

  test('reuseport_closed_listener_leaves_group: after one listener closes, the others get every new connection (reuseport_detach_sock)', () => {
    const run = sim(`
      w1: l = socket
      w1: reuseport l
      w1: bind l 127.0.0.1:8080
      w1: listen l
      w2: l = socket
      w2: reuseport l
      w2: bind l 127.0.0.1:8080
      w2: listen l
      w1: close l
      cli: a = socket
      cli: connect a 127.0.0.1:8080
      cli: b = socket
      cli: connect b 127.0.0.1:8080
      w2: x = accept l
      w2: y = accept l
    `);
    expect(run.error).toBeNull();
    expect(lastResults(run, 2)).toEqual(['4', '5']);
  });

  test('reuseaddr_is_not_reuseport: two SO_REUSEADDR sockets may bind one port, but only one may listen (inet_csk_get_port at listen)', () => {
    const run = sim(`
      srv: m = socket
      srv: reuseaddr m
      srv: bind m 127.0.0.1:8081
      srv: n = socket
      srv: reuseaddr n
      srv: bind n 127.0.0.1:8081
      srv: listen m
      srv: listen n
    `);
    expect(run.calls.map((c) => c.result)).toEqual(['3', '0', '0', '4', '0', '0', '0', 'EADDRINUSE']);
  });
});

describe('TCP_LINGER2', () => {
  test('linger2_values: < 0 reads back as -1, 0 as tcp_fin_timeout, above 120 s as 120 (do_tcp_setsockopt, TCP_FIN_TIMEOUT_MAX)', () => {
    const k = createKernel();
    const p = k.spawn('p');
    const fd = k.socket(p);
    if (!fd.ok) throw new Error(fd.errno);
    const read = (v: number) => {
      k.setsockopt(p, fd.value, { name: 'TCP_LINGER2', value: v });
      return getsockopt(k, p, fd.value, 'TCP_LINGER2');
    };
    expect([read(-5), read(0), read(7), read(121)].map((r) => (r.ok ? r.value : r.errno))).toEqual([-1, 60, 7, 120]);
  });

  test('linger2_sets_orphan_timeout: TCP_LINGER2 replaces tcp_fin_timeout for this socket (tcp_fin_time)', () => {
    const run = sim(`${SERVER}
      cli: s = socket
      cli: linger2 s 3
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: close s
      sleep 2s
      expect cli:s FIN_WAIT_2
      sleep 2s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
  });

  test('fin_time_floor: an orphaned FIN_WAIT_2 waits at least 3.5 RTO, even with tcp_fin_timeout=0 (tcp_fin_time)', () => {
    const run = sim(`
      sysctl net.ipv4.tcp_fin_timeout=0
      ${CONNECTED}
      cli: close s
      sleep 500ms
      expect cli:s FIN_WAIT_2
      sleep 1s
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
  });

  test('linger2_negative_resets_in_fin_wait_2: closing a FIN_WAIT_2 socket with TCP_LINGER2 < 0 sends RST+ACK (__tcp_close, LINUX_MIB_TCPABORTONLINGER)', () => {
    const run = sim(`${SERVER}
      cli: s = socket
      cli: linger2 s -1
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: shutdown s SHUT_WR
      sleep 50ms
      cli: close s
    `);
    expect(compact(run, who).split(' | ').at(-1)).toBe('C>S [R.] seq=2 ack=1');
  });

  test('linger2_negative_orphan_answers_ack_with_rst: an orphan with TCP_LINGER2 < 0 whose FIN is acknowledged is done at once and answers that ACK with a RST (tcp_rcv_state_process)', () => {
    const run = sim(`${SERVER}
      cli: s = socket
      cli: linger2 s -1
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: close s
      sleep 50ms
      expect cli:s CLOSED
    `);
    expect(run.ok).toBe(true);
    expect(compact(run, who).split(' | ').slice(-2)).toEqual(['S>C [.] ack=2', 'C>S [R] seq=2']);
  });
});

describe('descriptors (dup)', () => {
  test('close_with_another_descriptor_sends_nothing: close() acts on the socket only when its last descriptor goes; shutdown() acts at once (sock_close via fput, inet_shutdown)', () => {
    const run = sim(`${CONNECTED}
      cli: t = dup s
      cli: close s
      sleep 10ms
      expect cli:t ESTABLISHED
      cli: send t "still here"
      srv: recv a 100
      cli: shutdown t SHUT_WR
      srv: recv a 100
    `);
    expect(run.ok).toBe(true);
    expect(lastResults(run, 3)).toEqual(['"still here"', '0', 'EOF']);
  });

  test('exit_closes_every_descriptor: a process holding two descriptors for one socket closes it once when it exits (do_exit → close_files)', () => {
    const run = sim(`${CONNECTED}
      cli: t = dup s
      kill cli
      sleep 10ms
      expect cli:s FIN_WAIT_2
    `);
    expect(run.ok).toBe(true);
    expect(segments(run).filter((s) => s.flags === 'F.')).toHaveLength(1);
  });
});
