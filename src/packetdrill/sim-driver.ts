/**
 * Runs a packetdrill script on the simulated kernel: the script plays the remote peer on a wire
 * (kernel/wire.ts), its system calls are made by one process on the machine under test, and virtual time
 * advances exactly to each event's due time. Calls run one after another, as on one thread: a call that
 * blocks lets the script go on (its packets may be what unblocks it) and the next call waits for it.
 * Produces an Observation for the judge; it judges nothing itself.
 */
import { createKernel, type Kernel, type SockOpt } from '../kernel/index.ts';
import { attachWire, remoteSegment, WIRE_LOCAL_IP, WIRE_REMOTE_IP, type CapturedSegment, type Wire } from '../kernel/wire.ts';
import { closeLingering } from '../kernel/linger-close.ts';
import type { TcpOption } from '../kernel/options.ts';
import type { CallSpec, PktScript, TcpOptionSpec } from './ast.ts';
import { LOCAL_PORT, Mapper, MOD } from './mapping.ts';
import type { EventRecord, Observation, WirePacket } from './observation.ts';
import { due, nextRef } from './schedule.ts';

export interface SimDriverOptions {
  seed?: number;
  /** Sysctls set before the script starts. */
  sysctl?: Record<string, string | number>;
}

export interface SimDriverRun {
  observation: Observation;
  kernel: Kernel;
  wire: Wire;
}

/** How long a `*` line waits for its packet (virtual time). */
export const ANY_TIME_LIMIT_US = 600_000_000;

const O_RDWR = 0x2;
const O_NONBLOCK = 0x800;

function toSpec(o: TcpOption): TcpOptionSpec {
  return o.kind === 'sack' ? { kind: 'sack', blocks: o.blocks.map(([a, b]) => [a % MOD, b % MOD] as [number, number]) } : o.kind === 'ts' ? { kind: 'ts', val: o.val, ecr: o.ecr } : { ...o };
}

function toWirePacket(c: CapturedSegment): WirePacket {
  const f = c.seg.flags;
  const flags = `${f.syn ? 'S' : ''}${f.fin ? 'F' : ''}${f.rst ? 'R' : ''}${f.psh ? 'P' : ''}${f.ack ? '.' : ''}`;
  return {
    t: c.t,
    srcPort: c.seg.src.port,
    dstPort: c.seg.dst.port,
    flags,
    seq: c.seg.seq % MOD,
    ack: f.ack ? c.seg.ack % MOD : 0,
    win: c.seg.win,
    len: c.seg.data.length,
    options: (c.seg.options ?? []).map(toSpec),
  };
}

function toKernelOption(o: TcpOptionSpec): TcpOption {
  return o.kind === 'sack' ? { kind: 'sack', blocks: o.blocks } : o;
}

type Outcome = { result: number; errno: string | null; value?: string | number; note?: string };
type Poll = () => Outcome | null;

interface CallJob {
  record: Extract<EventRecord, { kind: 'call' }>;
  spec: CallSpec;
}

export function runOnSimulator(script: PktScript, opts: SimDriverOptions = {}): SimDriverRun {
  const k = createKernel({ seed: opts.seed ?? 1, sysctl: opts.sysctl ?? {} });
  const wire = attachWire(k);
  const pid = k.spawn('pkt', wire.host.name);
  const outbound: WirePacket[] = [];
  wire.onCapture((c) => outbound.push(toWirePacket(c)));
  const mapper = new Mapper();
  const records: EventRecord[] = [];
  const fdMap = new Map<number, number>();
  const nonblocking = new Set<number>();
  const fdOf = (scriptFd: number) => fdMap.get(scriptFd) ?? scriptFd;
  const queue: CallJob[] = [];
  let running: { job: CallJob; poll: Poll } | null = null;
  let consumed = 0;

  const finish = (job: CallJob, o: Outcome) => {
    job.record.end = k.now();
    job.record.result = o.result;
    job.record.errno = o.errno;
    if (o.value !== undefined) job.record.value = o.value;
    if (o.note !== undefined) job.record.note = o.note;
    const c = job.spec.call;
    if ((c.name === 'socket' || c.name === 'accept') && o.result >= 0) {
      const scriptFd = job.spec.result >= 0 ? job.spec.result : o.result;
      fdMap.set(scriptFd, o.result);
      const id = k.socketOf(pid, o.result);
      if (id !== undefined) k.setLabel(id, `fd ${scriptFd}`);
    }
  };

  /** Runs queued calls in order while none is blocked; polls the blocked one. */
  const pump = () => {
    for (;;) {
      if (running) {
        const o = running.poll();
        if (!o) return;
        finish(running.job, o);
        running = null;
      }
      const job = queue.shift();
      if (!job) return;
      job.record.start = k.now();
      const r = startCall(job.spec);
      if (typeof r === 'function') running = { job, poll: r };
      else finish(job, r);
    }
  };

  const advanceTo = (t: number) => {
    pump();
    for (;;) {
      const next = k.nextEventAt();
      if (next === null || next > t) break;
      k.step();
      pump();
    }
    k.advanceTo(Math.max(t, k.now()));
    pump();
  };

  const ok = (result: number): Outcome => ({ result, errno: null });
  const failed = (errno: string, note?: string): Outcome => (note === undefined ? { result: -1, errno } : { result: -1, errno, note });

  function startCall(spec: CallSpec): Outcome | Poll {
    const c = spec.call;
    switch (c.name) {
      case 'socket': {
        const r = k.socket(pid);
        return r.ok ? ok(r.value) : failed(r.errno);
      }
      case 'bind': {
        const r = k.bind(pid, fdOf(c.fd), `${WIRE_LOCAL_IP}:${LOCAL_PORT}`);
        return r.ok ? ok(0) : failed(r.errno);
      }
      case 'listen': {
        const r = k.listen(pid, fdOf(c.fd), c.backlog);
        return r.ok ? ok(0) : failed(r.errno);
      }
      case 'accept': {
        const fd = fdOf(c.fd);
        const attempt = (): Outcome | null => {
          const r = k.accept(pid, fd);
          if (r.ok) return ok(r.value.fd);
          if (r.errno === 'EAGAIN' && !nonblocking.has(fd)) return null;
          return failed(r.errno);
        };
        return attempt() ?? attempt;
      }
      case 'connect': {
        const fd = fdOf(c.fd);
        mapper.onConnect();
        const r = k.connect(pid, fd, `${WIRE_REMOTE_IP}:${LOCAL_PORT}`);
        if (!r.ok) return failed(r.errno);
        if (nonblocking.has(fd)) return failed('EINPROGRESS');
        return () => {
          const res = k.connectResult(pid, fd);
          if (res.ok) return res.value === 'pending' ? null : ok(0);
          return failed(res.errno);
        };
      }
      case 'setsockopt': {
        const v = c.value;
        const n = typeof v === 'number' ? v : 0;
        const opt: SockOpt =
          c.option === 'SO_LINGER'
            ? { name: 'SO_LINGER', value: typeof v === 'number' ? { on: false, seconds: 0 } : { on: v.onoff !== 0, seconds: v.linger } }
            : c.option === 'SO_REUSEADDR' || c.option === 'SO_KEEPALIVE' || c.option === 'SO_REUSEPORT' || c.option === 'TCP_NODELAY'
              ? { name: c.option, value: n !== 0 }
              : { name: c.option, value: n };
        const r = k.setsockopt(pid, fdOf(c.fd), opt);
        if (r.ok) return ok(0);
        return failed(r.errno, r.errno === 'ENOPROTOOPT' ? `${c.option} is not modelled by the simulated kernel` : undefined);
      }
      case 'getsockopt': {
        const r = k.getsockoptError(pid, fdOf(c.fd));
        return r.ok ? { result: 0, errno: null, value: r.value ?? 0 } : failed(r.errno);
      }
      case 'fcntl': {
        const fd = fdOf(c.fd);
        if (k.socketOf(pid, fd) === undefined) return failed('EBADF');
        if (c.cmd === 'F_GETFL') return ok(O_RDWR | (nonblocking.has(fd) ? O_NONBLOCK : 0));
        if (c.nonblock) nonblocking.add(fd);
        else nonblocking.delete(fd);
        return ok(0);
      }
      case 'read':
      case 'recv': {
        const fd = fdOf(c.fd);
        const attempt = (): Outcome | null => {
          const r = k.recv(pid, fd, c.count);
          if (r.ok) return ok(r.value.length);
          if (r.errno === 'EAGAIN' && !nonblocking.has(fd)) return null;
          return failed(r.errno);
        };
        return attempt() ?? attempt;
      }
      case 'write':
      case 'send': {
        const fd = fdOf(c.fd);
        let written = 0;
        const attempt = (): Outcome | null => {
          const r = k.send(pid, fd, new Uint8Array(c.count - written));
          if (r.ok) {
            written += r.value;
            if (written >= c.count || nonblocking.has(fd)) return ok(written);
            return null;
          }
          if (r.errno === 'EAGAIN' && !nonblocking.has(fd)) return null;
          return written > 0 ? ok(written) : failed(r.errno);
        };
        return attempt() ?? attempt;
      }
      case 'shutdown': {
        const r = k.shutdown(pid, fdOf(c.fd), c.how);
        return r.ok ? ok(0) : failed(r.errno);
      }
      case 'close': {
        const fd = fdOf(c.fd);
        // SO_LINGER {1, t} blocks the close, O_NONBLOCK or not (linger-close.ts).
        const r = closeLingering(k, pid, fd);
        nonblocking.delete(fd);
        if (!r.ok) return failed(r.errno);
        const returned = r.value;
        if (!returned) return ok(0);
        const attempt = (): Outcome | null => (returned() ? ok(0) : null);
        return attempt() ?? attempt;
      }
    }
  }

  let ref = 0;
  let horizon = 0;
  for (const ev of script.events) {
    const d = due(ev.time, ref);
    horizon = Math.max(horizon, d.returns ?? d.start, d.end ?? d.start);
    if (ev.kind === 'packet' && ev.packet.direction === 'in') {
      advanceTo(d.start);
      const p = mapper.inbound(ev.packet, k.now());
      const f = ev.packet.flags;
      wire.inject(
        remoteSegment(
          { ip: WIRE_REMOTE_IP, port: p.srcPort },
          { ip: WIRE_LOCAL_IP, port: p.dstPort },
          { syn: f.includes('S'), fin: f.includes('F'), rst: f.includes('R'), psh: f.includes('P'), ack: f.includes('.') },
          p.seq,
          p.ack,
          p.win,
          new Uint8Array(p.len),
          p.options.map(toKernelOption),
        ),
      );
      records.push({ line: ev.line, kind: 'in', t: k.now(), packet: { ...p, ack: p.ack % MOD } });
      pump();
      ref = nextRef(ev.time, d, null);
    } else if (ev.kind === 'packet') {
      const deadline = d.end === null ? k.now() + ANY_TIME_LIMIT_US : d.end + script.toleranceUs;
      let index: number | null = null;
      for (;;) {
        pump();
        if (outbound.length > consumed) {
          index = consumed++;
          break;
        }
        const next = k.nextEventAt();
        if (next === null || next > deadline) {
          advanceTo(Math.max(deadline, k.now()));
          if (outbound.length > consumed) index = consumed++;
          break;
        }
        k.step();
      }
      records.push({ line: ev.line, kind: 'out', packet: index });
      if (index !== null) mapper.onOutbound(outbound[index]!, ev.packet);
      ref = nextRef(ev.time, d, index === null ? null : outbound[index]!.t);
      if (d.end === null) horizon = Math.max(horizon, ref);
    } else if (ev.kind === 'call') {
      advanceTo(d.start);
      const record: Extract<EventRecord, { kind: 'call' }> = { line: ev.line, kind: 'call', start: k.now(), end: null, result: null, errno: null };
      records.push(record);
      queue.push({ record, spec: ev.spec });
      pump();
      ref = nextRef(ev.time, d, null);
    } else {
      advanceTo(d.start);
      let err: string | null = null;
      if (ev.command.kind === 'unsupported') err = `\`${ev.command.text}\` is not supported by the simulated kernel (only sysctl -q KEY=VALUE for the sysctls it models)`;
      else if (ev.command.kind === 'python') err = 'inline Python (%{ … }%) is not supported by the simulated kernel: check a state with the calls and packets around it instead';
      else {
        for (const s of ev.command.settings) {
          const r = k.sysctl.set(s.key, s.value);
          if (!r.ok) {
            err = `sysctl: setting key "${s.key}": ${r.message}`;
            break;
          }
        }
      }
      records.push({ line: ev.line, kind: 'command', t: k.now(), error: err });
      ref = nextRef(ev.time, d, null);
    }
  }
  const end = Math.max(horizon, ref) + script.toleranceUs;
  advanceTo(Math.max(end, k.now()));
  // Calls still blocked at the end keep end: null; the judge reports them.
  return { observation: { records, outbound, end: k.now(), error: null }, kernel: k, wire };
}
