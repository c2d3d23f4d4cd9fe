/**
 * The wire (a remote peer played by a script) and the TCP options of connections over it, as measured on
 * Linux 6.18 through a tun device (scripts/truth/pkt_exec.py). Each test is named after the behaviour it pins.
 */
import { describe, expect, test } from 'vitest';
import { createKernel, type Kernel } from '../index.ts';
import { attachWire, formatTcpOptions, remoteSegment, WIRE_LOCAL_IP, WIRE_REMOTE_IP, type Wire } from '../wire.ts';
import type { TcpOption } from '../options.ts';
import type { Segment, SegmentFlags } from '../types.ts';

const REMOTE = { ip: WIRE_REMOTE_IP, port: 40000 };
const LOCAL = { ip: WIRE_LOCAL_IP, port: 8080 };

interface Peer {
  k: Kernel;
  wire: Wire;
  pid: number;
  /** Sends a segment from the remote peer; `ack` is relative to the kernel's ISN. */
  send(f: Partial<SegmentFlags>, seq: number, ack: number, opts?: { win?: number; len?: number; options?: TcpOption[] }): void;
  /** The segments the kernel sent since the last call, as `flags seq:end ack N win W <options>` (relative seq). */
  sent(): string[];
  iss(): number;
  at(t: number): void;
}

function peer(sysctl: Record<string, number> = {}): Peer {
  const k = createKernel({ seed: 7, sysctl });
  const wire = attachWire(k);
  const pid = k.spawn('app', wire.host.name);
  let read = 0;
  let iss: number | null = null;
  return {
    k,
    wire,
    pid,
    send(f, seq, ack, opts = {}) {
      const withAck = f.ack ? (iss ?? 0) + ack : 0;
      wire.inject(remoteSegment(REMOTE, LOCAL, f, seq, withAck, opts.win ?? 512, new Uint8Array(opts.len ?? 0), opts.options ?? []));
    },
    sent() {
      const out = wire.captured.slice(read).map(({ seg }: { seg: Segment }) => {
        if (seg.flags.syn) iss = seg.seq;
        const rel = seg.seq - (iss ?? 0);
        const flags = `${seg.flags.syn ? 'S' : ''}${seg.flags.fin ? 'F' : ''}${seg.flags.rst ? 'R' : ''}${seg.flags.psh ? 'P' : ''}${seg.flags.ack ? '.' : ''}`;
        const parts = [flags, `${rel}:${rel + seg.data.length}`];
        if (seg.flags.ack) parts.push(`ack ${seg.ack}`);
        parts.push(`win ${seg.win}`);
        if (seg.options?.length) parts.push(`<${formatTcpOptions(seg.options).replace(/TS val \d+/, 'TS val *')}>`);
        return parts.join(' ');
      });
      read = wire.captured.length;
      return out;
    },
    iss: () => iss ?? 0,
    at(t) {
      k.advanceTo(t);
    },
  };
}

/** A listener on 8080 that has accepted one connection (fd 4) opened with the given SYN options. */
function accepted(options: TcpOption[], sysctl: Record<string, number> = {}): Peer {
  const p = peer(sysctl);
  const l = p.k.socket(p.pid);
  if (!l.ok) throw new Error(l.errno);
  p.k.bind(p.pid, l.value, `${WIRE_LOCAL_IP}:8080`);
  p.k.listen(p.pid, l.value, 1);
  p.send({ syn: true }, 0, 0, { win: 65535, options });
  p.sent();
  p.send({ ack: true }, 1, 1);
  const a = p.k.accept(p.pid, l.value);
  if (!a.ok) throw new Error(a.errno);
  return p;
}

const TS = (val: number, ecr = 0): TcpOption => ({ kind: 'ts', val, ecr });
const ALL: TcpOption[] = [{ kind: 'mss', value: 1460 }, { kind: 'sackOK' }, TS(100), { kind: 'nop' }, { kind: 'wscale', value: 7 }];
const NO_TS: TcpOption[] = [{ kind: 'mss', value: 1460 }, { kind: 'sackOK' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'wscale', value: 7 }];

describe('wire: options negotiated as Linux does', () => {
  test('wire_syn_offers_everything: connect() sends mss 1460, sackOK+TS, nop, wscale 7 in a 64240-byte window (tcp_syn_options, tcp_connect_init)', () => {
    const p = peer();
    const s = p.k.socket(p.pid);
    if (!s.ok) throw new Error(s.errno);
    p.k.connect(p.pid, s.value, `${WIRE_REMOTE_IP}:8080`);
    expect(p.sent()).toEqual(['S 0:0 win 64240 <mss 1460,sackOK,TS val * ecr 0,nop,wscale 7>']);
  });

  test('wire_synack_echoes_what_was_offered: the SYN-ACK layout follows the SYN (tcp_synack_options), its window the MSS left after timestamps (tcp_openreq_init_rwin)', () => {
    const layouts: Array<[TcpOption[], string]> = [
      [ALL, 'S. 0:0 ack 1 win 65160 <mss 1460,sackOK,TS val * ecr 100,nop,wscale 7>'],
      [NO_TS, 'S. 0:0 ack 1 win 64240 <mss 1460,nop,nop,sackOK,nop,wscale 7>'],
      [[{ kind: 'mss', value: 1000 }, { kind: 'nop' }, { kind: 'nop' }, TS(5)], 'S. 0:0 ack 1 win 65160 <mss 1460,nop,nop,TS val * ecr 5>'],
      [[{ kind: 'mss', value: 1000 }, { kind: 'nop' }, { kind: 'wscale', value: 2 }], 'S. 0:0 ack 1 win 64240 <mss 1460,nop,wscale 7>'],
      [[], 'S. 0:0 ack 1 win 64240 <mss 1460>'],
    ];
    for (const [options, expected] of layouts) {
      const p = peer();
      const l = p.k.socket(p.pid);
      if (!l.ok) throw new Error(l.errno);
      p.k.bind(p.pid, l.value, `${WIRE_LOCAL_IP}:8080`);
      p.k.listen(p.pid, l.value, 1);
      p.send({ syn: true }, 0, 0, { win: 65535, options });
      expect(p.sent()).toEqual([expected]);
    }
  });

  test('wire_sysctls_turn_options_off: tcp_timestamps=0, tcp_sack=0, tcp_window_scaling=0 leave only the MSS', () => {
    const p = accepted(ALL, { 'net.ipv4.tcp_timestamps': 0, 'net.ipv4.tcp_sack': 0, 'net.ipv4.tcp_window_scaling': 0 });
    expect(p.wire.captured[0]!.seg.options).toEqual([{ kind: 'mss', value: 1460 }]);
  });

  test('wire_window_keeps_its_right_edge: after the handshake 509 units of 128; each unread byte takes from it, rounded up (tcp_select_window)', () => {
    const p = accepted(ALL);
    p.send({ ack: true, psh: true }, 1, 1, { len: 10, options: [{ kind: 'nop' }, { kind: 'nop' }, TS(101, 1)] });
    p.send({ ack: true, psh: true }, 11, 1, { len: 1000, options: [{ kind: 'nop' }, { kind: 'nop' }, TS(102, 1)] });
    expect(p.sent().map((s) => s.replace(/ <.*/, ''))).toEqual(['. 1:1 ack 11 win 509', '. 1:1 ack 1011 win 502']);
  });

  test('wire_segments_use_the_peer_mss_less_timestamps: 988-byte segments for a peer MSS of 1000 with timestamps (tcp_sync_mss)', () => {
    const p = accepted([{ kind: 'mss', value: 1000 }, { kind: 'nop' }, { kind: 'nop' }, TS(1), { kind: 'nop' }, { kind: 'wscale', value: 7 }]);
    p.k.send(p.pid, 4, new Uint8Array(2000));
    expect(p.sent().map((s) => s.split(' ')[1])).toEqual(['1:989', '989:1977', '1977:2001']);
  });
});

describe('wire: timestamps (RFC 7323)', () => {
  test('wire_ts_echoes_the_latest_in_order_val: our ecr is the val of the segment we acknowledge (tcp_replace_ts_recent)', () => {
    const p = accepted(ALL);
    p.send({ ack: true, psh: true }, 1, 1, { len: 5, options: [{ kind: 'nop' }, { kind: 'nop' }, TS(150, 1)] });
    expect(p.sent()).toEqual(['. 1:1 ack 6 win 510 <nop,nop,TS val * ecr 150>']);
  });

  test('paws_drops_an_old_timestamp: a segment whose TS val went back is dropped with a duplicate ACK (tcp_paws_discard)', () => {
    const p = accepted(ALL);
    p.send({ ack: true, psh: true }, 1, 1, { len: 5, options: [{ kind: 'nop' }, { kind: 'nop' }, TS(150, 1)] });
    p.sent();
    p.send({ ack: true, psh: true }, 6, 1, { len: 5, options: [{ kind: 'nop' }, { kind: 'nop' }, TS(140, 1)] });
    expect(p.sent()).toEqual(['. 1:1 ack 6 win 510 <nop,nop,TS val * ecr 150>']);
    const r = p.k.recv(p.pid, 4, 100);
    expect(r.ok && r.value.length).toBe(5);
  });

  test('synsent_rejects_a_foreign_echo: a SYN-ACK echoing a TS val we never sent is answered with a reset; the socket stays in SYN_SENT (tcp_rcv_synsent_state_process)', () => {
    const p = peer();
    const s = p.k.socket(p.pid);
    if (!s.ok) throw new Error(s.errno);
    p.k.connect(p.pid, s.value, `${WIRE_REMOTE_IP}:8080`);
    const syn = p.wire.captured[0]!.seg;
    p.sent();
    const ours = (syn.options!.find((o) => o.kind === 'ts') as { val: number }).val;
    p.wire.inject(remoteSegment({ ip: WIRE_REMOTE_IP, port: 8080 }, syn.src, { syn: true, ack: true }, 0, syn.seq + 1, 5000, new Uint8Array(0), [TS(700, ours - 5000)]));
    expect(p.sent()).toEqual(['R 1:1 win 0']);
    expect(p.k.stateOf(p.k.socketOf(p.pid, s.value)!)).toBe('SYN_SENT');
  });
});

describe('wire: out of order, SACK and D-SACK', () => {
  test('ofo_fin_waits_for_the_data: a FIN ahead of the data is queued and SACKed; the data then takes both (tcp_data_queue_ofo, tcp_ofo_queue)', () => {
    const p = accepted(NO_TS);
    p.send({ fin: true, ack: true }, 101, 1);
    expect(p.sent()).toEqual(['. 1:1 ack 1 win 502 <nop,nop,sack 1 {101:102}>']);
    p.send({ ack: true, psh: true }, 1, 1, { len: 100 });
    expect(p.sent()).toEqual(['. 1:1 ack 102 win 502']);
    expect(p.k.stateOf(p.k.socketOf(p.pid, 4)!)).toBe('CLOSE_WAIT');
  });

  test('dsack_reports_a_duplicate: data received twice is acknowledged at once with a D-SACK block (tcp_dsack_set, RFC 2883)', () => {
    const p = accepted(NO_TS);
    p.send({ ack: true, psh: true }, 1, 1, { len: 10 });
    p.sent();
    p.send({ ack: true, psh: true }, 1, 1, { len: 10 });
    expect(p.sent()).toEqual(['. 1:1 ack 11 win 502 <nop,nop,sack 1 {1:11}>']);
  });
});

describe('wire: Linux rules for invalid segments', () => {
  test('oow_acks_are_rate_limited: a second out-of-window ACK within 500 ms gets no answer; data always does (tcp_oow_rate_limited)', () => {
    const p = accepted(NO_TS);
    p.send({ ack: true }, 900_000, 1);
    p.send({ ack: true }, 900_000, 1);
    expect(p.sent()).toEqual(['. 1:1 ack 1 win 502']);
    p.at(p.k.now() + 600_000);
    p.send({ ack: true }, 900_000, 1);
    expect(p.sent()).toEqual(['. 1:1 ack 1 win 502']);
  });

  test('request_sock_dies_on_any_rst_in_window: a RST during the handshake need not hit rcv_nxt exactly (tcp_check_req)', () => {
    const p = peer();
    const l = p.k.socket(p.pid);
    if (!l.ok) throw new Error(l.errno);
    p.k.bind(p.pid, l.value, `${WIRE_LOCAL_IP}:8080`);
    p.k.listen(p.pid, l.value, 1);
    p.send({ syn: true }, 0, 0, { win: 65535, options: NO_TS });
    p.sent();
    p.send({ rst: true }, 50, 0);
    p.send({ ack: true }, 1, 1);
    expect(p.sent()).toEqual(['R 1:1 win 0']);
  });

  test('request_sock_resets_a_new_syn_in_window: a SYN that is not the retransmitted one ends the half-open connection with a reset (tcp_check_req)', () => {
    const p = peer();
    const l = p.k.socket(p.pid);
    if (!l.ok) throw new Error(l.errno);
    p.k.bind(p.pid, l.value, `${WIRE_LOCAL_IP}:8080`);
    p.k.listen(p.pid, l.value, 1);
    p.send({ syn: true }, 0, 0, { win: 65535, options: NO_TS });
    p.sent();
    p.send({ syn: true }, 0, 0, { win: 65535, options: NO_TS });
    expect(p.sent()).toEqual(['S. 0:0 ack 1 win 64240 <mss 1460,nop,nop,sackOK,nop,wscale 7>']);
    p.send({ syn: true }, 5, 0, { win: 65535, options: NO_TS });
    expect(p.sent()).toHaveLength(1);
    expect(p.sent()).toEqual([]);
  });
});

describe('wire: TIME_WAIT', () => {
  /** Our close first, then the peer's FIN: TIME_WAIT on the listener's side. */
  function timeWait(sysctl: Record<string, number> = {}): Peer {
    const p = accepted(NO_TS, sysctl);
    p.k.close(p.pid, 4);
    p.send({ ack: true }, 1, 2);
    p.send({ fin: true, ack: true }, 1, 2);
    p.sent();
    return p;
  }

  test('time_wait_rst_assassination: an RST at rcv_nxt ends TIME_WAIT unless tcp_rfc1337 is set (tcp_timewait_state_process, RFC 1337)', () => {
    const p = timeWait();
    p.send({ rst: true }, 2, 0);
    p.send({ fin: true, ack: true }, 1, 2);
    expect(p.sent()).toEqual(['R 2:2 win 0']);
    const q = timeWait({ 'net.ipv4.tcp_rfc1337': 1 });
    q.send({ rst: true }, 2, 0);
    q.send({ fin: true, ack: true }, 1, 2);
    expect(q.sent()).toEqual(['. 2:2 ack 2 win 502']);
  });

  test('time_wait_syn_isn_follows_the_old_connection: a SYN that replaces TIME_WAIT gets an ISN of snd_nxt + 65537 (tcp_timewait_state_process)', () => {
    const p = timeWait();
    const oldSndNxt = p.iss() + 2;
    p.send({ syn: true }, 1000, 0, { win: 65535, options: NO_TS });
    const synAck = p.wire.captured.at(-1)!.seg;
    expect(synAck.flags.syn && synAck.flags.ack).toBe(true);
    expect(synAck.seq).toBe((oldSndNxt + 65537) % 2 ** 32);
  });
});
