/**
 * From the script's numbers to the wire's and back, as packetdrill does: sequence numbers are relative to
 * each side's initial sequence number. The remote peer's is REMOTE_ISN; the kernel's is learned from the
 * last SYN or SYN-ACK it sent (before any, the script's numbers are taken as absolute). A timestamp echo the
 * script writes is shifted by the difference between the kernel's real TS val and the one the script wrote
 * for it. Ports: the kernel's listener is on LOCAL_PORT, connect() goes to the remote LOCAL_PORT, and the
 * ports of the kernel's last packet are the connection's. The real-Linux executor applies the same rules.
 */
import type { PacketSpec, TcpOptionSpec } from './ast.ts';
import type { WirePacket } from './observation.ts';

export const REMOTE_ISN = 0;
/** Where bind() puts the socket under test, and where connect() goes on the remote side (packetdrill's 8080). */
export const LOCAL_PORT = 8080;
/** The remote peer's port for connections it opens. */
export const REMOTE_PORT = 40000;
export const MOD = 2 ** 32;

const wrap = (n: number) => ((n % MOD) + MOD) % MOD;

export class Mapper {
  /** The kernel's ISN (as the executor's kernel numbers it; the simulator's is < 2^32). */
  localIsn: number | null = null;
  /** Real TS val minus the script's, learned from the first outbound packet whose line gives a TS val. */
  tsOffset: number | null = null;
  /** The kernel's latest TS val, echoed when no offset is known yet. */
  lastTsVal: number | null = null;
  localPort = LOCAL_PORT;
  remotePort = REMOTE_PORT;

  /** connect() aims at the remote peer's LOCAL_PORT. */
  onConnect(): void {
    this.remotePort = LOCAL_PORT;
  }

  /** A packet the kernel sent, taken by a `>` line (`spec`) or seen otherwise (null). */
  onOutbound(p: WirePacket, spec: PacketSpec | null): void {
    if (p.flags.includes('S')) this.localIsn = p.seq;
    this.localPort = p.srcPort;
    this.remotePort = p.dstPort;
    const ts = p.options.find((o) => o.kind === 'ts');
    if (ts?.kind === 'ts') {
      this.lastTsVal = ts.val;
      const want = spec?.options?.find((o) => o.kind === 'ts');
      if (this.tsOffset === null && want?.kind === 'ts') this.tsOffset = ts.val - want.val;
    }
  }

  /** An acknowledgement or SACK edge the script writes about the kernel's data: absolute, not wrapped. */
  localAbs(rel: number): number {
    return this.localIsn === null ? rel : this.localIsn + rel;
  }

  localRel(abs: number): number {
    return this.localIsn === null ? abs : wrap(abs - this.localIsn);
  }

  remoteAbs(rel: number): number {
    return wrap(REMOTE_ISN + rel);
  }

  remoteRel(abs: number): number {
    return wrap(abs - REMOTE_ISN);
  }

  /** The options of an injected packet: SACK edges on the kernel's numbers, a TS echo on its clock. */
  inboundOptions(options: TcpOptionSpec[]): TcpOptionSpec[] {
    return options.map((o) => {
      if (o.kind === 'sack') return { kind: 'sack', blocks: o.blocks.map(([a, b]) => [this.localAbs(a), this.localAbs(b)] as [number, number]) };
      if (o.kind === 'ts' && o.ecr !== 0) {
        const ecr = this.tsOffset !== null ? wrap(o.ecr + this.tsOffset) : (this.lastTsVal ?? o.ecr);
        return { kind: 'ts', val: o.val, ecr };
      }
      return o;
    });
  }

  /** The packet a `<` line injects, absolute (the acknowledgement unwrapped, for the simulator's numbers). */
  inbound(spec: PacketSpec, t: number): WirePacket {
    return {
      t,
      srcPort: this.remotePort,
      dstPort: this.localPort,
      flags: spec.flags,
      seq: this.remoteAbs(spec.seq),
      ack: spec.ack === null ? 0 : this.localAbs(spec.ack),
      win: spec.win ?? (spec.flags.includes('R') ? 0 : 65535),
      len: spec.len,
      options: spec.options ? this.inboundOptions(spec.options) : [],
    };
  }

  /** An outbound packet in the script's numbers (for comparing and showing). */
  relative(p: WirePacket): WirePacket {
    return {
      ...p,
      seq: this.localRel(p.seq),
      ack: this.remoteRel(p.ack),
      options: p.options.map((o) => (o.kind === 'sack' ? { kind: 'sack', blocks: o.blocks.map(([a, b]) => [this.remoteRel(a), this.remoteRel(b)] as [number, number]) } : o)),
    };
  }
}
