/**
 * TCP options as Linux 6.x negotiates and writes them (RFC 7323 timestamps and window scaling, RFC 2018/2883
 * SACK and D-SACK, the MSS option) — for connections over the wire (wire.ts), the path the packetdrill
 * interpreter drives. The core kernel reaches this module only through `k.wire.options`, so pages that never
 * open a wire do not load it. // DIVERGENCE: loopback and simulated-host links carry no options (see README).
 *
 * Linux's choices, measured on 6.18 through a tun device (scripts/truth/pkt_exec.py):
 * - SYN: `mss 1460,sackOK,TS val T ecr 0,nop,wscale 7`, window 64240 (44 × 1460 of a 64 KiB receive space).
 * - SYN-ACK: the same layout with the options the peer offered; window 65160 (45 × 1448) with timestamps,
 *   64240 without (tcp_openreq_init_rwin rounds the space down to whole segments of the MSS left after them).
 * - Order (tcp_options_write): mss; sackOK+TS packed, or nop,nop,TS; nop,nop,sackOK without TS; nop,wscale;
 *   on later segments nop,nop,TS then nop,nop,sack blocks.
 * - The window never moves its right edge back (tcp_select_window): after the handshake 502 (64256 >> 7) or
 *   509, shrinking by what arrives unread, rounded up to the scale unit.
 */
import type { Kernel } from './kernel.ts';
import type { Sock, Tcb } from './sock.ts';
import type { Segment } from './types.ts';
import { flags, NO_DATA, probeWithNewData, sendBufStart, sendSegment } from './output.ts';
import { armRetransmitAfter, JIFFY_US, stopRetransmit, TCP_RTO_MIN_US, TCP_TIMEOUT_INIT_US } from './timers.ts';

export type TcpOption =
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; value: number }
  | { kind: 'sackOK' }
  | { kind: 'sack'; blocks: ReadonlyArray<readonly [number, number]> }
  | { kind: 'ts'; val: number; ecr: number };

/** MSS on the wire's interface (MTU 1500 − 40 bytes of IPv4 and TCP headers). */
export const WIRE_MSS = 1460;
/** tcp_full_space() of a fresh socket: tcp_rmem[1] = 128 KiB at the default scaling ratio of one half. */
const RCV_SPACE = 65536;
/** The shift Linux offers with tcp_rmem[2] = 6 MiB (its default; the truth executor sets it): ilog2(6 MiB) − 15. */
export const WIRE_RCV_WSCALE = 7;
/** Linux TCP_MSS_DEFAULT: the MSS assumed when a SYN carries none (RFC 9293 §3.7.1). */
const DEFAULT_MSS = 536;
const TS_LEN = 12;
const MOD = 2 ** 32;
/** RFC 7323 §5.3 tolerance Linux applies (TCP_PAWS_WINDOW). */
const PAWS_WINDOW = 1;

/** What a connection negotiated, kept in its TCB (tcb.opt). */
export interface TcpOptionState {
  /** Our MSS (advertised). */
  advMss: number;
  /** Payload of a full segment we send: the peer's MSS (or 536) capped at ours, less 12 bytes of timestamp. */
  sndMss: number;
  tsOk: boolean;
  /** The peer's latest timestamp worth echoing (ts_recent) and when it was stored (µs). */
  tsRecent: number;
  tsRecentStamp: number;
  /** Per-connection offset of our timestamp clock (secure_tcp_ts_off). */
  tsOffset: number;
  /** TS val of our first SYN: a SYN-ACK must echo a value between it and now. */
  firstSynTs: number | null;
  sackOk: boolean;
  dsackOk: boolean;
  wscaleOk: boolean;
  sndWscale: number;
  rcvWscale: number;
  /** The receive window set up for the handshake (rcv_wnd). */
  rcvWndInit: number;
  /** Right edge of the last window we advertised (rcv_wup + rcv_wnd); null until the first one after a SYN. */
  rightEdge: number | null;
  /** rcv_nxt when we last sent an ACK (rcv_wup): ts_recent is taken only from segments starting at or before it. */
  rcvWup: number;
}

export function findOption<K extends TcpOption['kind']>(seg: Segment, kind: K): Extract<TcpOption, { kind: K }> | undefined {
  return seg.options?.find((o): o is Extract<TcpOption, { kind: K }> => o.kind === kind);
}

/** Our timestamp clock: milliseconds (tcp_clock_ms) plus the connection's offset. */
export function tsNow(k: Kernel, o: TcpOptionState): number {
  return (Math.floor(k.now() / 1000) + o.tsOffset) % MOD;
}

function tsOffsetFor(k: Kernel, sock: Sock): number {
  if (k.sysctl.int('net.ipv4.tcp_timestamps') === 2) return 0; // 2: timestamps without random offsets
  const l = sock.local;
  const r = sock.remote;
  let h = 0x811c9dc5 ^ k.jiffyOffset;
  for (const n of [l?.port ?? 0, r?.port ?? 0, ...(l?.ip ?? '').split('.').map(Number), ...(r?.ip ?? '').split('.').map(Number)]) h = Math.imul(h ^ n, 0x01000193) >>> 0;
  return h;
}

/** tcp_select_initial_window(): the space rounded down to whole segments (of the MSS left after timestamps). */
function initialWindow(mss: number, wscaleOk: boolean): number {
  const w = Math.floor(RCV_SPACE / mss) * mss;
  return wscaleOk ? w : Math.min(w, 65535);
}

function base(k: Kernel, sock: Sock): TcpOptionState {
  const ts = k.sysctl.int('net.ipv4.tcp_timestamps') > 0;
  const ws = k.sysctl.int('net.ipv4.tcp_window_scaling') > 0;
  return {
    advMss: WIRE_MSS,
    sndMss: DEFAULT_MSS,
    tsOk: ts,
    tsRecent: 0,
    tsRecentStamp: 0,
    tsOffset: tsOffsetFor(k, sock),
    firstSynTs: null,
    sackOk: k.sysctl.int('net.ipv4.tcp_sack') > 0,
    dsackOk: k.sysctl.int('net.ipv4.tcp_dsack') > 0,
    wscaleOk: ws,
    sndWscale: 0,
    rcvWscale: ws ? WIRE_RCV_WSCALE : 0,
    rcvWndInit: initialWindow(WIRE_MSS, ws),
    rightEdge: null,
    rcvWup: 0,
  };
}

/** Takes in what a SYN or SYN-ACK offered (tcp_parse_options + the negotiation of tcp_openreq / tcp_rcv_synsent). */
function negotiate(k: Kernel, o: TcpOptionState, seg: Segment): void {
  const mss = findOption(seg, 'mss');
  const ts = findOption(seg, 'ts');
  const ws = findOption(seg, 'wscale');
  o.tsOk = o.tsOk && ts !== undefined;
  o.sackOk = o.sackOk && findOption(seg, 'sackOK') !== undefined;
  o.wscaleOk = o.wscaleOk && ws !== undefined;
  o.sndWscale = o.wscaleOk && ws ? Math.min(ws.value, 14) : 0;
  if (!o.wscaleOk) o.rcvWscale = 0;
  if (o.tsOk && ts) {
    o.tsRecent = ts.val;
    o.tsRecentStamp = k.now();
  }
  o.sndMss = Math.min(mss && mss.value > 0 ? mss.value : DEFAULT_MSS, o.advMss) - (o.tsOk ? TS_LEN : 0);
}

/** Options for a connection that connect() opens over the wire: it offers everything the sysctls allow. */
function forConnect(k: Kernel, sock: Sock): TcpOptionState {
  return base(k, sock);
}

/** A listener's new connection (tcp_conn_request): the options the SYN offered, and the window Linux gives it. */
function forListenSyn(k: Kernel, child: Sock, seg: Segment): TcpOptionState {
  const o = base(k, child);
  negotiate(k, o, seg);
  o.rcvWndInit = initialWindow(o.advMss - (o.tsOk ? TS_LEN : 0), o.wscaleOk);
  o.rightEdge = seg.seq + 1 + o.rcvWndInit;
  o.rcvWup = seg.seq + 1;
  return o;
}

/**
 * A SYN-ACK reaches SYN_SENT (tcp_rcv_synsent_state_process): negotiate. False when its timestamp echo is not
 * one of ours (between the first SYN and now): Linux then answers with a reset and stays in SYN_SENT.
 */
function onSynAck(k: Kernel, sock: Sock, seg: Segment): boolean {
  const o = sock.tcb!.opt!;
  const ts = findOption(seg, 'ts');
  if (o.tsOk && ts && ts.ecr !== 0 && o.firstSynTs !== null) {
    const now = tsNow(k, o);
    const inRange = ((ts.ecr - o.firstSynTs) >>> 0) <= ((now - o.firstSynTs) >>> 0);
    if (!inRange) return false;
  }
  negotiate(k, o, seg);
  o.rightEdge = seg.seq + 1 + o.rcvWndInit;
  o.rcvWup = seg.seq + 1;
  return true;
}

/** RFC 7323 PAWS (tcp_paws_discard): a segment whose TS val went back more than one tick is stale. RSTs pass. */
function pawsReject(_k: Kernel, sock: Sock, seg: Segment): boolean {
  const o = sock.tcb?.opt;
  if (!o?.tsOk || seg.flags.rst || o.tsRecent === 0) return false;
  const ts = findOption(seg, 'ts');
  if (!ts) return false;
  return ((o.tsRecent - ts.val) | 0) > PAWS_WINDOW;
}

/** tcp_replace_ts_recent(): remember the peer's TS val of a segment that starts at or before what we acknowledged. */
function acceptedSegment(k: Kernel, sock: Sock, seg: Segment): void {
  const o = sock.tcb?.opt;
  if (!o?.tsOk) return;
  const ts = findOption(seg, 'ts');
  if (!ts || seg.seq > o.rcvWup) return;
  if (o.tsRecent === 0 || ((ts.val - o.tsRecent) | 0) >= 0) {
    o.tsRecent = ts.val;
    o.tsRecentStamp = k.now();
  }
}

/** The timewait sock keeps the peer's latest TS val of any segment it accepts (tcp_timewait_state_process). */
function timewaitSegment(k: Kernel, sock: Sock, seg: Segment): void {
  const o = sock.tcb?.opt;
  const ts = findOption(seg, 'ts');
  if (!o?.tsOk || !ts) return;
  o.tsRecent = ts.val;
  o.tsRecentStamp = k.now();
}

/** The timewait sock's PAWS check (tcp_timewait_state_process: no one-tick tolerance; an old RST passes after 60 s). */
function timewaitPawsReject(k: Kernel, sock: Sock, seg: Segment): boolean {
  const o = sock.tcb?.opt;
  if (!o?.tsOk || o.tsRecent === 0) return false;
  const ts = findOption(seg, 'ts');
  if (!ts) return false;
  if (((o.tsRecent - ts.val) | 0) <= 0) return false;
  return !(seg.flags.rst && k.now() >= o.tsRecentStamp + 60_000_000);
}

/** SACK blocks to send (tcp_established_options): a D-SACK first, then the out-of-order ranges, newest first. */
function sackBlocks(tcb: Tcb, room: number): Array<readonly [number, number]> {
  const blocks: Array<readonly [number, number]> = [];
  if (tcb.dsack) blocks.push(tcb.dsack);
  const ranges: Array<{ start: number; end: number; touched: number }> = [];
  for (const s of [...tcb.ooo].sort((a, b) => a.seq - b.seq)) {
    const end = s.seq + s.data.length + (s.fin ? 1 : 0);
    const last = ranges[ranges.length - 1];
    if (last && s.seq <= last.end) {
      last.end = Math.max(last.end, end);
      last.touched = Math.max(last.touched, s.touched);
    } else ranges.push({ start: s.seq, end, touched: s.touched });
  }
  ranges.sort((a, b) => b.touched - a.touched);
  for (const r of ranges) blocks.push([r.start % MOD, r.end % MOD]);
  return blocks.slice(0, room);
}

/**
 * Fills in the options and window of a segment a socket with options sends (tcp_syn_options,
 * tcp_synack_options, tcp_established_options; tcp_select_window).
 */
function outgoing(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  const o = tcb.opt!;
  const f = seg.flags;
  const options: TcpOption[] = [];
  if (f.syn) {
    options.push({ kind: 'mss', value: o.advMss });
    const ecr = f.ack ? o.tsRecent : 0;
    if (o.tsOk) {
      const val = tsNow(k, o);
      if (!f.ack) o.firstSynTs ??= val;
      if (o.sackOk) options.push({ kind: 'sackOK' }, { kind: 'ts', val, ecr });
      else options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val, ecr });
    } else if (o.sackOk) options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sackOK' });
    if (o.wscaleOk) options.push({ kind: 'nop' }, { kind: 'wscale', value: o.rcvWscale });
    seg.win = Math.min(o.rcvWndInit, 65535);
  } else {
    if (o.tsOk) options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: tsNow(k, o), ecr: o.tsRecent });
    if (o.sackOk && f.ack && !f.rst) {
      const blocks = sackBlocks(tcb, o.tsOk ? 3 : 4);
      if (blocks.length > 0) options.push({ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks });
    }
    tcb.dsack = null;
    const unit = 2 ** o.rcvWscale;
    if (sock.tw) {
      // tcp_v4_timewait_ack(): the window frozen when the timewait sock was made (tw_rcv_wnd), shifted down.
      seg.win = Math.min(65535, Math.floor(Math.max(0, (o.rightEdge ?? o.rcvWup) - o.rcvWup) / unit));
      seg.options = options;
      return;
    } else {
      // tcp_select_window(): the free space rounded down to the scale's unit, but never less than what is left
      // of the window already offered (its right edge never moves back), rounded up.
      const current = Math.max(0, (o.rightEdge ?? tcb.rcvNxt + o.rcvWndInit) - tcb.rcvNxt);
      const free = Math.max(0, o.rcvWndInit - tcb.recvBuf.length);
      const win = Math.min(65535, Math.max(Math.ceil(current / unit), Math.floor(free / unit)));
      seg.win = win;
      o.rightEdge = tcb.rcvNxt + win * unit;
    }
  }
  if (f.ack) o.rcvWup = tcb.rcvNxt;
  seg.options = options;
}

/** Linux TCP_TIMEOUT_MIN (2 jiffies at HZ=250): a loss probe's margin when more than one segment is out. */
const TLP_MIN_MARGIN_US = 8_000;

/**
 * Linux tcp_schedule_loss_probe() (RFC 8985 tail loss probe; Linux needs SACK for it): with no loss being
 * repaired, the retransmission timer is replaced by a probe due 2·SRTT later (plus 200 ms when one segment
 * is in flight), but never after the RTO would fire. `advancing`: an ACK just moved snd_una (the RTO then
 * counts from now).
 */
function lossProbe(k: Kernel, sock: Sock, advancing: boolean): void {
  const tcb = sock.tcb;
  if (!tcb?.opt?.sackOk || tcb.retransmits > 0 || tcb.sndUna >= tcb.sndNxt || sock.state === 'SYN_SENT' || sock.state === 'SYN_RECV') return;
  // packets_out: the segments sent and not yet acknowledged, as sent (a FIN sent alone is one of them).
  let packetsOut = 0;
  for (const p of tcb.inFlight) if (p.end > tcb.sndUna) packetsOut++;
  let timeout = tcb.srtt === null ? TCP_TIMEOUT_INIT_US : 2 * tcb.srtt + (packetsOut === 1 ? TCP_RTO_MIN_US : TLP_MIN_MARGIN_US);
  const rtoDelta = advancing ? tcb.rto : tcb.headSentAt + tcb.rto - k.now();
  if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
  stopRetransmit(sock);
  tcb.probePending = true;
  tcb.retransTimer = k.queue.schedule(k.now() + timeout, 'loss-probe', () => onLossProbe(k, sock));
}

/** Linux tcp_send_loss_probe(): resend the tail once (tlp_high_seq), then fall back to the retransmission timer. */
function onLossProbe(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb;
  if (!tcb) return;
  tcb.retransTimer = null;
  tcb.probePending = false;
  if (tcb.sndUna >= tcb.sndNxt) return;
  if (tcb.tlpHigh !== null) {
    armRetransmitAfter(k, sock, Math.max(JIFFY_US, tcb.headSentAt + tcb.rto - k.now()));
    return;
  }
  if (probeWithNewData(k, sock)) {
    tcb.tlpHigh = tcb.sndNxt;
    stopRetransmit(sock);
    tcb.probePending = false;
    armRetransmitAfter(k, sock, tcb.rto);
    return;
  }
  // The last segment sent (its data, and the FIN if it carried it or went alone).
  const start = Math.max(tcb.tailSeq, tcb.sndUna);
  const dataEnd = Math.min(tcb.sndNxt, tcb.writeSeq);
  const withFin = tcb.finSeq !== null && tcb.finSeq < tcb.sndNxt && tcb.finSeq >= start;
  const len = Math.max(0, dataEnd - start);
  sendSegment(k, sock, flags({ ack: true, psh: len > 0, fin: withFin }), start, len > 0 ? tcb.sendBuf.peek(start - sendBufStart(tcb), len) : NO_DATA);
  tcb.tlpHigh = tcb.sndNxt;
  armRetransmitAfter(k, sock, tcb.rto);
}

/** The interface the core kernel calls (k.wire.options), only for TCBs with options (tcb.opt). */
export interface TcpOptionsModel {
  forConnect(k: Kernel, sock: Sock): TcpOptionState;
  forListenSyn(k: Kernel, child: Sock, seg: Segment): TcpOptionState;
  onSynAck(k: Kernel, sock: Sock, seg: Segment): boolean;
  pawsReject(k: Kernel, sock: Sock, seg: Segment): boolean;
  acceptedSegment(k: Kernel, sock: Sock, seg: Segment): void;
  timewaitPawsReject(k: Kernel, sock: Sock, seg: Segment): boolean;
  timewaitSegment(k: Kernel, sock: Sock, seg: Segment): void;
  lossProbe(k: Kernel, sock: Sock, advancing: boolean): void;
  outgoing(k: Kernel, sock: Sock, seg: Segment): void;
}

export const tcpOptionsModel: TcpOptionsModel = { forConnect, forListenSyn, onSynAck, pawsReject, acceptedSegment, timewaitPawsReject, timewaitSegment, lossProbe, outgoing };
