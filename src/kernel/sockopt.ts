/**
 * setsockopt() for the options of the production lessons: SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL,
 * TCP_KEEPCNT, TCP_USER_TIMEOUT, SO_REUSEPORT, TCP_LINGER2 and TCP_NODELAY, with Linux's ranges and errors
 * (sock_setsockopt, do_tcp_setsockopt in net/ipv4/tcp.c).
 */
import type { Kernel } from './kernel.ts';
import type { Sock } from './sock.ts';
import { fail, ok, type Result } from './types.ts';
import { MAX_TCP_KEEPCNT, MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, setKeepalive, setKeepIdle } from './keepalive.ts';
import { tcpOutput } from './output.ts';

/** Linux TCP_FIN_TIMEOUT_MAX: TCP_LINGER2 is capped at two minutes. */
export const TCP_FIN_TIMEOUT_MAX_S = 120;

export type ExtraSockOpt =
  | { name: 'SO_KEEPALIVE'; value: boolean }
  | { name: 'TCP_KEEPIDLE' | 'TCP_KEEPINTVL' | 'TCP_KEEPCNT'; value: number }
  | { name: 'TCP_USER_TIMEOUT'; value: number }
  | { name: 'SO_REUSEPORT'; value: boolean }
  | { name: 'TCP_LINGER2'; value: number }
  | { name: 'TCP_NODELAY'; value: boolean };

const inRange = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

export function setExtraSockOpt(k: Kernel, sock: Sock, opt: ExtraSockOpt): Result<void> {
  switch (opt.name) {
    case 'SO_KEEPALIVE':
      setKeepalive(k, sock, opt.value);
      return ok(undefined);
    case 'TCP_KEEPIDLE':
      // tcp_sock_set_keepidle_locked(): 1 … MAX_TCP_KEEPIDLE seconds.
      if (!inRange(opt.value, 1, MAX_TCP_KEEPIDLE)) return fail('EINVAL');
      setKeepIdle(k, sock, opt.value);
      return ok(undefined);
    case 'TCP_KEEPINTVL':
      if (!inRange(opt.value, 1, MAX_TCP_KEEPINTVL)) return fail('EINVAL');
      sock.opt.keepIntvl = opt.value;
      return ok(undefined);
    case 'TCP_KEEPCNT':
      if (!inRange(opt.value, 1, MAX_TCP_KEEPCNT)) return fail('EINVAL');
      sock.opt.keepCnt = opt.value;
      return ok(undefined);
    case 'TCP_USER_TIMEOUT':
      // "Cap the max time in ms TCP will retry or probe the window before giving up": negative is EINVAL.
      if (!inRange(opt.value, 0, 2 ** 31 - 1)) return fail('EINVAL');
      sock.opt.userTimeoutMs = opt.value;
      return ok(undefined);
    case 'SO_REUSEPORT':
      sock.opt.reusePort = opt.value;
      return ok(undefined);
    case 'TCP_LINGER2':
      // do_tcp_setsockopt(): < 0 → -1 (reset instead of FIN_WAIT_2), 0 → tcp_fin_timeout, capped at 120 s.
      if (!Number.isInteger(opt.value)) return fail('EINVAL');
      sock.opt.linger2Us = opt.value < 0 ? -1 : Math.min(opt.value, TCP_FIN_TIMEOUT_MAX_S) * 1_000_000;
      return ok(undefined);
    case 'TCP_NODELAY':
      // __tcp_sock_set_nodelay(): turning Nagle off pushes what it was holding back (tcp_push_pending_frames).
      sock.opt.noDelay = opt.value;
      if (opt.value && sock.tcb) tcpOutput(k, sock);
      return ok(undefined);
  }
}

/**
 * getsockopt() of the same options, as Linux reports them (TCP_LINGER2 0 reads back as tcp_fin_timeout). A free
 * function rather than a Kernel method, so that bundles that never call it (the browser's) leave it out.
 */
export function getsockopt(k: Kernel, pid: number, fd: number, name: ExtraSockOpt['name']): Result<number> {
  const id = k.socketOf(pid, fd);
  const sock = id === undefined ? undefined : k.sock(id);
  if (!sock) return fail(k.process(pid) ? 'EBADF' : 'ESRCH');
  return ok(optionValue(k, sock, name));
}

function optionValue(k: Kernel, sock: Sock, name: ExtraSockOpt['name']): number {
  const o = sock.opt;
  switch (name) {
    case 'SO_KEEPALIVE':
      return o.keepalive ? 1 : 0;
    case 'TCP_KEEPIDLE':
      return o.keepIdle ?? k.sysctl.int('net.ipv4.tcp_keepalive_time');
    case 'TCP_KEEPINTVL':
      return o.keepIntvl ?? k.sysctl.int('net.ipv4.tcp_keepalive_intvl');
    case 'TCP_KEEPCNT':
      return o.keepCnt ?? k.sysctl.int('net.ipv4.tcp_keepalive_probes');
    case 'TCP_USER_TIMEOUT':
      return o.userTimeoutMs;
    case 'SO_REUSEPORT':
      return o.reusePort ? 1 : 0;
    case 'TCP_LINGER2':
      return o.linger2Us < 0 ? -1 : o.linger2Us === 0 ? k.sysctl.int('net.ipv4.tcp_fin_timeout') : o.linger2Us / 1_000_000;
    case 'TCP_NODELAY':
      return o.noDelay ? 1 : 0;
  }
}
