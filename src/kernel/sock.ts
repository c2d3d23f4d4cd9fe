import type { Timer } from './event-queue.ts';
import { ByteQueue } from './byte-queue.ts';
import type { Endpoint, Errno, TcpState } from './types.ts';
import type { Host } from './network.ts';
import type { TcpOptionState } from './options.ts';

/** A segment that arrived beyond rcv_nxt, held until the gap before it fills (Linux's out-of-order queue). */
export interface OooSegment {
  seq: number;
  data: Uint8Array;
  fin: boolean;
  /** Arrival order, for the order of SACK blocks (the most recently touched first). */
  touched: number;
}

/**
 * The transmission control block: a plain object (smoltcp/lwIP style). Sequence numbers are kept as
 * unbounded integers starting at the ISN (which is < 2^32), so comparisons are plain `<`; they are shown
 * modulo 2^32. // DIVERGENCE: no wrap-around arithmetic is needed for the amounts of data a lab moves.
 */
export interface Tcb {
  iss: number;
  irs: number;
  sndUna: number;
  sndNxt: number;
  /** Highest sequence number ever sent (for retransmission bookkeeping). */
  sndMax: number;
  /** Sequence number after the last byte the application wrote (data only; the FIN comes after). */
  writeSeq: number;
  /** Bytes from sndUna to writeSeq (sent-but-unacked, then unsent). */
  sendBuf: ByteQueue;
  /** The peer's receive window in bytes. */
  sndWnd: number;
  /** Our FIN: queued by close()/shutdown(SHUT_WR); its sequence number once assigned. */
  finQueued: boolean;
  finSeq: number | null;

  rcvNxt: number;
  /** In-order received bytes the application has not read yet. */
  recvBuf: ByteQueue;
  /** The peer's FIN is in the receive queue (counted by ss as one byte of Recv-Q until EOF is read). */
  finInQueue: boolean;
  /**
   * The FIN arrived while data was still unread: Linux coalesces it into the last data skb (tcp_try_coalesce),
   * so reading that data consumes the FIN too (tcp_recvmsg, found_fin_ok) and Recv-Q drops to 0 before a
   * read returns end of file.
   */
  finWithData: boolean;
  /** The right edge of the window we advertised (RCV.NXT + RCV.WND): a receiver never shrinks it (RFC 9293 §3.8.6.2.2). */
  rcvWndEnd: number;

  // Retransmission (RFC 6298 with Linux's 200 ms floor).
  rto: number;
  srtt: number | null;
  rttvar: number;
  rttSample: { seq: number; at: number } | null;
  retransmits: number;
  retransTimer: Timer | null;
  /** When the first SYN went out (Linux retrans_stamp): connect()'s time budget counts from here. */
  synSentAt: number | null;

  // Delayed ACK (Linux inet_connection_sock icsk_ack).
  ackPending: boolean;
  delackTimer: Timer | null;
  /** Immediate ACKs left in quick-ACK mode (TCP_MAX_QUICKACKS = 16). */
  quick: number;
  pingpong: boolean;
  /** Delayed-ACK timeout; 0 until data has been received (Linux initialises ato on the first data). */
  ato: number;
  lastRcvAt: number;

  /** TCP options negotiated on this connection (wire paths only; null: none are modelled). */
  opt: TcpOptionState | null;
  /** Out-of-order segments, by arrival. */
  ooo: OooSegment[];
  /** A duplicate range to report once as D-SACK (RFC 2883), when SACK was negotiated. */
  dsack: readonly [number, number] | null;
  /** When we last answered an out-of-window segment (tcp_oow_rate_limited: at most one per 500 ms). */
  lastOowAckAt: number | null;
  /** Tail loss probe (RFC 8985; Linux needs SACK for it): the pending timer is a probe, not the RTO. */
  probePending: boolean;
  /** snd_nxt when a probe went out (tlp_high_seq): one probe per tail until it is acknowledged. */
  tlpHigh: number | null;
  /** When the oldest unacknowledged segment was (last) sent, and where the last segment sent starts. */
  headSentAt: number;
  tailSeq: number;
  /** Minshall's snd_sml: where the last segment smaller than the MSS ended (Nagle holds a small write while it is unacknowledged). */
  sndSml: number;
  // Liveness (keepalive.ts, persist.ts, user timeout).
  /** When the peer was last heard from: an acceptable ACK or data (Linux rcv_tstamp / icsk_ack.lrcvtime). */
  lastHeardAt: number;
  /** When we last sent anything (Linux lsndtime). */
  lastSentAt: number;
  /** Keepalive or window probes sent without an answer (icsk_probes_out; any acceptable ACK zeroes it). */
  probesOut: number;
  /** The zero-window probe timer (ICSK_TIME_PROBE0), its back-off and when probing began. */
  probeTimer: Timer | null;
  backoff: number;
  probesSince: number | null;
  /** When the first retransmission timeout of this episode retransmitted (Linux retrans_stamp); null when none. */
  retransStamp: number | null;
  /** Segments of new sequence space in flight, oldest first: where each ends and when it was sent (the rtx queue's skbs). */
  inFlight: Array<{ end: number; at: number }>;
  /** The retransmission timer is armed as a tail loss probe (ICSK_TIME_LOSS_PROBE) rather than an RTO. */
  timerIsProbe: boolean;
  /** A tail loss probe is outstanding: SND.NXT when it was sent (tlp_high_seq). */
  tlpHighSeq: number | null;
  /** In loss recovery after a retransmission timeout until this is acknowledged (TCP_CA_Loss, high_seq). */
  lossHighSeq: number | null;
}

/**
 * Socket options beyond SO_REUSEADDR and SO_LINGER (setsockopt in kernel.ts). An accepted socket inherits its
 * listener's (sk_clone_lock copies the whole socket).
 */
export interface SockOptions {
  /** SO_KEEPALIVE (SOCK_KEEPOPEN). */
  keepalive: boolean;
  /** TCP_KEEPIDLE, TCP_KEEPINTVL (seconds) and TCP_KEEPCNT; null: the tcp_keepalive_* sysctl. */
  keepIdle: number | null;
  keepIntvl: number | null;
  keepCnt: number | null;
  /** TCP_USER_TIMEOUT in milliseconds; 0: off. */
  userTimeoutMs: number;
  /** SO_REUSEPORT. */
  reusePort: boolean;
  /** TCP_LINGER2 as Linux stores it (tp->linger2): 0 = use tcp_fin_timeout, -1 = reset instead of FIN_WAIT_2, else µs. */
  linger2Us: number;
  /** TCP_NODELAY: Nagle's algorithm off. */
  noDelay: boolean;
}

export function defaultSockOptions(): SockOptions {
  return { keepalive: false, keepIdle: null, keepIntvl: null, keepCnt: null, userTimeoutMs: 0, reusePort: false, linger2Us: 0, noDelay: false };
}

export type SockTimerName = 'on' | 'keepalive' | 'timewait';

export interface Sock {
  id: number;
  host: Host;
  label: string;
  state: TcpState;
  local: Endpoint | null;
  remote: Endpoint | null;
  /** Bound by bind() (as opposed to an automatic bind by connect()). */
  explicitBind: boolean;
  reuseAddr: boolean;
  linger: { on: boolean; seconds: number };
  /** Keepalive, TCP_USER_TIMEOUT, SO_REUSEPORT, TCP_LINGER2. */
  opt: SockOptions;
  /** When it became a timewait sock (tw_entry_stamp, for tcp_tw_reuse). */
  twSince: number | null;
  owner: { pid: number; fd: number } | null;
  /**
   * Descriptors that refer to the socket, in every process (Linux: the file's reference count). dup(),
   * fork() and SCM_RIGHTS add one; only the close of the last one reaches tcp_close().
   */
  refs: number;
  /** Closed by its program (SOCK_DEAD): the kernel finishes the connection alone. */
  orphan: boolean;
  /**
   * A timewait sock (Linux inet_timewait_sock): TIME_WAIT, or an orphaned FIN_WAIT_2 in its last phase.
   * Its input follows tcp_timewait_state_process() instead of tcp_rcv_state_process().
   */
  tw: boolean;
  /** A pending error (sk_err), reported once by recv/send/SO_ERROR. */
  err: Errno | null;
  /** sk_shutdown bits. */
  rcvShutdown: boolean;
  sendShutdown: boolean;
  /** SOCK_DONE: the peer's FIN was received (recv returns EOF before looking at sk_err). */
  done: boolean;
  /** Reached a synchronised state once (a connect() that completed). */
  connected: boolean;
  tcb: Tcb | null;
  // Listening.
  backlog: number;
  /** Established connections waiting for accept(), oldest first (insertion order). */
  acceptQueue: Set<Sock>;
  synQueue: Set<Sock>;
  parent: Sock | null;
  /** Timers that show in `ss -o` besides retransmission. */
  stateTimer: Timer | null;
  stateTimerName: SockTimerName | null;
  /**
   * When that timer was asked to expire (timer->expires, what ss -o and netstat -o count down to); the
   * timer wheel fires it up to one slot later (timers.ts wheelExpiry()).
   */
  stateTimerDue?: number;
  /** The socket is gone from every table. */
  destroyed: boolean;
}

export function createTcb(iss: number): Tcb {
  return {
    iss,
    irs: 0,
    sndUna: iss,
    sndNxt: iss,
    sndMax: iss,
    writeSeq: iss + 1,
    sendBuf: new ByteQueue(),
    sndWnd: 65535,
    finQueued: false,
    finSeq: null,
    rcvNxt: 0,
    recvBuf: new ByteQueue(),
    finInQueue: false,
    finWithData: false,
    rcvWndEnd: 0,
    rto: 1_000_000,
    srtt: null,
    rttvar: 0,
    rttSample: null,
    retransmits: 0,
    retransTimer: null,
    synSentAt: null,
    ackPending: false,
    delackTimer: null,
    quick: 16,
    pingpong: false,
    ato: 0,
    lastRcvAt: 0,
    opt: null,
    ooo: [],
    dsack: null,
    lastOowAckAt: null,
    probePending: false,
    tlpHigh: null,
    headSentAt: 0,
    tailSeq: iss,
    sndSml: iss,
    lastHeardAt: 0,
    lastSentAt: 0,
    probesOut: 0,
    probeTimer: null,
    backoff: 0,
    probesSince: null,
    retransStamp: null,
    inFlight: [],
    timerIsProbe: false,
    tlpHighSeq: null,
    lossHighSeq: null,
  };
}

/** Shared by every socket that never listens; listen() gives a socket its own queues. Never mutated. */
const NO_SOCKS: Set<Sock> = new Set();

export function createSock(id: number, host: Host, label: string): Sock {
  return {
    id,
    host,
    label,
    state: 'CLOSED',
    local: null,
    remote: null,
    explicitBind: false,
    reuseAddr: false,
    linger: { on: false, seconds: 0 },
    opt: defaultSockOptions(),
    twSince: null,
    owner: null,
    refs: 0,
    orphan: false,
    tw: false,
    err: null,
    rcvShutdown: false,
    sendShutdown: false,
    done: false,
    connected: false,
    tcb: null,
    backlog: 0,
    acceptQueue: NO_SOCKS,
    synQueue: NO_SOCKS,
    parent: null,
    stateTimer: null,
    stateTimerName: null,
    destroyed: false,
  };
}

/** Sequence space our side has used for data (excludes SYN and FIN). */
export function unsentBytes(tcb: Tcb): number {
  const sentDataEnd = Math.min(tcb.sndNxt, tcb.writeSeq);
  return tcb.writeSeq - Math.max(sentDataEnd, tcb.iss + 1);
}
