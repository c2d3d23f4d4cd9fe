/**
 * Segment arrival, read top-down like lwIP's tcp_in.c: demultiplexed segments land in tcpInput(), which
 * dispatches on the socket's state — LISTEN, SYN_SENT, the timewait socks, or everything synchronised —
 * following RFC 9293 §3.10.7 and Linux's tcp_rcv_state_process() / tcp_timewait_state_process().
 */
import type { Kernel } from './kernel.ts';
import type { Sock, Tcb } from './sock.ts';
import { createTcb } from './sock.ts';
import { setState } from './state.ts';
import { connKey, sendResetFor } from './network.ts';
import { RCV_SPACE, WSCALE, flags, receiveRoom, sendAck, sendSegment, sendSynAck, sendBufStart, tcpOutput } from './output.ts';
import { armRetransmit, rearmRetransmit, sampleRtt, scheduleDelayedAck, stopRetransmit, TCP_ATO_MIN_US, TCP_TIMEOUT_MIN_US } from './timers.ts';
import { armTimeWait, enterTimeWait, orphanFinWait2, tcpDone, tcpReset } from './close.ts';
import type { Segment } from './types.ts';
import { lookupListener } from './reuseport.ts';
import { ackReceived } from './liveness.ts';
import { armAfterTransmit } from './loss-probe.ts';

const MAX_QUICKACKS = 16; // Linux TCP_MAX_QUICKACKS

export function segLength(seg: Segment): number {
  return seg.data.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0);
}

export function tcpInput(k: Kernel, sock: Sock, seg: Segment): void {
  if (sock.destroyed) return;
  if (sock.tw) return timewaitInput(k, sock, seg);
  switch (sock.state) {
    case 'LISTEN':
      return listenInput(k, sock, seg);
    case 'SYN_SENT':
      return synSentInput(k, sock, seg);
    case 'CLOSED':
      return sendResetFor(k, sock.host, seg, null);
    default:
      return synchronizedInput(k, sock, seg);
  }
}

/** RFC 9293 §3.10.7.2 LISTEN; Linux tcp_v4_conn_request(). `isn` is set when a SYN replaces a TIME_WAIT. */
function listenInput(k: Kernel, listener: Sock, seg: Segment, isn?: number): void {
  if (seg.flags.rst) return; // "An incoming RST should be ignored."
  if (seg.flags.ack) {
    // "Any acknowledgment is bad if it arrives on a connection still in the LISTEN state."
    sendResetFor(k, listener.host, seg, null);
    return;
  }
  if (!seg.flags.syn) return;
  // Linux sk_acceptq_is_full(): the accept queue holds backlog+1 connections; past that SYNs are dropped.
  if (listener.acceptQueue.size > listener.backlog) return;
  if (listener.synQueue.size >= k.sysctl.int('net.ipv4.tcp_max_syn_backlog')) return;
  const child = k.newSock(listener.host, `${listener.label}<${seg.src.port}`);
  child.local = seg.dst;
  child.remote = seg.src;
  child.parent = listener;
  child.reuseAddr = listener.reuseAddr;
  child.opt = { ...listener.opt }; // sk_clone_lock(): keepalive, TCP_USER_TIMEOUT, TCP_LINGER2 … are inherited
  listener.synQueue.add(child);
  const tcb = createTcb(isn ?? k.isn(child.local, child.remote));
  tcb.irs = seg.seq;
  tcb.rcvNxt = seg.seq + 1;
  tcb.sndWnd = seg.win;
  child.tcb = tcb;
  if (k.wire?.owns(seg.src.ip)) tcb.opt = k.wire.options.forListenSyn(k, child, seg);
  child.host.conns.set(connKey(child.local, child.remote), child);
  k.bindTable(child);
  setState(k, child, 'SYN_RECV', 'SYN received by a listening socket (tcp_conn_request)');
  tcb.rttSample = { seq: tcb.iss + 1, at: k.now() };
  sendSynAck(k, child);
}

/** RFC 9293 §3.10.7.3 SYN-SENT; Linux tcp_rcv_synsent_state_process(). */
function synSentInput(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  if (seg.flags.ack && (seg.ack <= tcb.iss || seg.ack > tcb.sndNxt)) {
    // Unacceptable ACK (e.g. a challenge ACK from an old TIME_WAIT): <SEQ=SEG.ACK><CTL=RST>, stay in SYN_SENT.
    // Linux tcp_rcv_synsent_state_process(): "Previous FIN/ACK or RST/ACK might be ignored" — before any
    // retransmission the SYN goes again after TCP_TIMEOUT_MIN, not after the full second.
    if (tcb.retransmits === 0) rearmRetransmit(k, sock, TCP_TIMEOUT_MIN_US);
    if (!seg.flags.rst) sendResetFor(k, sock.host, seg, sock);
    return;
  }
  if (seg.flags.rst) {
    if (seg.flags.ack) tcpReset(k, sock); // "error: connection reset" → ECONNREFUSED
    return;
  }
  if (!seg.flags.syn) return;
  if (tcb.opt && !k.wire!.options.onSynAck(k, sock, seg)) {
    // A timestamp echo that is none of ours: Linux resets (tcp_rcv_synsent_state_process, reset_and_undo).
    sendResetFor(k, sock.host, seg, sock);
    return;
  }
  tcb.irs = seg.seq;
  tcb.rcvNxt = seg.seq + 1;
  tcb.sndWnd = seg.win;
  if (seg.flags.ack) {
    tcb.sndUna = seg.ack;
    if (tcb.rttSample && tcb.retransmits === 0) sampleRtt(sock, k.now() - tcb.rttSample.at);
    tcb.rttSample = null;
    tcb.retransmits = 0;
    stopRetransmit(sock);
    setState(k, sock, 'ESTABLISHED', 'SYN-ACK received');
    sendAck(k, sock);
    tcpOutput(k, sock);
    return;
  }
  // A SYN without ACK: simultaneous open (RFC 9293 §3.10.7.3, Figure 7), or a self-connection receiving
  // its own SYN. Linux answers with a SYN-ACK that repeats our ISN.
  setState(k, sock, 'SYN_RECV', 'SYN received in SYN_SENT: simultaneous open');
  sendSynAck(k, sock);
}

function inWindow(k: Kernel, sock: Sock, seg: Segment): boolean {
  const tcb = sock.tcb!;
  const end = seg.seq + segLength(seg);
  const wnd = receiveRoom(tcb);
  // Linux tcp_sequence(): not entirely before rcv_nxt, and not starting beyond the window.
  void k;
  return !(end < tcb.rcvNxt) && !(seg.seq > tcb.rcvNxt + wnd);
}

/**
 * Linux tcp_oow_rate_limited(): may we answer this out-of-window (or challenging) segment? A segment carrying
 * data or a FIN always gets its ACK; pure ACKs, RSTs and SYNs get one per net.ipv4.tcp_invalid_ratelimit
 * (500 ms), so that two stacks cannot ping-pong ACKs for ever.
 */
function oowAllowed(k: Kernel, tcb: Tcb, seg: Segment): boolean {
  if (segLength(seg) > 0 && !seg.flags.syn) return true;
  if (tcb.lastOowAckAt !== null && k.now() - tcb.lastOowAckAt < k.sysctl.int('net.ipv4.tcp_invalid_ratelimit') * 1000) return false;
  tcb.lastOowAckAt = k.now();
  return true;
}

/** A duplicate ACK for an unacceptable segment, or an RFC 5961 challenge ACK (tcp_send_dupack, tcp_send_challenge_ack). */
function oowAck(k: Kernel, sock: Sock, seg: Segment): void {
  if (oowAllowed(k, sock.tcb!, seg)) sendAck(k, sock);
}

/** The peer's window in bytes: scaled by the shift it announced (loopback: Linux's 10). */
function peerWindow(tcb: Tcb, seg: Segment): number {
  return seg.win * 2 ** (tcb.opt ? tcb.opt.sndWscale : WSCALE);
}

/** Linux tcp_reset_check(): an RST just before our rcv_nxt ends a connection whose peer's FIN we have. */
function resetCheck(sock: Sock, seg: Segment): boolean {
  return seg.seq === sock.tcb!.rcvNxt - 1 && (sock.state === 'CLOSE_WAIT' || sock.state === 'LAST_ACK' || sock.state === 'CLOSING');
}

/**
 * A connection a listener is still opening (Linux keeps it as a request sock: tcp_check_req()). A RST or a SYN
 * anywhere in the window ends it (the SYN is answered with a reset); a bad ACK gets a reset from the listener.
 */
function requestSockInput(k: Kernel, sock: Sock, seg: Segment): boolean {
  const tcb = sock.tcb!;
  const paws = tcb.opt !== null && k.wire!.options.pawsReject(k, sock, seg);
  const f = seg.flags;
  // A retransmitted SYN: its SYN-ACK was lost, so it is sent again (inet_rtx_syn_ack); the timer runs on.
  if (f.syn && !f.ack && !f.rst && !f.fin && seg.seq === tcb.irs && !paws) {
    sendSegment(k, sock, flags({ syn: true, ack: true }), tcb.iss);
    return false;
  }
  if (f.ack && seg.ack !== tcb.iss + 1) {
    sendResetFor(k, sock.host, seg, sock);
    return false;
  }
  if (paws || !inWindow(k, sock, seg)) {
    if (!f.rst && oowAllowed(k, tcb, seg)) sendAck(k, sock);
    return false;
  }
  if (f.rst || f.syn) {
    if (!f.rst) sendResetFor(k, sock.host, seg, sock);
    tcpDone(k, sock, f.rst ? 'RST received in SYN_RECV' : 'SYN received in SYN_RECV: reset');
    return false;
  }
  return f.ack;
}

/** Segments for SYN_RECV … LAST_ACK: RFC 9293 §3.10.7.4, Linux tcp_validate_incoming() + tcp_rcv_state_process(). */
function synchronizedInput(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  if (sock.state === 'SYN_RECV' && sock.parent) {
    if (!requestSockInput(k, sock, seg)) return;
  } else {
    // RFC 7323 PAWS: a segment with an old timestamp is a duplicate from the past (an RST passes).
    if (tcb.opt && k.wire!.options.pawsReject(k, sock, seg)) {
      oowAck(k, sock, seg);
      return;
    }
    // First: sequence number check; an unacceptable segment gets an ACK (unless it is a RST).
    if (!inWindow(k, sock, seg)) {
      if (!seg.flags.rst) oowAck(k, sock, seg);
      else if (resetCheck(sock, seg)) tcpReset(k, sock);
      return;
    }
    // Second: RST. RFC 5961 §3.2: only an exact match resets; in-window gets a challenge ACK.
    if (seg.flags.rst) {
      if (seg.seq === tcb.rcvNxt) tcpReset(k, sock);
      else oowAck(k, sock, seg);
      return;
    }
  }
  // Fourth: SYN. RFC 5961 §4.2 challenge ACK — except the SYN-ACK of a simultaneous open (Linux "pass").
  let simultaneousSynAck = false;
  if (seg.flags.syn) {
    if (sock.state === 'SYN_RECV' && seg.flags.ack && seg.seq + 1 === tcb.rcvNxt && seg.ack === tcb.sndNxt) {
      simultaneousSynAck = true;
    } else {
      oowAck(k, sock, seg);
      return;
    }
  }
  // Fifth: the ACK field.
  if (!seg.flags.ack) return;
  if (sock.state === 'SYN_RECV') {
    if (seg.ack <= tcb.sndUna || seg.ack > tcb.sndNxt) {
      sendResetFor(k, sock.host, seg, sock);
      return;
    }
    tcb.sndUna = seg.ack;
    tcb.sndWnd = peerWindow(tcb, seg);
    if (tcb.rttSample && tcb.retransmits === 0) sampleRtt(sock, k.now() - tcb.rttSample.at);
    tcb.rttSample = null;
    tcb.retransmits = 0;
    stopRetransmit(sock);
    setState(k, sock, 'ESTABLISHED', simultaneousSynAck ? 'SYN-ACK received in SYN_RECV (simultaneous open)' : 'ACK of our SYN-ACK received');
    const parent = sock.parent;
    if (parent) {
      parent.synQueue.delete(sock);
      parent.acceptQueue.add(sock);
    }
    if (simultaneousSynAck) {
      sendAck(k, sock);
      return;
    }
  } else {
    if (seg.ack > tcb.sndMax) {
      // RFC 9293: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop."
      sendAck(k, sock);
      return;
    }
    const advanced = seg.ack > tcb.sndUna;
    const old = seg.ack < tcb.sndUna;
    if (seg.ack > tcb.sndUna) {
      const ackedDataEnd = Math.min(seg.ack, tcb.writeSeq);
      const drop = ackedDataEnd - sendBufStart(tcb);
      if (drop > 0) tcb.sendBuf.drop(drop);
      tcb.sndUna = seg.ack;
      if (tcb.sndNxt < tcb.sndUna) tcb.sndNxt = tcb.sndUna;
      if (tcb.rttSample && seg.ack >= tcb.rttSample.seq) {
        if (tcb.retransmits === 0) sampleRtt(sock, k.now() - tcb.rttSample.at);
        tcb.rttSample = null;
      }
      tcb.retransmits = 0;
      if (tcb.tlpHigh !== null && seg.ack >= tcb.tlpHigh) tcb.tlpHigh = null;
      stopRetransmit(sock);
      tcb.headSentAt = k.now();
      // tcp_set_xmit_timer(): what is still in flight gets a loss probe or its RTO again. On the wire (options
      // negotiated) the probe follows the peer's SACK choice (options.ts); loopback always has SACK (loss-probe.ts).
      if (tcb.opt) {
        armRetransmit(k, sock);
        k.wire!.options.lossProbe(k, sock, true);
      }
    }
    tcb.sndWnd = peerWindow(tcb, seg);
    if (!old) ackReceived(k, sock, advanced);
    if (advanced && !tcb.opt) armAfterTransmit(k, sock, true);
  }
  if (tcb.opt) k.wire!.options.acceptedSegment(k, sock, seg);
  const ourFinAcked = tcb.finSeq !== null && tcb.sndUna > tcb.finSeq;
  switch (sock.state) {
    case 'FIN_WAIT_1':
      if (ourFinAcked) {
        setState(k, sock, 'FIN_WAIT_2', 'our FIN acknowledged');
        stopRetransmit(sock);
        if (sock.orphan && sock.opt.linger2Us < 0) {
          // tcp_rcv_state_process(): an orphan with TCP_LINGER2 < 0 does not wait in FIN_WAIT_2 — it is done, and
          // the segment that acknowledged the FIN is answered with a RST.
          tcpDone(k, sock, 'orphan in FIN_WAIT_2, TCP_LINGER2 < 0: RST');
          sendResetFor(k, sock.host, seg, null);
          return;
        }
        if (sock.orphan) {
          // Linux: an orphan starts its FIN_WAIT_2 timer now; unless this segment also carries the peer's FIN,
          // it becomes a timewait sock at once (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)).
          orphanFinWait2(k, sock, seg.flags.fin);
          if ((sock.tw && !seg.flags.fin) || sock.destroyed) return;
        }
      }
      break;
    case 'CLOSING':
      if (ourFinAcked) enterTimeWait(k, sock, 'our FIN acknowledged in CLOSING');
      else afterPeerFin(k, sock, seg);
      return;
    case 'LAST_ACK':
      if (ourFinAcked) tcpDone(k, sock, 'our FIN acknowledged in LAST_ACK');
      else afterPeerFin(k, sock, seg);
      return;
    case 'CLOSE_WAIT':
      afterPeerFin(k, sock, seg);
      return;
    default:
      break;
  }
  if (sock.destroyed || sock.state === 'CLOSED') return;
  receiveDataAndFin(k, sock, seg);
}

/** The peer sent data after close(): it does not know we are gone, so reset (RFC 1122 §4.2.2.13, TCPABORTONDATA). */
function abortOnData(k: Kernel, sock: Sock, seg: Segment): void {
  // The side that resets gets ECONNRESET itself (ground truth s05 a).
  sock.err = 'ECONNRESET';
  sock.tcb!.sendBuf.clear();
  sendResetFor(k, sock.host, seg, sock);
  tcpDone(k, sock, 'data arrived after close(): abort with RST (ABORT_ON_DATA)');
}

/**
 * Step seven once the peer's FIN is in (CLOSE_WAIT, CLOSING, LAST_ACK; tcp_rcv_state_process): anything at or
 * after rcv_nxt is ignored; a retransmission is acknowledged at once (with a D-SACK when SACK was negotiated),
 * unless it brings new data, which resets.
 */
function afterPeerFin(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  const len = segLength(seg);
  if (seg.seq < tcb.rcvNxt && len > 0) {
    if (seg.data.length > 0 && seg.seq + seg.data.length > tcb.rcvNxt) {
      abortOnData(k, sock, seg);
      return;
    }
    tcb.dsack = [seg.seq, seg.seq + len];
    sendAck(k, sock);
  }
  tcpOutput(k, sock);
}

/** Linux tcp_data_queue_ofo(): keeps a segment that arrived beyond rcv_nxt until the gap fills. */
function queueOutOfOrder(tcb: Tcb, seg: Segment, arrival: number): void {
  const end = seg.seq + seg.data.length + (seg.flags.fin ? 1 : 0);
  const same = tcb.ooo.find((o) => o.seq === seg.seq && o.seq + o.data.length + (o.fin ? 1 : 0) >= end);
  if (same) {
    tcb.dsack = [seg.seq, end];
    same.touched = arrival;
    return;
  }
  tcb.ooo.push({ seq: seg.seq, data: seg.data.slice(), fin: seg.flags.fin, touched: arrival });
}

/** Linux tcp_ofo_queue(): moves what now follows rcv_nxt from the out-of-order queue; true if a FIN came with it. */
function drainOutOfOrder(tcb: Tcb): boolean {
  let fin = false;
  for (;;) {
    tcb.ooo.sort((a, b) => a.seq - b.seq);
    const next = tcb.ooo[0];
    if (!next || next.seq > tcb.rcvNxt) return fin;
    tcb.ooo.shift();
    const skip = tcb.rcvNxt - next.seq;
    if (skip < next.data.length) {
      const fresh = next.data.subarray(skip, skip + Math.max(0, RCV_SPACE - tcb.recvBuf.length));
      tcb.recvBuf.push(fresh);
      tcb.rcvNxt += fresh.length;
    }
    if (next.fin && next.seq + next.data.length === tcb.rcvNxt) fin = true;
  }
}

/** Sixth and seventh steps: segment text and the FIN bit (ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2). */
function receiveDataAndFin(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  const len = seg.data.length;
  // Linux tcp_rcv_state_process(), FIN_WAIT1/2: after a full close() (RCV_SHUTDOWN), new data means the
  // peer does not know we are gone: reset.
  if ((sock.state === 'FIN_WAIT_1' || sock.state === 'FIN_WAIT_2') && sock.rcvShutdown && len > 0 && seg.seq + len > tcb.rcvNxt) {
    abortOnData(k, sock, seg);
    return;
  }
  if (seg.seq > tcb.rcvNxt && (len > 0 || seg.flags.fin)) {
    // Out of order: kept for later, and a duplicate ACK (with a SACK block, if negotiated) goes at once.
    queueOutOfOrder(tcb, seg, k.segmentsSent);
    sendAck(k, sock);
    return;
  }
  let gotData = false;
  let duplicate = false;
  let ackNow = false;
  if (len > 0) {
    const skip = tcb.rcvNxt - seg.seq;
    const room = receiveRoom(tcb);
    const fresh = seg.data.subarray(skip, skip + room);
    if (skip > 0) tcb.dsack = [seg.seq, seg.seq + Math.min(skip, len) + (skip >= len && seg.flags.fin ? 1 : 0)];
    if (fresh.length > 0) {
      tcb.recvBuf.push(fresh);
      tcb.rcvNxt += fresh.length;
      gotData = true;
    } else duplicate = true;
  }
  let finNow = false;
  if (seg.flags.fin && seg.seq + len === tcb.rcvNxt && !sock.done) finNow = true;
  else if (seg.flags.fin && seg.seq + len < tcb.rcvNxt) {
    duplicate = true;
    tcb.dsack = [seg.seq, seg.seq + len + 1];
  }
  if (tcb.ooo.length > 0 && (gotData || finNow)) {
    // The gap may be filled: what followed it joins the stream (RFC 5681 §4.2: ACK at once when it does).
    if (!finNow && drainOutOfOrder(tcb)) finNow = !sock.done;
    ackNow = true;
  }

  if (gotData) {
    // Linux tcp_event_data_recv(): the first data sets ato and (re-)enters quick-ACK mode.
    if (tcb.ato === 0) {
      tcb.ato = TCP_ATO_MIN_US;
      tcb.quick = MAX_QUICKACKS;
    }
    tcb.lastRcvAt = k.now();
  }
  // Anything that opened the peer's window may let queued data or our FIN go; it carries the ACK.
  tcpOutput(k, sock);
  if (finNow) {
    receiveFin(k, sock);
    if (ackNow && !sock.destroyed && tcb.ackPending) sendAck(k, sock);
    return;
  }
  if (duplicate || ackNow) {
    sendAck(k, sock); // Linux tcp_data_queue(): a retransmit forces an immediate ACK
    return;
  }
  if (gotData && tcb.ackPending === false) {
    // __tcp_ack_snd_check(): quick-ACK mode acknowledges at once, ping-pong traffic waits for a reply.
    if (tcb.quick > 0 && !tcb.pingpong) sendAck(k, sock);
    else scheduleDelayedAck(k, sock);
  } else if (gotData) {
    scheduleDelayedAck(k, sock);
  }
}

/** Linux tcp_fin(): the peer will send no more. */
function receiveFin(k: Kernel, sock: Sock): void {
  const tcb = sock.tcb!;
  tcb.rcvNxt += 1;
  tcb.finInQueue = true;
  tcb.finWithData = tcb.recvBuf.length > 0;
  sock.done = true;
  sock.rcvShutdown = true;
  switch (sock.state) {
    case 'SYN_RECV':
    case 'ESTABLISHED':
      setState(k, sock, 'CLOSE_WAIT', 'FIN received');
      // The ACK of a FIN is delayed (ping-pong mode): if our program closes soon, it rides on our FIN.
      tcb.pingpong = true;
      scheduleDelayedAck(k, sock);
      return;
    case 'FIN_WAIT_1':
      sendAck(k, sock);
      setState(k, sock, 'CLOSING', 'FIN received in FIN_WAIT_1: simultaneous close');
      return;
    case 'FIN_WAIT_2':
      sendAck(k, sock);
      enterTimeWait(k, sock, 'FIN received in FIN_WAIT_2');
      return;
    default:
      sendAck(k, sock);
  }
}

/** Linux tcp_timewait_state_process(): TIME_WAIT and the orphaned FIN_WAIT_2 timewait sock. */
function timewaitInput(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  const end = seg.seq + segLength(seg);
  const twAck = () => sendSegment(k, sock, flags({ ack: true }), tcb.sndNxt);
  /** tcp_timewait_check_oow_rate_limit(): an ACK for what does not fit, at most one per 500 ms (unless data or FIN). */
  const oowTwAck = () => {
    if (oowAllowed(k, tcb, seg)) twAck();
  };
  const kill = (reason: string) => tcpDone(k, sock, reason);
  const pawsReject = tcb.opt !== null && k.wire!.options.timewaitPawsReject(k, sock, seg);
  if (sock.state === 'FIN_WAIT_2') {
    const sWin = tcb.rcvNxt;
    const eWin = tcb.rcvNxt + RCV_SPACE;
    const inWin = seg.seq === sWin || (end > sWin && seg.seq < eWin) || (seg.seq === eWin && seg.seq === end);
    if (pawsReject || !inWin) return oowTwAck();
    if (seg.flags.rst) return kill('RST received by orphaned FIN_WAIT_2');
    if (seg.flags.syn && seg.seq >= tcb.rcvNxt) {
      sendResetFor(k, sock.host, seg, sock);
      return kill('SYN received by orphaned FIN_WAIT_2');
    }
    if (!seg.flags.ack || end <= tcb.rcvNxt || end === seg.seq) return; // a duplicate ACK: ignore
    if (!seg.flags.fin || end !== tcb.rcvNxt + 1) {
      // "New data or FIN. If new data arrive after half-duplex close, reset."
      sendResetFor(k, sock.host, seg, sock);
      return kill('data received after close(): reset from the FIN_WAIT_2 timewait sock');
    }
    tcb.rcvNxt = end;
    if (tcb.opt) k.wire!.options.timewaitSegment(k, sock, seg);
    setState(k, sock, 'TIME_WAIT', 'FIN received by orphaned FIN_WAIT_2');
    armTimeWait(k, sock);
    return twAck();
  }
  // TIME_WAIT. In window, a segment may only be a bare ACK (it restarts the 60 s) or an RST.
  if (!pawsReject && seg.seq === tcb.rcvNxt && (end === seg.seq || seg.flags.rst)) {
    if (seg.flags.rst) {
      // "TIME_WAIT assassination" (RFC 1337): Linux lets the RST end it unless net.ipv4.tcp_rfc1337 is set.
      if (k.sysctl.int('net.ipv4.tcp_rfc1337') === 0) return kill('RST received in TIME_WAIT (tcp_rfc1337=0)');
    } else armTimeWait(k, sock);
    if (tcb.opt) k.wire!.options.timewaitSegment(k, sock, seg);
    return;
  }
  const ts = seg.options?.find((o) => o.kind === 'ts');
  const newerTs = tcb.opt?.tsOk === true && ts?.kind === 'ts' && ((tcb.opt.tsRecent - ts.val) | 0) < 0;
  if (seg.flags.syn && !seg.flags.rst && !seg.flags.ack && !pawsReject && (seg.seq > tcb.rcvNxt || newerTs) && sock.local) {
    // A new connection may reuse the 4-tuple (RFC 9293 §3.10.7.4 note; Linux TCP_TW_SYN) if someone listens;
    // its ISN continues after the old one (tw_snd_nxt + 65537). Without a listener the SYN just gets an ACK.
    const listener = sock.remote ? lookupListener(k, sock.host, sock.local, sock.remote) : undefined;
    if (listener) {
      const isn = (tcb.sndNxt + 65537) % 2 ** 32 || 1;
      kill('SYN for a new connection replaced TIME_WAIT');
      listenInput(k, listener, seg, isn);
      return;
    }
    return twAck();
  }
  if (seg.flags.rst) return;
  // Everything else — a retransmitted FIN above all — is acknowledged and restarts the 60 s.
  if (seg.flags.ack || pawsReject) armTimeWait(k, sock);
  oowTwAck();
}
