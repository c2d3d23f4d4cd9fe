/** Shared types of the simulated kernel. */
import type { TcpOption } from './options.ts';

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSE_WAIT'
  | 'CLOSING'
  | 'LAST_ACK'
  | 'TIME_WAIT';

export const TCP_STATES: readonly TcpState[] = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT',
];

/** Linux errno names the syscalls return. */
export type Errno =
  | 'EAGAIN'
  | 'EBADF'
  | 'EINVAL'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ETIMEDOUT'
  | 'EPIPE'
  | 'ENOTCONN'
  | 'EISCONN'
  | 'EALREADY'
  | 'EINPROGRESS'
  | 'EOPNOTSUPP'
  | 'EMFILE'
  | 'ESRCH'
  | 'ENOPROTOOPT'
  | 'ENETUNREACH';

export const ERRNO_TEXT: Record<Errno, string> = {
  EAGAIN: 'Resource temporarily unavailable',
  EBADF: 'Bad file descriptor',
  EINVAL: 'Invalid argument',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
  ENOTCONN: 'Transport endpoint is not connected',
  EISCONN: 'Transport endpoint is already connected',
  EALREADY: 'Operation already in progress',
  EINPROGRESS: 'Operation now in progress',
  EOPNOTSUPP: 'Operation not supported',
  EMFILE: 'Too many open files',
  ESRCH: 'No such process',
  ENOPROTOOPT: 'Protocol not available',
  ENETUNREACH: 'Network is unreachable',
};

export type Result<T> = { ok: true; value: T } | { ok: false; errno: Errno };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(errno: Errno): Result<T> => ({ ok: false, errno });

export interface Endpoint {
  ip: string;
  port: number;
}

export const formatEndpoint = (e: Endpoint): string => `${e.ip}:${e.port}`;

const parsedEndpoints = new Map<string, Endpoint | undefined>();

/** Parses "127.0.0.1:8080"; undefined when it is not an IPv4 address and port. Results are shared: never mutate them. */
export function parseEndpoint(text: string): Endpoint | undefined {
  if (parsedEndpoints.has(text)) return parsedEndpoints.get(text);
  const ep = parseEndpointUncached(text);
  if (parsedEndpoints.size < 10_000) parsedEndpoints.set(text, ep);
  return ep;
}

function parseEndpointUncached(text: string): Endpoint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const port = Number(m[5]);
  if (octets.some((o) => o > 255) || port > 65535) return undefined;
  return Object.freeze({ ip: octets.join('.'), port });
}

export interface SegmentFlags {
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
  psh: boolean;
}

/** tcpdump's notation: S, S., ., P., F., FP., R, R. */
export function flagString(f: SegmentFlags): string {
  let s = '';
  if (f.syn) s += 'S';
  if (f.fin) s += 'F';
  if (f.rst) s += 'R';
  if (f.psh) s += 'P';
  if (f.ack) s += '.';
  return s === '' ? 'none' : s;
}

/** A segment on the wire (absolute sequence numbers, as the kernel sees them). */
export interface Segment {
  src: Endpoint;
  dst: Endpoint;
  seq: number;
  ack: number;
  flags: SegmentFlags;
  win: number;
  data: Uint8Array;
  /** TCP options, on connections that model them (the wire): mss, sackOK, TS, wscale, sack, nop. */
  options?: readonly TcpOption[];
}

export type ShutdownHow = 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR';

export interface PollState {
  /** recv would not block: data, EOF or an error is there (or, listening, a connection to accept). */
  readable: boolean;
  /** send would not block (or would fail at once). */
  writable: boolean;
  /** POLLHUP: both directions shut down, or the socket is closed. */
  hup: boolean;
  /** POLLRDHUP: the peer's FIN (or our SHUT_RD) ended the read side. */
  rdhup: boolean;
  /** POLLERR: a pending error (read it with SO_ERROR). */
  error: boolean;
}
