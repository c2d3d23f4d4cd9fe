/**
 * The kernel's TCP socket tables on Linux (/proc/net/tcp and tcp6), one row per socket: its fields as the
 * kernel prints them (sl, local_address, rem_address, st, queues, …, uid at 7) and both addresses decoded.
 * Empty where there is no /proc (not Linux).
 */
import { readFileSync } from 'node:fs';

export interface ProcTcpEnd {
  ip: string;
  port: number;
}

export interface ProcTcpRow {
  fields: string[];
  local: ProcTcpEnd | null;
  remote: ProcTcpEnd | null;
}

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

export function procNetTcpRows(): ProcTcpRow[] {
  const rows: ProcTcpRow[] = [];
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
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      rows.push({ fields, local: parse(fields[1]!), remote: parse(fields[2]!) });
    }
  }
  return rows;
}
