/**
 * Who is on the other end of a loopback connection. On Linux the kernel's socket tables (/proc/net/tcp and
 * tcp6) name the owner (uid) of every socket: the browser's socket that connects to this server belongs to
 * the user running that browser. A connection from another user of the machine is then refused whatever
 * secret it carries, so a token or a cookie copied from somewhere is useless to anyone but the owner.
 * Elsewhere (macOS) the owner cannot be read and the other checks stand alone.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/** "0100007F:1F90" (little-endian IPv4 as /proc prints it on x86 and arm) → 127.0.0.1:8080. */
function parseV4(hex: string): { ip: string; port: number } | null {
  const [a, p] = hex.split(':');
  if (!a || !p || a.length !== 8) return null;
  const n = Number.parseInt(a, 16);
  return { ip: [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.'), port: Number.parseInt(p, 16) };
}

/** IPv6 in /proc: four little-endian 32-bit words. Only the IPv4-mapped and ::1 forms matter here. */
function parseV6(hex: string): { ip: string; port: number } | null {
  const [a, p] = hex.split(':');
  if (!a || !p || a.length !== 32) return null;
  const words = [0, 1, 2, 3].map((i) => {
    const w = a.slice(i * 8, i * 8 + 8);
    return w.slice(6, 8) + w.slice(4, 6) + w.slice(2, 4) + w.slice(0, 2);
  });
  const full = words.join('').toLowerCase();
  let ip: string;
  if (full === '00000000000000000000000000000001') ip = '::1';
  else if (full.startsWith('00000000000000000000ffff')) {
    const v4 = full.slice(24);
    ip = [0, 2, 4, 6].map((i) => Number.parseInt(v4.slice(i, i + 2), 16)).join('.');
  } else ip = full;
  return { ip, port: Number.parseInt(p, 16) };
}

const norm = (ip: string) => ip.replace(/^::ffff:/, '');

/**
 * The uid owning the peer socket of `socket` (a connection accepted by this process), or undefined when it
 * cannot be known (not Linux, no /proc, the peer already gone).
 */
export function peerUid(socket: Pick<Socket, 'remoteAddress' | 'remotePort' | 'localAddress' | 'localPort'>): number | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (!remoteAddress || !remotePort || !localAddress || !localPort) return undefined;
  for (const [file, parse] of [
    ['/proc/net/tcp', parseV4],
    ['/proc/net/tcp6', parseV6],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8) continue;
      const local = parse(f[1]!);
      const rem = parse(f[2]!);
      // The peer's socket: its local end is our remote end, and it points at us.
      if (local && rem && local.port === remotePort && norm(local.ip) === norm(remoteAddress) && rem.port === localPort && norm(rem.ip) === norm(localAddress)) {
        return Number(f[7]);
      }
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
