/**
 * SO_REUSEPORT (Linux net/core/sock_reuseport.c, inet_csk_bind_conflict): several sockets of the same user
 * may bind and listen on one address and port if every one of them set SO_REUSEPORT before bind(). The kernel
 * then spreads incoming connections over the group by a hash of the 4-tuple (reuseport_select_sock:
 * reciprocal_scale(hash, n)), so one client address and port always lands on the same listener. A listener that
 * closes leaves the group (its place goes to the last member, reuseport_detach_sock); the connections waiting in
 * its own accept queue are reset, not handed to the others (tcp_migrate_req is 0 by default).
 */
import type { Kernel } from './kernel.ts';
import type { Host } from './network.ts';
import type { Sock } from './sock.ts';
import { formatEndpoint, type Endpoint } from './types.ts';
import { mix32 } from './ports.ts';

/** Listening groups by "ip:port", in Linux's socks[] order. The first member is also host.listeners' entry. */
const groups = new WeakMap<Host, Map<string, Sock[]>>();

function groupsOf(host: Host): Map<string, Sock[]> {
  let g = groups.get(host);
  if (!g) groups.set(host, (g = new Map()));
  return g;
}

/** inet_bind_conflict() on SO_REUSEPORT: both sockets set it (same user: every lab process is the learner's). */
export function reuseportShares(a: Sock, b: Sock): boolean {
  return a.opt.reusePort && b.opt.reusePort;
}

/**
 * listen(): another socket already listening on the port makes it fail (inet_csk_get_port), even with
 * SO_REUSEADDR — unless both set SO_REUSEPORT and listen on the same address.
 */
export function listenConflict(sock: Sock): boolean {
  const users = sock.local ? sock.host.bound.get(sock.local.port) : undefined;
  if (!users) return false;
  for (const u of users) {
    if (u === sock || u.state !== 'LISTEN' || !u.local || !sock.local) continue;
    const overlap = u.local.ip === sock.local.ip || u.local.ip === '0.0.0.0' || sock.local.ip === '0.0.0.0';
    if (overlap && !(reuseportShares(u, sock) && u.local.ip === sock.local.ip)) return true;
  }
  return false;
}

/** A new listener joins its address's group (reuseport_add_sock). False when it is the first: the caller registers it. */
export function addToReuseportGroup(sock: Sock): boolean {
  if (!sock.local) return false;
  const key = formatEndpoint(sock.local);
  const first = sock.host.listeners.get(key);
  if (!sock.opt.reusePort || !first || first === sock || !first.opt.reusePort) {
    if (sock.opt.reusePort) groupsOf(sock.host).set(key, [sock]);
    return false;
  }
  const g = groupsOf(sock.host);
  const members = g.get(key) ?? [first];
  members.push(sock);
  g.set(key, members);
  return true;
}

/** A listener leaves: reuseport_detach_sock() moves the last member into its place. */
export function leaveReuseportGroup(sock: Sock): void {
  if (!sock.local || !sock.opt.reusePort) return;
  const key = formatEndpoint(sock.local);
  const g = groupsOf(sock.host);
  const members = g.get(key);
  if (!members) return;
  const i = members.indexOf(sock);
  if (i < 0) return;
  const last = members.pop()!;
  if (last !== sock) members[i] = last;
  if (members.length === 0) g.delete(key);
  if (sock.host.listeners.get(key) === sock) {
    if (members[0]) sock.host.listeners.set(key, members[0]);
    else sock.host.listeners.delete(key);
  }
}

/**
 * The listener a SYN to `dst` from `src` reaches (__inet_lookup_listener + reuseport_select_sock): the exact
 * address first, then 0.0.0.0; within a SO_REUSEPORT group, the member the 4-tuple hashes to.
 * // DIVERGENCE: the hash is the model's keyed mix of the 4-tuple, not Linux's inet_ehashfn (jhash with a
 * boot-time secret), so which member gets a given client differs from a real machine — as it does between two
 * real machines.
 */
export function lookupListener(k: Kernel, host: Host, dst: Endpoint, src: Endpoint): Sock | undefined {
  for (const key of [formatEndpoint(dst), `0.0.0.0:${dst.port}`]) {
    const first = host.listeners.get(key);
    if (!first) continue;
    const members = groups.get(host)?.get(key);
    if (!members || members.length < 2) return first;
    let h = mix32(k.reuseportSecret, src.port);
    for (const part of [...src.ip.split('.'), ...dst.ip.split('.')]) h = mix32(h, Number(part));
    h = mix32(h, dst.port);
    return members[Math.floor((h * members.length) / 2 ** 32)];
  }
  return undefined;
}
