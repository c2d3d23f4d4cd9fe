import { EventQueue } from './event-queue.ts';
import { createPrng, type Prng } from './prng.ts';
import { Sysctls } from './sysctl.ts';
import { TraceRecorder } from './trace.ts';
import { createHost, connKey, hostOwnsAddress, type DropRule, type Host, type Link, type WirePort } from './network.ts';
import { createSock, createTcb, type Sock } from './sock.ts';
import { tcpInput } from './input.ts';
import { setState } from './state.ts';
import { sendSyn, SNDBUF, tcpOutput, advertisedWindow, sendAck } from './output.ts';
import { queueFin, tcpClose, closeStateFor } from './close.ts';
import { bindConflict, initialSequence, pickBindPort, pickConnectPort } from './ports.ts';
import { setExtraSockOpt, type ExtraSockOpt } from './sockopt.ts';
import { reuseTimewait, takeReusedIsn } from './tw-reuse.ts';
import { addToReuseportGroup, listenConflict } from './reuseport.ts';
import {
  fail,
  formatEndpoint,
  ok,
  parseEndpoint,
  type Endpoint,
  type Errno,
  type PollState,
  type Result,
  type Segment,
  type ShutdownHow,
  type TcpState,
} from './types.ts';

export interface KernelOptions {
  /** Seeds ISNs and ephemeral ports: the same seed and calls give the same trace. */
  seed?: number;
  /** Initial sysctl values, e.g. { 'net.ipv4.tcp_fin_timeout': 5 }. */
  sysctl?: Record<string, string | number>;
  /** Keep every trace event in `trace.events` (default true; benchmarks turn it off). */
  keepTrace?: boolean;
}

export interface Process {
  pid: number;
  name: string;
  host: Host;
  fds: Map<number, Sock>;
  /** No descriptor below this is free (Linux allocates the lowest free one). */
  lowestFree: number;
  alive: boolean;
  startedAt: number;
}

export interface ProcessInfo {
  pid: number;
  name: string;
  host: string;
  fds: number[];
}

export interface SocketInfo {
  id: number;
  label: string;
  host: string;
  state: TcpState;
  local: string;
  remote: string;
  recvQ: number;
  sendQ: number;
  /** The timer `ss -o` shows: on (retransmission), persist (zero-window probe), timewait, keepalive. */
  timer: { name: 'on' | 'persist' | 'timewait' | 'keepalive'; remainingUs: number; retransmits: number } | null;
  owner: { pid: number; fd: number; proc: string } | null;
  orphan: boolean;
}

export type SockOpt = { name: 'SO_REUSEADDR'; value: boolean } | { name: 'SO_LINGER'; value: { on: boolean; seconds: number } } | ExtraSockOpt;

const DEFAULT_HOST = 'localhost';

/** The lowest free descriptor (POSIX), starting the search where the last one left off. */
function allocFd(p: Process): number {
  let fd = p.lowestFree;
  while (p.fds.has(fd)) fd++;
  p.lowestFree = fd + 1;
  return fd;
}

/**
 * The simulated Linux TCP/IP stack: hosts, processes, descriptors, sockets, a virtual clock. Every
 * syscall is non-blocking; callers that want blocking semantics advance the clock until the call can
 * finish (see scenario/runner.ts). Nothing here reads a real clock or real randomness.
 */
export class Kernel {
  readonly queue = new EventQueue();
  readonly trace = new TraceRecorder();
  readonly sysctl: Sysctls;
  readonly prng: Prng;
  readonly hosts: Host[] = [];
  readonly links: Link[] = [];
  dropRules: DropRule[] = [];
  segmentsSent = 0;
  /** A remote peer on a wire (wire.ts), when one is attached. */
  wire: WirePort | null = null;
  /** The kernel log (dmesg): messages such as "TCP: too many orphaned sockets", with their virtual time. */
  readonly messages: Array<{ t: number; text: string }> = [];

  private clock = 0;
  private readonly secret: number;
  /** Where the simulated jiffies counter started (Linux starts it at an arbitrary value): aligns the timer wheel. */
  readonly jiffyOffset: number;
  /** Keys the SO_REUSEPORT hash (Linux's boot-time inet_ehash_secret). */
  readonly reuseportSecret: number;
  private readonly socks = new Map<number, Sock>();
  private readonly labels = new Map<number, string>();
  private readonly procs = new Map<number, Process>();
  private nextSockId = 1;
  private nextPid = 4000;

  constructor(opts: KernelOptions = {}) {
    this.prng = createPrng(opts.seed ?? 1);
    this.secret = this.prng.u32();
    this.jiffyOffset = this.secret >>> 12;
    this.reuseportSecret = Math.imul(this.secret, 2654435761) >>> 0;
    this.sysctl = new Sysctls(opts.sysctl);
    this.trace.keep = opts.keepTrace ?? true;
    this.hosts.push(createHost(DEFAULT_HOST, null));
  }

  // ── time ──────────────────────────────────────────────────────────────────────────────────────

  /** Virtual time in microseconds. */
  now(): number {
    return this.clock;
  }

  nextEventAt(): number | null {
    return this.queue.peekTime();
  }

  /** Runs the next event, moving the clock to its time. False when nothing is scheduled. */
  step(): boolean {
    const e = this.queue.pop();
    if (!e) return false;
    if (e.at > this.clock) this.clock = e.at;
    e.run();
    return true;
  }

  /** Runs every event up to time t (inclusive), then sets the clock to t. */
  advanceTo(t: number): void {
    for (;;) {
      const next = this.queue.peekTime();
      if (next === null || next > t) break;
      this.step();
    }
    if (t > this.clock) this.clock = t;
    this.queue.setNow(this.clock);
  }

  advanceBy(us: number): void {
    this.advanceTo(this.clock + Math.max(0, us));
  }

  /**
   * Steps until `done()` holds. Returns false when nothing is left to run or the limit (virtual µs from
   * now) passes first — the caller's "would block for ever".
   */
  runUntil(done: () => boolean, limitUs = 600_000_000): boolean {
    const deadline = this.clock + limitUs;
    while (!done()) {
      const next = this.queue.peekTime();
      if (next === null || next > deadline) return false;
      this.step();
    }
    return true;
  }

  // ── hosts and the network ─────────────────────────────────────────────────────────────────────

  /** Adds a simulated machine with an address (RFC 5737, e.g. 192.0.2.2) besides its own loopback. */
  addHost(name: string, ip: string): Host {
    const existing = this.hosts.find((h) => h.name === name);
    if (existing) return existing;
    const host = createHost(name, ip);
    this.hosts.push(host);
    return host;
  }

  /** Joins two hosts' addresses with a one-way delay. */
  link(ipA: string, ipB: string, delayUs: number): void {
    this.links.push({ a: ipA, b: ipB, delayUs });
  }

  /** The network loses the next `count` segments a socket sends with exactly these flags ("." , "F.", …; null: any). */
  dropNext(sockId: number, flags: string | null, count = 1): void {
    const s = this.socks.get(sockId);
    // A listening socket sends nothing itself: the rule covers what its connections send from its address.
    const source = s?.state === 'LISTEN' && s.local ? formatEndpoint(s.local) : null;
    this.dropRules.push({ sock: sockId, source, flags, direction: null, remaining: count });
  }

  /**
   * From now on the network loses every segment this socket sends with these flags (null: any) — a peer that
   * went silent (a crashed host, a partition) — until undrop(). The rule is on the 4-tuple, as a firewall's
   * would be: it also catches a reset the kernel sends for that 4-tuple after the socket is gone.
   */
  dropAll(sockId: number, flags: string | null): void {
    const s = this.socks.get(sockId);
    if (!s?.local) return;
    const direction = s.remote && s.state !== 'LISTEN' ? `${formatEndpoint(s.local)}>${formatEndpoint(s.remote)}` : null;
    const source = direction ? null : formatEndpoint(s.local);
    this.dropRules.push({ sock: null, source, flags, direction, remaining: Number.POSITIVE_INFINITY, tag: sockId });
  }

  /** Lifts the `drop all` rules made for this socket. */
  undrop(sockId: number): void {
    this.dropRules = this.dropRules.filter((r) => r.tag !== sockId);
  }

  /** Loses the next `count` segments from one endpoint to another ("127.0.0.1:1>127.0.0.1:2"). */
  dropDirection(direction: string, flags: string | null, count = 1): void {
    this.dropRules.push({ sock: null, flags, direction, remaining: count });
  }

  // ── processes ─────────────────────────────────────────────────────────────────────────────────

  spawn(name: string, hostName = DEFAULT_HOST): number {
    const host = this.hosts.find((h) => h.name === hostName) ?? this.hosts[0]!;
    const pid = this.nextPid++;
    this.procs.set(pid, { pid, name, host, fds: new Map(), lowestFree: 3, alive: true, startedAt: this.clock });
    return pid;
  }

  process(pid: number): Process | undefined {
    const p = this.procs.get(pid);
    return p?.alive ? p : undefined;
  }

  processes(): ProcessInfo[] {
    return [...this.procs.values()]
      .filter((p) => p.alive)
      .map((p) => ({ pid: p.pid, name: p.name, host: p.host.name, fds: [...p.fds.keys()].sort((a, b) => a - b) }));
  }

  /** The process exits (normally or killed): every descriptor is closed, lowest first (Linux do_exit). */
  exit(pid: number): Result<void> {
    const p = this.procs.get(pid);
    if (!p?.alive) return fail('ESRCH');
    for (const fd of [...p.fds.keys()].sort((a, b) => a - b)) {
      const sock = p.fds.get(fd)!;
      p.fds.delete(fd);
      if (this.dropReference(p, fd, sock)) tcpClose(this, sock, 'process exit');
    }
    p.alive = false;
    this.procs.delete(pid);
    return ok(undefined);
  }

  /** Any signal we model ends the process (no handlers): SIGTERM, SIGKILL, SIGINT. */
  kill(pid: number): Result<void> {
    return this.exit(pid);
  }

  /**
   * fork(): a new process whose descriptor table is a copy of the parent's. Both now hold every socket;
   * a socket is closed (FIN or RST) only when the last descriptor referring to it goes (Linux fput()).
   */
  fork(pid: number, name: string): Result<number> {
    const parent = this.procs.get(pid);
    if (!parent?.alive) return fail('ESRCH');
    const child = this.spawn(name, parent.host.name);
    const p = this.procs.get(child)!;
    for (const [fd, sock] of parent.fds) {
      p.fds.set(fd, sock);
      sock.refs++;
    }
    p.lowestFree = parent.lowestFree;
    return ok(child);
  }

  // ── socket bookkeeping (used by the TCP modules) ─────────────────────────────────────────────

  newSock(host: Host, label: string): Sock {
    const sock = createSock(this.nextSockId++, host, label);
    this.socks.set(sock.id, sock);
    this.labels.set(sock.id, label);
    return sock;
  }

  forget(sock: Sock): void {
    this.socks.delete(sock.id);
  }

  /** Every socket the kernel still knows (for limits such as tcp_max_orphans). */
  allSocks(): IterableIterator<Sock> {
    return this.socks.values();
  }

  socketCount(): number {
    return this.socks.size;
  }

  /** printk: adds a line to the kernel log (`dmesg`). */
  log(text: string): void {
    this.messages.push({ t: this.clock, text });
  }

  input(sock: Sock, seg: Segment): void {
    tcpInput(this, sock, seg);
  }

  isn(local: Endpoint, remote: Endpoint): number {
    return initialSequence(this.secret, local, remote, this.clock);
  }

  bindTable(sock: Sock): void {
    if (!sock.local) return;
    let set = sock.host.bound.get(sock.local.port);
    if (!set) sock.host.bound.set(sock.local.port, (set = new Set()));
    set.add(sock);
  }

  /** Gives a socket a name for traces and tables (e.g. "srv:a" once accepted). */
  setLabel(sockId: number, label: string): void {
    this.labels.set(sockId, label);
    const s = this.socks.get(sockId);
    if (s) s.label = label;
  }

  /** The socket's name, even after it is gone. */
  label(sockId: number): string {
    return this.labels.get(sockId) ?? `sock#${sockId}`;
  }

  /** The socket behind a descriptor (its stable id), or undefined. */
  socketOf(pid: number, fd: number): number | undefined {
    return this.procs.get(pid)?.fds.get(fd)?.id;
  }

  /** A socket's state by id; CLOSED once it is gone. */
  stateOf(sockId: number): TcpState {
    return this.socks.get(sockId)?.state ?? 'CLOSED';
  }

  /** Low-level access for renderers and tests that need more than SocketInfo. */
  sock(sockId: number): Sock | undefined {
    return this.socks.get(sockId);
  }

  /** Every socket ss would list (not CLOSED), listeners first. */
  sockets(): SocketInfo[] {
    const out: SocketInfo[] = [];
    for (const s of this.socks.values()) {
      if (s.destroyed || s.state === 'CLOSED') continue;
      out.push(this.info(s));
    }
    return out.sort((a, b) => (a.state === 'LISTEN' ? 0 : 1) - (b.state === 'LISTEN' ? 0 : 1) || a.id - b.id);
  }

  socketInfo(sockId: number): SocketInfo | undefined {
    const s = this.socks.get(sockId);
    return s && !s.destroyed ? this.info(s) : undefined;
  }

  private info(s: Sock): SocketInfo {
    const tcb = s.tcb;
    let recvQ = 0;
    let sendQ = 0;
    if (s.state === 'LISTEN') {
      recvQ = s.acceptQueue.size;
      sendQ = s.backlog;
    } else if (tcb && !s.tw) {
      recvQ = tcb.recvBuf.length + (tcb.finInQueue ? 1 : 0);
      // Linux counts the FIN (FIN_WAIT_1 shows Send-Q 1) but not the SYN.
      const synchronised = s.state !== 'SYN_SENT' && s.state !== 'SYN_RECV';
      sendQ = synchronised ? Math.max(0, tcb.writeSeq + (tcb.finQueued ? 1 : 0) - Math.max(tcb.sndUna, tcb.iss + 1)) : 0;
    }
    let timer: SocketInfo['timer'] = null;
    if (tcb?.retransTimer && !tcb.retransTimer.cancelled) {
      timer = { name: 'on', remainingUs: Math.max(0, tcb.retransTimer.at - this.clock), retransmits: tcb.retransmits };
    } else if (tcb?.probeTimer && !tcb.probeTimer.cancelled) {
      // inet_diag: ICSK_TIME_PROBE0 shows as "persist" with icsk_probes_out.
      timer = { name: 'persist', remainingUs: Math.max(0, tcb.probeTimer.at - this.clock), retransmits: tcb.probesOut };
    } else if (s.stateTimer && s.stateTimerName) {
      // Linux reports timer->expires - jiffies: the expiry asked for, not the wheel slot it fires in; sk_timer
      // (keepalive, the orphan's FIN_WAIT_2) shows icsk_probes_out, a timewait sock 0.
      const probes = s.stateTimerName === 'keepalive' && !s.tw ? (tcb?.probesOut ?? 0) : 0;
      timer = { name: s.stateTimerName, remainingUs: Math.max(0, Math.min(s.stateTimer.at, s.stateTimerDue ?? s.stateTimer.at) - this.clock), retransmits: probes };
    }
    const proc = s.owner ? this.procs.get(s.owner.pid) : undefined;
    return {
      id: s.id,
      label: this.label(s.id),
      host: s.host.name,
      state: s.state,
      local: s.local ? formatEndpoint(s.local) : '0.0.0.0:*',
      remote: s.remote ? formatEndpoint(s.remote) : '0.0.0.0:*',
      recvQ,
      sendQ,
      timer,
      owner: s.owner && proc ? { pid: s.owner.pid, fd: s.owner.fd, proc: proc.name } : null,
      orphan: s.orphan,
    };
  }

  // ── syscalls ──────────────────────────────────────────────────────────────────────────────────

  private fdSock(pid: number, fd: number): Result<Sock> {
    const p = this.procs.get(pid);
    if (!p?.alive) return fail('ESRCH');
    const s = p.fds.get(fd);
    return s ? ok(s) : fail('EBADF');
  }

  socket(pid: number): Result<number> {
    const p = this.procs.get(pid);
    if (!p?.alive) return fail('ESRCH');
    const fd = allocFd(p);
    if (fd > 65535) return fail('EMFILE');
    const sock = this.newSock(p.host, `${p.name}:${fd}`);
    sock.owner = { pid, fd };
    sock.refs = 1;
    p.fds.set(fd, sock);
    return ok(fd);
  }

  setsockopt(pid: number, fd: number, opt: SockOpt): Result<void> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    if (opt.name === 'SO_REUSEADDR') r.value.reuseAddr = opt.value;
    else if (opt.name === 'SO_LINGER') {
      if (!Number.isInteger(opt.value.seconds) || opt.value.seconds < 0) return fail('EINVAL');
      r.value.linger = { ...opt.value };
    } else return setExtraSockOpt(this, r.value, opt);
    return ok(undefined);
  }

  /** SO_ERROR: the pending error, cleared by reading it (Linux sock_error()). */
  getsockoptError(pid: number, fd: number): Result<Errno | null> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const err = r.value.err;
    r.value.err = null;
    return ok(err);
  }

  bind(pid: number, fd: number, address: string | Endpoint): Result<void> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    const ep = typeof address === 'string' ? parseEndpoint(address) : address;
    if (!ep) return fail('EINVAL');
    if (sock.local) return fail('EINVAL'); // already bound
    if (!hostOwnsAddress(sock.host, ep.ip)) return fail('EADDRNOTAVAIL');
    let port = ep.port;
    if (port === 0) {
      const picked = pickBindPort(this, sock, ep.ip);
      if (picked === undefined) return fail('EADDRINUSE');
      port = picked;
    } else if (bindConflict(sock.host, sock, ep.ip, port)) return fail('EADDRINUSE');
    sock.local = { ip: ep.ip, port };
    sock.explicitBind = true;
    this.bindTable(sock);
    return ok(undefined);
  }

  listen(pid: number, fd: number, backlog = 128): Result<void> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    const capped = Math.min(Math.max(0, Math.floor(backlog)), this.sysctl.int('net.core.somaxconn'));
    if (sock.state === 'LISTEN') {
      sock.backlog = capped;
      return ok(undefined);
    }
    if (sock.state !== 'CLOSED' || sock.connected) return fail('EINVAL');
    if (!sock.local) {
      const port = pickBindPort(this, sock, '0.0.0.0');
      if (port === undefined) return fail('EADDRINUSE');
      sock.local = { ip: '0.0.0.0', port };
      this.bindTable(sock);
    } else if (bindConflict(sock.host, sock, sock.local.ip, sock.local.port) && !sock.reuseAddr) {
      return fail('EADDRINUSE');
    } else if (listenConflict(sock)) {
      // Another listener on the same port, even with SO_REUSEADDR, makes listen() fail (inet_csk_get_port) —
      // unless both set SO_REUSEPORT.
      return fail('EADDRINUSE');
    }
    sock.backlog = capped;
    sock.acceptQueue = new Set();
    sock.synQueue = new Set();
    if (!addToReuseportGroup(sock)) sock.host.listeners.set(formatEndpoint(sock.local), sock);
    setState(this, sock, 'LISTEN', 'listen()');
    return ok(undefined);
  }

  /** Non-blocking accept: EAGAIN while no connection is ready. */
  accept(pid: number, fd: number): Result<{ fd: number; sock: number; peer: string }> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const listener = r.value;
    if (listener.state !== 'LISTEN') return fail('EINVAL');
    const child = listener.acceptQueue.values().next().value;
    if (!child) return fail('EAGAIN');
    listener.acceptQueue.delete(child);
    const p = this.procs.get(pid)!;
    const nfd = allocFd(p);
    child.parent = null;
    child.owner = { pid, fd: nfd };
    child.refs = 1;
    p.fds.set(nfd, child);
    // Named after the descriptor the program now holds, as socket() names its sockets (PROC:FD).
    this.setLabel(child.id, `${p.name}:${nfd}`);
    return ok({ fd: nfd, sock: child.id, peer: child.remote ? formatEndpoint(child.remote) : '' });
  }

  /**
   * Starts a connection (non-blocking; ok means the SYN is on its way, as EINPROGRESS does). Completion
   * shows in poll() (writable) and connectResult(). A socket without a local address is bound to an
   * ephemeral port first (Linux inet_hash_connect).
   */
  connect(pid: number, fd: number, address: string | Endpoint): Result<void> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    const remote = typeof address === 'string' ? parseEndpoint(address) : address;
    if (!remote) return fail('EINVAL');
    if (sock.state === 'LISTEN') return fail('EISCONN');
    if (sock.state === 'SYN_SENT' || sock.state === 'SYN_RECV') return fail('EALREADY');
    if (sock.state !== 'CLOSED') return fail('EISCONN');
    if (remote.port === 0) return fail('ECONNREFUSED');
    let local = sock.local;
    const localIp = local && local.ip !== '0.0.0.0' ? local.ip : remote.ip.startsWith('127.') ? '127.0.0.1' : (sock.host.ip ?? '127.0.0.1');
    if (!local || local.port === 0) {
      const port = pickConnectPort(this, sock, localIp, remote);
      if (port === undefined) return fail('EADDRNOTAVAIL');
      local = { ip: localIp, port };
      sock.local = local;
      this.bindTable(sock);
    } else {
      local = { ip: localIp, port: local.port };
      const existing = sock.host.conns.get(connKey(local, remote));
      // __inet_check_established(): a 4-tuple in use fails, unless it is a TIME_WAIT tcp_twsk_unique() lets us take.
      if (existing && !reuseTimewait(this, existing, sock, true)) return fail('EADDRNOTAVAIL');
      sock.local = local;
    }
    sock.remote = remote;
    sock.err = null;
    sock.rcvShutdown = false;
    sock.sendShutdown = false;
    sock.done = false;
    const tcb = createTcb(takeReusedIsn(sock) ?? this.isn(local, remote));
    sock.tcb = tcb;
    if (this.wire?.owns(remote.ip)) tcb.opt = this.wire.options.forConnect(this, sock);
    sock.host.conns.set(connKey(local, remote), sock);
    setState(this, sock, 'SYN_SENT', 'connect()');
    tcb.rttSample = { seq: tcb.iss + 1, at: this.clock };
    sendSyn(this, sock);
    return ok(undefined);
  }

  /** How a connect() in progress ended: 'pending', 'connected', or the errno (consumed like SO_ERROR). */
  connectResult(pid: number, fd: number): Result<'pending' | 'connected'> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    if (sock.state === 'SYN_SENT' || sock.state === 'SYN_RECV') return ok('pending');
    if (sock.err) {
      const e = sock.err;
      sock.err = null;
      return fail(e);
    }
    if (sock.connected) return ok('connected');
    return fail(sock.tcb ? 'ECONNREFUSED' : 'ENOTCONN');
  }

  /** Linux tcp_sendmsg_locked(): queue data and send what the window allows. */
  send(pid: number, fd: number, data: Uint8Array): Result<number> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    // sk_stream_wait_connect(): a pending error first, then EPIPE for any state but SYN_SENT/SYN_RECV (a listener too).
    if (sock.state === 'LISTEN') return sock.err ? this.takeError(sock) : fail('EPIPE');
    if (sock.state === 'SYN_SENT' || sock.state === 'SYN_RECV') {
      if (sock.err) return this.takeError(sock);
      return fail('EAGAIN');
    }
    if (sock.err) return this.takeError(sock);
    if (sock.sendShutdown || (sock.state !== 'ESTABLISHED' && sock.state !== 'CLOSE_WAIT')) return fail('EPIPE');
    const tcb = sock.tcb!;
    const room = SNDBUF - tcb.sendBuf.length;
    if (room <= 0) return fail('EAGAIN');
    const chunk = data.subarray(0, room);
    if (chunk.length === 0) return ok(0);
    tcb.sendBuf.push(chunk);
    tcb.writeSeq += chunk.length;
    tcpOutput(this, sock);
    return ok(chunk.length);
  }

  private takeError<T>(sock: Sock): Result<T> {
    const e = sock.err!;
    sock.err = null;
    return fail(e);
  }

  /**
   * Linux tcp_recvmsg_locked(): queued data first; then EOF if the peer's FIN was read (SOCK_DONE), the
   * pending error (once), EOF after a shutdown, ENOTCONN if never connected, else EAGAIN.
   * An empty array means end of file.
   */
  recv(pid: number, fd: number, max: number): Result<Uint8Array> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    if (sock.state === 'LISTEN') return fail('ENOTCONN');
    const tcb = sock.tcb;
    if (tcb && tcb.recvBuf.length > 0 && max > 0) {
      const before = advertisedWindow(tcb);
      const data = tcb.recvBuf.take(Math.max(1, Math.floor(max)));
      // The FIN was queued with the last data: reading that data consumes it too (Recv-Q 0, EOF comes next).
      if (tcb.recvBuf.length === 0 && tcb.finWithData) tcb.finInQueue = false;
      // Linux tcp_cleanup_rbuf(): reading a nearly full buffer reopens the window — tell the peer.
      if (before < 16 && advertisedWindow(tcb) >= 16 && sock.remote && !sock.tw && sock.state !== 'CLOSED') sendAck(this, sock);
      return ok(data);
    }
    if (sock.done) {
      if (tcb) tcb.finInQueue = false;
      return ok(new Uint8Array(0));
    }
    if (sock.err) return this.takeError(sock);
    if (sock.rcvShutdown) return ok(new Uint8Array(0));
    if (sock.state === 'CLOSED') return fail('ENOTCONN');
    return fail('EAGAIN');
  }

  /** Linux inet_shutdown() + tcp_shutdown(): SHUT_RD sends nothing; SHUT_WR sends our FIN. */
  shutdown(pid: number, fd: number, how: ShutdownHow): Result<void> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const sock = r.value;
    const rd = how === 'SHUT_RD' || how === 'SHUT_RDWR';
    const wr = how === 'SHUT_WR' || how === 'SHUT_RDWR';
    if (sock.state === 'CLOSED' || sock.tw) return fail('ENOTCONN');
    if (sock.state === 'LISTEN') {
      if (rd) {
        tcpClose(this, sock);
        return ok(undefined);
      }
      return ok(undefined);
    }
    if (sock.state === 'SYN_SENT') {
      // inet_shutdown(): a connect in progress is simply abandoned (tcp_disconnect).
      this.abortConnect(sock);
      return ok(undefined);
    }
    if (rd) sock.rcvShutdown = true;
    if (wr) {
      sock.sendShutdown = true;
      const { next, fin } = closeStateFor(sock.state);
      if (fin) {
        setState(this, sock, next, `shutdown(${how})`);
        queueFin(this, sock);
      }
    }
    return ok(undefined);
  }

  private abortConnect(sock: Sock): void {
    sock.rcvShutdown = sock.sendShutdown = true;
    setState(this, sock, 'CLOSED', 'shutdown() during connect');
    if (sock.local && sock.remote) sock.host.conns.delete(connKey(sock.local, sock.remote));
  }

  close(pid: number, fd: number): Result<void> {
    const p = this.procs.get(pid);
    if (!p?.alive) return fail('ESRCH');
    const sock = p.fds.get(fd);
    if (!sock) return fail('EBADF');
    p.fds.delete(fd);
    if (fd < p.lowestFree) p.lowestFree = fd;
    if (this.dropReference(p, fd, sock)) tcpClose(this, sock);
    return ok(undefined);
  }

  /** dup(): a second descriptor for the same socket, the lowest free one (Linux dup / F_DUPFD). */
  dup(pid: number, fd: number): Result<number> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const p = this.procs.get(pid)!;
    const nfd = allocFd(p);
    if (nfd > 65535) return fail('EMFILE');
    p.fds.set(nfd, r.value);
    r.value.refs++;
    return ok(nfd);
  }

  /**
   * A descriptor is gone: true when it was the socket's last reference, so the TCP close must run
   * (Linux: __fput() → sock_close() → inet_release() → tcp_close() only when the file's count drops to 0).
   * Otherwise the socket stays as it is, and `ss -p` names one of the remaining holders.
   */
  private dropReference(p: Process, fd: number, sock: Sock): boolean {
    sock.refs = Math.max(0, sock.refs - 1);
    if (sock.refs === 0) return true;
    if (sock.owner?.pid === p.pid && sock.owner.fd === fd) {
      sock.owner = null;
      for (const q of this.procs.values()) {
        if (!q.alive) continue;
        for (const [qfd, s] of q.fds) {
          if (s === sock && !(q === p && qfd === fd)) {
            sock.owner = { pid: q.pid, fd: qfd };
            break;
          }
        }
        if (sock.owner) break;
      }
    }
    return false;
  }

  getsockname(pid: number, fd: number): Result<string> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    return ok(r.value.local ? formatEndpoint(r.value.local) : '0.0.0.0:0');
  }

  getpeername(pid: number, fd: number): Result<string> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    if (!s.remote || !(s.connected || s.state === 'ESTABLISHED')) return fail('ENOTCONN');
    return ok(formatEndpoint(s.remote));
  }

  /** Linux tcp_poll(). */
  poll(pid: number, fd: number): Result<PollState> {
    const r = this.fdSock(pid, fd);
    if (!r.ok) return r;
    const s = r.value;
    if (s.state === 'LISTEN') {
      return ok({ readable: s.acceptQueue.size > 0, writable: false, hup: false, rdhup: false, error: false });
    }
    const closed = s.state === 'CLOSED' || s.tw;
    const shutAll = s.rcvShutdown && s.sendShutdown;
    const dataReady = (s.tcb?.recvBuf.length ?? 0) > 0;
    const connecting = s.state === 'SYN_SENT' || s.state === 'SYN_RECV';
    const hup = shutAll || (closed && s.tcb !== null);
    const writable = !connecting && (s.sendShutdown || closed || s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT');
    return ok({
      readable: dataReady || s.rcvShutdown || s.err !== null || (closed && s.tcb !== null),
      writable: (writable && s.tcb !== null) || s.err !== null,
      hup,
      rdhup: s.rcvShutdown,
      error: s.err !== null,
    });
  }
}

export function createKernel(opts: KernelOptions = {}): Kernel {
  return new Kernel(opts);
}
