/**
 * Random programs of syscalls over a few processes, and the invariants every run must keep. Shared by the
 * property test (npm test) and the long fuzz run (npm run fuzz).
 */
import fc from 'fast-check';
import { createKernel } from '../kernel.ts';
import { isLegalTransition } from '../state.ts';
import type { SegmentEvent } from '../trace.ts';
import type { ShutdownHow } from '../types.ts';
import type { SockOpt } from '../kernel.ts';

export type Op =
  | { op: 'listen'; p: number; port: number }
  | { op: 'connect'; p: number; port: number; bindPort: number | null }
  | { op: 'accept'; p: number }
  | { op: 'send'; p: number; s: number; n: number }
  | { op: 'recv'; p: number; s: number }
  | { op: 'shutdown'; p: number; s: number; how: ShutdownHow }
  | { op: 'close'; p: number; s: number }
  | { op: 'linger0'; p: number; s: number }
  | { op: 'kill'; p: number }
  | { op: 'advance'; us: number }
  | { op: 'drop'; p: number; s: number; flags: string | null }
  | { op: 'sockopt'; p: number; s: number; opt: SockOpt }
  | { op: 'dup'; p: number; s: number }
  | { op: 'silence'; p: number; s: number }
  | { op: 'heal' }
  | { op: 'sysctl'; key: string; value: string };

export interface Program {
  seed: number;
  ops: Op[];
}

const PORTS = [8080, 8081, 6666];
const proc = fc.integer({ min: 0, max: 2 });
const sockIx = fc.integer({ min: 0, max: 3 });

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('listen' as const), p: proc, port: fc.constantFrom(...PORTS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('connect' as const), p: proc, port: fc.constantFrom(...PORTS), bindPort: fc.option(fc.constantFrom(6666, 40000, 40001), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('accept' as const), p: proc }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), p: proc, s: sockIx, n: fc.integer({ min: 1, max: 70000 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('recv' as const), p: proc, s: sockIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('shutdown' as const), p: proc, s: sockIx, how: fc.constantFrom<ShutdownHow>('SHUT_RD', 'SHUT_WR', 'SHUT_RDWR') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('close' as const), p: proc, s: sockIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('linger0' as const), p: proc, s: sockIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('kill' as const), p: proc }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('advance' as const), us: fc.constantFrom(10, 100, 3_000, 40_000, 250_000, 2_000_000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), p: proc, s: sockIx, flags: fc.constantFrom<string | null>('.', 'F.', 'S', 'S.', 'P.', null) }) },
  // The options and limits of the production lessons: keepalive, user timeout, SO_REUSEPORT, TCP_LINGER2, dup,
  // a silent peer, and small orphan / TIME_WAIT limits.
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('sockopt' as const),
      p: proc,
      s: sockIx,
      opt: fc.constantFrom<SockOpt>(
        { name: 'SO_KEEPALIVE', value: true },
        { name: 'TCP_KEEPIDLE', value: 1 },
        { name: 'TCP_KEEPINTVL', value: 1 },
        { name: 'TCP_KEEPCNT', value: 2 },
        { name: 'TCP_USER_TIMEOUT', value: 700 },
        { name: 'SO_REUSEPORT', value: true },
        { name: 'TCP_LINGER2', value: -1 },
        { name: 'TCP_LINGER2', value: 1 },
        { name: 'TCP_LINGER2', value: 500 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dup' as const), p: proc, s: sockIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('silence' as const), p: proc, s: sockIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('heal' as const) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Op>(
      { op: 'sysctl', key: 'net.ipv4.tcp_max_orphans', value: '1' },
      { op: 'sysctl', key: 'net.ipv4.tcp_max_tw_buckets', value: '1' },
      { op: 'sysctl', key: 'net.ipv4.tcp_tw_reuse', value: '1' },
      { op: 'sysctl', key: 'net.ipv4.tcp_orphan_retries', value: '1' },
      { op: 'sysctl', key: 'net.ipv4.ip_local_port_range', value: '40000\t40003' },
      { op: 'sysctl', key: 'net.ipv4.ip_local_reserved_ports', value: '40001' },
    ),
  },
);

/** Most programs start from a connected pair (p0 listens on 8080, p1 connects, p0 accepts) so they reach deep states. */
const PREAMBLE: Op[] = [
  { op: 'listen', p: 0, port: 8080 },
  { op: 'connect', p: 1, port: 8080, bindPort: null },
  { op: 'advance', us: 100 },
  { op: 'accept', p: 0 },
];

export const programArb: fc.Arbitrary<Program> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  preamble: fc.boolean(),
  ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
}).map(({ seed, preamble, ops }) => ({ seed, ops: preamble ? [...PREAMBLE, ...ops] : ops }));

/** A byte stream each socket writes: position i holds (i % 251), so the receiver can check order and gaps. */
function pattern(offset: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (offset + i) % 251;
  return out;
}

export interface Violation {
  invariant: string;
  detail: string;
}

/** Runs a program; returns the first invariant it breaks, or null. Exceptions are violations too. */
export function checkProgram(program: Program): Violation | null {
  const k = createKernel({ seed: program.seed, sysctl: { 'net.ipv4.tcp_fin_timeout': 30 } });
  const pids = [k.spawn('p0'), k.spawn('p1'), k.spawn('p2')];
  const fds: number[][] = [[], [], []];
  const written = new Map<number, number>(); // socket id → bytes accepted by send()
  const read = new Map<number, { bytes: number; ok: boolean; eof: boolean }>();
  const resetSeen = new Set<string>();
  let violation: Violation | null = null;
  const fail = (invariant: string, detail: string) => {
    violation ??= { invariant, detail };
  };

  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  k.trace.subscribe((e) => {
    if (e.kind === 'state' && !isLegalTransition(e.from, e.to)) fail('legal transitions', `${k.label(e.sock)}: ${e.from} → ${e.to} (${e.reason})`);
    if (e.kind === 'segment' && e.flags.includes('R')) resetSeen.add(pairKey(e.src, e.dst));
  });

  const sockOf = (p: number, s: number) => {
    const list = fds[p]!;
    if (list.length === 0) return undefined;
    return list[s % list.length]!;
  };

  try {
    for (const op of program.ops) {
      if (violation) break;
      if (op.op === 'advance') {
        k.advanceBy(op.us);
        continue;
      }
      if (op.op === 'heal') {
        k.dropRules = k.dropRules.filter((r) => r.tag === undefined);
        continue;
      }
      if (op.op === 'sysctl') {
        k.sysctl.set(op.key, op.value);
        continue;
      }
      const pid = pids[op.p]!;
      if (!k.process(pid)) continue;
      switch (op.op) {
        case 'listen': {
          const fd = k.socket(pid);
          if (!fd.ok) break;
          fds[op.p]!.push(fd.value);
          k.bind(pid, fd.value, `127.0.0.1:${op.port}`);
          k.listen(pid, fd.value, 2);
          break;
        }
        case 'connect': {
          const fd = k.socket(pid);
          if (!fd.ok) break;
          fds[op.p]!.push(fd.value);
          if (op.bindPort !== null) k.bind(pid, fd.value, `127.0.0.1:${op.bindPort}`);
          k.connect(pid, fd.value, `127.0.0.1:${op.port}`);
          break;
        }
        case 'accept': {
          for (const fd of fds[op.p]!) {
            const r = k.accept(pid, fd);
            if (r.ok) {
              fds[op.p]!.push(r.value.fd);
              break;
            }
          }
          break;
        }
        case 'send': {
          const fd = sockOf(op.p, op.s);
          if (fd === undefined) break;
          const id = k.socketOf(pid, fd);
          if (id === undefined) break;
          const off = written.get(id) ?? 0;
          const r = k.send(pid, fd, pattern(off, op.n));
          if (r.ok) written.set(id, off + r.value);
          break;
        }
        case 'recv': {
          const fd = sockOf(op.p, op.s);
          if (fd === undefined) break;
          const id = k.socketOf(pid, fd);
          if (id === undefined) break;
          const r = k.recv(pid, fd, 100000);
          const st = read.get(id) ?? { bytes: 0, ok: true, eof: false };
          if (r.ok) {
            // EOF because the peer's FIN arrived (not merely because we shut our read side down).
            if (r.value.length === 0 && k.sock(id)?.done) st.eof = true;
            for (let i = 0; i < r.value.length; i++) if (r.value[i] !== (st.bytes + i) % 251) st.ok = false;
            st.bytes += r.value.length;
          }
          read.set(id, st);
          if (!st.ok) fail('bytes in order, exactly once', `socket ${k.label(id)} read a byte out of order at offset ${st.bytes}`);
          break;
        }
        case 'shutdown': {
          const fd = sockOf(op.p, op.s);
          if (fd !== undefined) k.shutdown(pid, fd, op.how);
          break;
        }
        case 'close': {
          const fd = sockOf(op.p, op.s);
          if (fd === undefined) break;
          k.close(pid, fd);
          fds[op.p] = fds[op.p]!.filter((f) => f !== fd);
          break;
        }
        case 'linger0': {
          const fd = sockOf(op.p, op.s);
          if (fd !== undefined) k.setsockopt(pid, fd, { name: 'SO_LINGER', value: { on: true, seconds: 0 } });
          break;
        }
        case 'kill':
          k.kill(pid);
          fds[op.p] = [];
          break;
        case 'drop': {
          const fd = sockOf(op.p, op.s);
          const id = fd === undefined ? undefined : k.socketOf(pid, fd);
          if (id !== undefined) k.dropNext(id, op.flags);
          break;
        }
        case 'sockopt': {
          const fd = sockOf(op.p, op.s);
          if (fd !== undefined) k.setsockopt(pid, fd, op.opt);
          break;
        }
        case 'dup': {
          const fd = sockOf(op.p, op.s);
          const r = fd === undefined ? undefined : k.dup(pid, fd);
          if (r?.ok) fds[op.p]!.push(r.value);
          break;
        }
        case 'silence': {
          const fd = sockOf(op.p, op.s);
          const id = fd === undefined ? undefined : k.socketOf(pid, fd);
          if (id !== undefined) k.dropAll(id, null);
          break;
        }
      }
    }
    if (violation) return violation;
    // The bytes each receiver read are the bytes its peer wrote, in order: checked above byte by byte.
    // A receiver that saw EOF on a connection no RST touched has read everything its peer wrote.
    for (const [id, st] of read) {
      if (!st.eof) continue;
      const s = k.sock(id);
      if (!s?.local || !s.remote) continue;
      if (resetSeen.has(pairKey(`${s.local.ip}:${s.local.port}`, `${s.remote.ip}:${s.remote.port}`))) continue;
      const peer = [...written.keys()].find((pid2) => {
        const p = k.sock(pid2);
        return p?.local && p.remote && p.local.port === s.remote!.port && p.remote.port === s.local!.port;
      });
      if (peer !== undefined && (written.get(peer) ?? 0) !== st.bytes) {
        fail('bytes exactly once', `${k.label(id)} saw EOF after ${st.bytes} bytes but its peer wrote ${written.get(peer)}`);
      }
    }
    // Sequence and acknowledgement numbers never go backwards in a direction (per connection incarnation).
    const lastAck = new Map<string, number>();
    const highEnd = new Map<string, number>();
    for (const e of k.trace.events) {
      if (e.kind !== 'segment' || e.flags.includes('R')) continue;
      const seg = e as SegmentEvent;
      const dir = `${seg.src}>${seg.dst}`;
      if (seg.flags.includes('S')) {
        lastAck.delete(dir);
        highEnd.set(dir, seg.seq + 1);
        continue;
      }
      if (seg.flags.includes('.')) {
        const prev = lastAck.get(dir);
        if (prev !== undefined && seg.ack < prev) fail('ack never goes backwards', `${dir}: ack ${seg.ack} after ${prev} at t=${seg.t}`);
        lastAck.set(dir, Math.max(prev ?? 0, seg.ack));
      }
      const end = seg.seq + seg.len + (seg.flags.includes('F') ? 1 : 0);
      const high = highEnd.get(dir);
      if (high !== undefined && seg.seq > high) fail('no gap in sequence space', `${dir}: seq ${seg.seq} beyond ${high}`);
      highEnd.set(dir, Math.max(high ?? 0, end));
    }
    // Every descriptor closed, six virtual minutes later nothing is left. The longest lives: an orphan resending
    // to a silent peer (tcp_orphan_retries 0 → 8 doublings, about 105 s, or 220 s when its RTO reaches
    // TCP_RTO_MAX first), an orphan probing a zero window (until its back-off reaches TCP_RTO_MAX, about 5 min).
    for (const pid of pids) k.exit(pid);
    k.advanceBy(360_000_000);
    const left = k.sockets();
    if (left.length > 0) fail('nothing left 6 minutes after every descriptor is closed', left.map((s) => `${s.label} ${s.state}`).join(', '));
  } catch (e) {
    fail('no exception', e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  return violation;
}
