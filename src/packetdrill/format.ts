/** Packets and times written the way packetdrill writes them: `0.100000 F. 1:1(0) ack 1 win 502 <nop,nop,TS val 5 ecr 9>`. */
import type { CallSpec, PacketSpec, TcpOptionSpec } from './ast.ts';
import type { WirePacket } from './observation.ts';

export const seconds = (us: number): string => (us / 1e6).toFixed(6);

export function formatOptionSpec(o: TcpOptionSpec): string {
  switch (o.kind) {
    case 'mss':
    case 'wscale':
      return `${o.kind} ${o.value}`;
    case 'ts':
      return `TS val ${o.val} ecr ${o.ecr}`;
    case 'sack':
      return `sack ${o.blocks.map(([a, b]) => `${a}:${b}`).join(' ')}`;
    default:
      return o.kind;
  }
}

export const formatOptions = (options: TcpOptionSpec[]): string => options.map(formatOptionSpec).join(',');

/** A packet as a script line writes it (without time and direction). */
export function formatSpec(p: PacketSpec): string {
  const parts = [p.flags === '' ? '-' : p.flags, `${p.seq}:${(p.seq + p.len) % 2 ** 32}(${p.len})`];
  if (p.ack !== null) parts.push(`ack ${p.ack}`);
  if (p.win !== null) parts.push(`win ${p.win}`);
  if (p.options === null) parts.push('<...>');
  else if (p.options.length > 0) parts.push(`<${formatOptions(p.options)}>`);
  return parts.join(' ');
}

/** A packet seen on the wire, in the script's (relative) numbers. */
export function formatPacket(p: WirePacket): string {
  const parts = [p.flags === '' ? '-' : p.flags, `${p.seq}:${(p.seq + p.len) % 2 ** 32}(${p.len})`];
  if (p.flags.includes('.')) parts.push(`ack ${p.ack}`);
  parts.push(`win ${p.win}`);
  if (p.options.length > 0) parts.push(`<${formatOptions(p.options)}>`);
  return parts.join(' ');
}

/** The call as written, with its expected result: `close(4) = 0`, `read(4, ..., 10) = -1 ECONNRESET`. */
export function formatCall(spec: CallSpec): string {
  const c = spec.call;
  let args: string;
  switch (c.name) {
    case 'socket':
      args = '..., SOCK_STREAM, IPPROTO_TCP';
      break;
    case 'bind':
    case 'accept':
    case 'connect':
      args = `${c.fd}, ..., ...`;
      break;
    case 'listen':
      args = `${c.fd}, ${c.backlog}`;
      break;
    case 'setsockopt': {
      const v = typeof c.value === 'number' ? `[${c.value}]` : `{onoff=${c.value.onoff}, linger=${c.value.linger}}`;
      args = `${c.fd}, ${c.level === 'IPPROTO_TCP' ? 'SOL_TCP' : 'SOL_SOCKET'}, ${c.option}, ${v}, ${typeof c.value === 'number' ? 4 : 8}`;
      break;
    }
    case 'getsockopt':
      args = `${c.fd}, SOL_SOCKET, SO_ERROR, [${spec.value ?? 0}], [4]`;
      break;
    case 'fcntl':
      args = c.cmd === 'F_GETFL' ? `${c.fd}, F_GETFL` : `${c.fd}, F_SETFL, O_RDWR${c.nonblock ? '|O_NONBLOCK' : ''}`;
      break;
    case 'read':
    case 'write':
      args = `${c.fd}, ..., ${c.count}`;
      break;
    case 'recv':
    case 'send':
      args = `${c.fd}, ..., ${c.count}, 0`;
      break;
    case 'shutdown':
      args = `${c.fd}, ${c.how}`;
      break;
    case 'close':
      args = `${c.fd}`;
      break;
  }
  return `${c.name}(${args})`;
}

export const formatResult = (result: number | null, errno: string | null): string => (result === null ? 'no return' : errno ? `${result} ${errno}` : String(result));
