/**
 * Segment arrival, read top-down like lwIP's tcp_in.c: demultiplexed segments land in tcpInput(), which
 * dispatches on the socket's state — LISTEN, SYN_SENT, the timewait socks, or everything synchronised —
 * following RFC 9293 §3.10.7 and Linux's tcp_rcv_state_process() / tcp_timewait_state_process().
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import { createTcb } from './sock.ts';
import { setState } from './state.ts';
import { connKey, sendResetFor } from './network.ts';
import { RCV_SPACE, WSCALE, flags, receiveRoom, sendAck, sendSegment, sendSynAck, sendBufStart, tcpOutput } from './output.ts';
import { sampleRtt, scheduleDelayedAck, stopRetransmit, TCP_ATO_MIN_US } from './timers.ts';
import { armTimeWait, enterTimeWait, orphanFinWait2, tcpDone, tcpReset } from './close.ts';
import type { Segment } from './types.ts';
import { lookupListener } from './reuseport.ts';
import { ackReceived, oowRateLimited } from './liveness.ts';
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

/** RFC 9293 §3.10.7.2 LISTEN; Linux tcp_v4_conn_request(). */
function listenInput(k: Kernel, listener: Sock, seg: Segment): void {
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
  const tcb = createTcb(k.isn(child.local, child.remote));
  tcb.irs = seg.seq;
  tcb.rcvNxt = seg.seq + 1;
  tcb.sndWnd = seg.win;
  child.tcb = tcb;
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
    if (!seg.flags.rst) sendResetFor(k, sock.host, seg, sock);
    return;
  }
  if (seg.flags.rst) {
    if (seg.flags.ack) tcpReset(k, sock); // "error: connection reset" → ECONNREFUSED
    return;
  }
  if (!seg.flags.syn) return;
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

/** Segments for SYN_RECV … LAST_ACK: RFC 9293 §3.10.7.4, Linux tcp_validate_incoming() + tcp_rcv_state_process(). */
function synchronizedInput(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  // A retransmitted SYN reaching a connection a listener is still opening: its SYN-ACK was lost, so it is
  // sent again (tcp_check_req() → inet_rtx_syn_ack()), where a synchronized socket would only ACK.
  if (sock.state === 'SYN_RECV' && sock.parent && seg.flags.syn && !seg.flags.ack && !seg.flags.rst && seg.seq + 1 === tcb.rcvNxt) {
    sendSegment(k, sock, flags({ syn: true, ack: true }), tcb.iss); // the SYN-ACK timer runs on unchanged
    return;
  }
  // First: sequence number check; an unacceptable segment gets an ACK (unless it is a RST), rate-limited.
  if (!inWindow(k, sock, seg)) {
    if (!seg.flags.rst && !oowRateLimited(k, sock, seg)) sendAck(k, sock);
    return;
  }
  // Second: RST. RFC 5961 §3.2: only an exact match resets; in-window gets a challenge ACK.
  if (seg.flags.rst) {
    if (seg.seq !== tcb.rcvNxt) {
      sendAck(k, sock);
      return;
    }
    if (sock.state === 'SYN_RECV' && sock.parent) {
      // A half-open connection from a listener is simply forgotten (RFC 9293 §3.10.7.4, passive OPEN).
      tcpDone(k, sock, 'RST received in SYN_RECV');
      return;
    }
    tcpReset(k, sock);
    return;
  }
  // Fourth: SYN. RFC 5961 §4.2 challenge ACK — except the SYN-ACK of a simultaneous open (Linux "pass").
  let simultaneousSynAck = false;
  if (seg.flags.syn) {
    if (sock.state === 'SYN_RECV' && seg.flags.ack && seg.seq + 1 === tcb.rcvNxt && seg.ack === tcb.sndNxt) {
      simultaneousSynAck = true;
    } else {
      sendAck(k, sock);
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
    tcb.sndWnd = seg.win << WSCALE;
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
      stopRetransmit(sock);
    }
    tcb.sndWnd = seg.win << WSCALE;
    if (!old) ackReceived(k, sock, advanced);
    // tcp_set_xmit_timer(): what is still in flight gets a loss probe or its RTO again.
    if (advanced) armAfterTransmit(k, sock, true);
  }
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
      return;
    case 'LAST_ACK':
      if (ourFinAcked) tcpDone(k, sock, 'our FIN acknowledged in LAST_ACK');
      return;
    case 'CLOSE_WAIT': {
      // The peer already sent its FIN: data or a FIN again is a retransmission — ACK it at once.
      if (segLength(seg) > 0 && seg.seq + segLength(seg) <= tcb.rcvNxt) sendAck(k, sock);
      tcpOutput(k, sock);
      return;
    }
    default:
      break;
  }
  if (sock.destroyed || sock.state === 'CLOSED') return;
  receiveDataAndFin(k, sock, seg);
}

/** Sixth and seventh steps: segment text and the FIN bit (ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2). */
function receiveDataAndFin(k: Kernel, sock: Sock, seg: Segment): void {
  const tcb = sock.tcb!;
  const len = seg.data.length;
  // Linux tcp_rcv_state_process(), FIN_WAIT1/2: after a full close() (RCV_SHUTDOWN), new data means the
  // peer does not know we are gone: reset (RFC 1122 §4.2.2.13, LINUX_MIB_TCPABORTONDATA).
  if ((sock.state === 'FIN_WAIT_1' || sock.state === 'FIN_WAIT_2') && sock.rcvShutdown) {
    if (len > 0 && seg.seq + len > tcb.rcvNxt) {
      // The side that resets gets ECONNRESET itself (ground truth s05 a).
      sock.err = 'ECONNRESET';
      tcb.sendBuf.clear();
      sendResetFor(k, sock.host, seg, sock);
      tcpDone(k, sock, 'data arrived after close(): abort with RST (ABORT_ON_DATA)');
      return;
    }
  }
  let gotData = false;
  let duplicate = false;
  if (len > 0) {
    if (seg.seq > tcb.rcvNxt) {
      // DIVERGENCE: no out-of-order queue (Linux keeps one, with SACK); the segment is dropped and a
      // duplicate ACK asks for the missing bytes, which the sender's RTO resends.
      sendAck(k, sock);
      return;
    }
    const skip = tcb.rcvNxt - seg.seq;
    const room = receiveRoom(tcb);
    const fresh = seg.data.subarray(skip, skip + room);
    if (fresh.length > 0) {
      tcb.recvBuf.push(fresh);
      tcb.rcvNxt += fresh.length;
      gotData = true;
    } else duplicate = true;
  }
  let finNow = false;
  if (seg.flags.fin && seg.seq + len === tcb.rcvNxt && !sock.done) finNow = true;
  else if (seg.flags.fin && seg.seq + len < tcb.rcvNxt) duplicate = true;

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
    return;
  }
  if (duplicate) {
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
  const kill = (reason: string) => tcpDone(k, sock, reason);
  if (sock.state === 'FIN_WAIT_2') {
    const sWin = tcb.rcvNxt;
    const eWin = tcb.rcvNxt + RCV_SPACE;
    const inWin = seg.seq === sWin || (end > sWin && seg.seq < eWin) || (seg.seq === eWin && seg.seq === end);
    if (!inWin) return twAck();
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
    setState(k, sock, 'TIME_WAIT', 'FIN received by orphaned FIN_WAIT_2');
    armTimeWait(k, sock);
    return twAck();
  }
  // TIME_WAIT
  if (seg.seq === tcb.rcvNxt && (end === seg.seq || seg.flags.rst)) {
    if (seg.flags.rst) return kill('RST received in TIME_WAIT (tcp_rfc1337=0)');
    armTimeWait(k, sock);
    return;
  }
  if (seg.flags.syn && !seg.flags.rst && !seg.flags.ack && seg.seq > tcb.rcvNxt && sock.local) {
    // A new connection may reuse the 4-tuple (RFC 9293 §3.10.7.4 note; Linux TCP_TW_SYN) if someone listens.
    const listener = sock.remote ? lookupListener(k, sock.host, sock.local, sock.remote) : undefined;
    if (listener) {
      kill('SYN for a new connection replaced TIME_WAIT');
      k.input(listener, seg);
      return;
    }
  }
  if (seg.flags.rst) return;
  // Everything else — a retransmitted FIN above all — is acknowledged and restarts the 60 s.
  if (seg.flags.ack) armTimeWait(k, sock);
  twAck();
}

