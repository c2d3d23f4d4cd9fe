/**
 * Who is on the other end of a loopback connection. On Linux the kernel's socket tables (/proc/net/tcp and
 * tcp6) name the owner (uid) of every socket: the browser's socket that connects to this server belongs to
 * the user running that browser. A connection from another user of the machine is then refused whatever
 * secret it carries, so a token or a cookie copied from somewhere is useless to anyone but the owner.
 * Elsewhere (macOS) the owner cannot be read and the other checks stand alone.
 */
import type { Socket } from 'node:net';
import { procNetTcpRows } from './proc-net-tcp.ts';

const norm = (ip: string) => ip.replace(/^::ffff:/, '');

/**
 * The uid owning the peer socket of `socket` (a connection accepted by this process), or undefined when it
 * cannot be known (not Linux, no /proc, the peer already gone).
 */
export function peerUid(socket: Pick<Socket, 'remoteAddress' | 'remotePort' | 'localAddress' | 'localPort'>): number | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return undefined;
  for (const { fields: f, local, remote: rem } of procNetTcpRows()) {
    if (f.length < 8) continue;
    // The peer's socket: its local end is our remote end, and it points at us.
    if (local && rem && local.port === remotePort && norm(local.ip) === norm(remoteAddress) && rem.port === localPort && norm(rem.ip) === norm(localAddress)) {
      return Number(f[7]);
    }
  }
  return undefined;
}

/** True when the peer is this process's own user, or when that cannot be known on this system. */
export function peerIsOwner(socket: Pick<Socket, 'remoteAddress' | 'remotePort' | 'localAddress' | 'localPort'>): boolean {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return true;
  const uid = peerUid(socket);
  return uid === undefined ? false : uid === process.getuid();
}
