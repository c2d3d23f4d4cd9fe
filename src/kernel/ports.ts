import type { Kernel } from './kernel.ts';
import type { Host } from './network.ts';
import { connKey } from './network.ts';
import type { Sock } from './sock.ts';
import type { Endpoint } from './types.ts';
import { reuseportShares } from './reuseport.ts';
import { reuseTimewait } from './tw-reuse.ts';

/** One round of a 32-bit integer mixer (murmur3 finalizer style). */
export function mix32(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const ipNumbers = new Map<string, number>();
function ipNumber(ip: string): number {
  let n = ipNumbers.get(ip);
  if (n === undefined) {
    n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) >>> 0;
    ipNumbers.set(ip, n);
  }
  return n;
}

/**
 * Linux secure_tcp_seq(): a keyed hash of the 4-tuple plus a clock ticking every 64 ns, so a new
 * connection on the same 4-tuple starts after the old one (what lets a SYN replace a TIME_WAIT).
 */
export function initialSequence(secret: number, local: Endpoint, remote: Endpoint, nowUs: number): number {
  const base = mix32(mix32(mix32(mix32(secret, ipNumber(local.ip)), local.port), ipNumber(remote.ip)), remote.port);
  return (base + Math.floor((nowUs * 1000) / 64)) % 2 ** 32;
}

/** True when the port on this address is taken for bind() purposes (Linux inet_csk_bind_conflict, simplified). */
export function bindConflict(host: Host, sock: Sock, ip: string, port: number): boolean {
  const users = host.bound.get(port);
  if (!users) return false;
  for (const other of users) {
    if (other === sock || other.destroyed || !other.local) continue;
    const overlap = other.local.ip === ip || other.local.ip === '0.0.0.0' || ip === '0.0.0.0';
    if (!overlap) continue;
    // SO_REUSEADDR on both lets a port be shared, except with a listener. A TIME_WAIT socket keeps the flag
    // of the socket it was (tw_reuse): a port left in TIME_WAIT by a socket without SO_REUSEADDR stays taken,
    // whatever the new socket sets (inet_bind_conflict compares sk_reuse on both sides).
    if (sock.reuseAddr && other.reuseAddr && other.state !== 'LISTEN') continue;
    // SO_REUSEPORT on both: any number of sockets may share the port, listeners included.
    if (reuseportShares(sock, other)) continue;
    return true;
  }
  return false;
}

function hasExplicitUser(users: Set<Sock>): boolean {
  for (const u of users) if (u.explicitBind || u.state === 'LISTEN') return true;
  return false;
}

/** bind(port 0): Linux inet_csk_find_open_port() starts at a random point and prefers odd ports. */
export function pickBindPort(k: Kernel, sock: Sock, ip: string): number | undefined {
  const [lo, hi] = k.sysctl.portRange();
  const span = hi - lo + 1;
  const start = k.prng.int(span);
  const reserved = k.sysctl.reservedPorts();
  for (const parity of [1, 0]) {
    for (let i = 0; i < span; i++) {
      const port = lo + ((start + i) % span);
      if (port % 2 !== parity || reserved.has(port)) continue;
      if (!bindConflict(sock.host, sock, ip, port)) return port;
    }
  }
  return undefined;
}

/**
 * connect() on an unbound socket: Linux __inet_hash_connect() walks the range from a per-destination
 * offset, even ports first, skipping ip_local_reserved_ports, ports someone bound explicitly and 4-tuples
 * already in use — a TIME_WAIT among them unless tcp_tw_reuse lets connect() take it over (tw-reuse.ts).
 * Like Linux, it may pick the destination's own port: a self-connection.
 */
export function pickConnectPort(k: Kernel, sock: Sock, local: string, remote: Endpoint): number | undefined {
  const host = sock.host;
  const [lo, hi] = k.sysctl.portRange();
  const span = hi - lo + 1;
  const key = `${remote.ip}:${remote.port}`;
  let offset = host.portPerturb.get(key);
  if (offset === undefined) offset = k.prng.int(span);
  const reserved = k.sysctl.reservedPorts();
  for (const parity of [0, 1]) {
    for (let i = 0; i < span; i++) {
      const port = lo + ((offset + i) % span);
      if (port % 2 !== parity || reserved.has(port)) continue;
      const users = host.bound.get(port);
      if (users && hasExplicitUser(users)) continue;
      const existing = host.conns.get(connKey({ ip: local, port }, remote));
      if (existing && !reuseTimewait(k, existing, sock, false)) continue;
      host.portPerturb.set(key, (offset + i + 2) % span);
      return port;
    }
  }
  return undefined;
}
