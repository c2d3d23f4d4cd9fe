import { Kernel, type KernelOptions } from '../kernel.ts';
import { closeLingering } from '../linger-close.ts';
import { formatSs } from '../render/ss.ts';
import type { ProcCall, Scenario, Statement } from './ast.ts';
import type { Errno, Result } from '../types.ts';
import { applySockOpts, sockOptsOf } from './sockopts.ts';
import { LINE_US, quoteBytes } from './quote.ts';

export { LINE_US, quoteBytes };

/** How long one blocking call may wait in virtual time before the run is declared stuck. */
export const BLOCK_LIMIT_US = 10 * 60 * 1_000_000;
/** After the last line the network settles for this long (in-flight segments arrive; 3 ms and 40 ms delayed ACKs do not fire). */
export const SETTLE_US = 1_000;
/** recv results longer than this are abbreviated: "abcd…" (20000 bytes). */
export const SHOW_BYTES = 48;

export interface CallRecord {
  t: number;
  proc: string;
  line: number;
  call: string;
  result: string;
}

export interface ExpectRecord {
  t: number;
  line: number;
  text: string;
  expected: string;
  actual: string;
  ok: boolean;
}

export type LogEntry =
  | { kind: 'call'; record: CallRecord }
  | { kind: 'expect'; record: ExpectRecord }
  | { kind: 'ss'; t: number; line: number; text: string }
  | { kind: 'note'; t: number; line: number; text: string };

export interface ScenarioRun {
  ok: boolean;
  /** A run that could not go on (a call that would block for ever), as FILE:LINE: message. */
  error: string | null;
  kernel: Kernel;
  calls: CallRecord[];
  expects: ExpectRecord[];
  log: LogEntry[];
  /** Socket ids by scenario name ("cli:s"), the last socket that took the name. */
  sockets: Map<string, number>;
  procs: Map<string, number>;
  /** Each socket name's last local address ("cli:s" → "127.0.0.1:40000"), kept after the socket is gone. */
  endpoints: Map<string, string>;
}

export interface RunOptions extends KernelOptions {
  /** Run on an existing kernel (a lab that starts from a prepared scene). */
  kernel?: Kernel;
}

interface Pending {
  st: Statement & { kind: 'call' };
  poll: () => string | null;
}




class Stuck extends Error {}

/** Runs a parsed scenario on the simulated kernel. Never throws for anything the script does. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): ScenarioRun {
  const k = opts.kernel ?? new Kernel(opts);
  const procs = new Map<string, number>();
  const socks = new Map<string, { pid: number; fd: number; id: number }>();
  const sockIds = new Map<string, number>();
  const calls: CallRecord[] = [];
  const expects: ExpectRecord[] = [];
  const log: LogEntry[] = [];
  let pending: Pending[] = [];
  let error: string | null = null;
  const endpoints = new Map<string, string>();
  const noteEndpoints = () => {
    for (const [name, id] of sockIds) {
      const local = k.sock(id)?.local;
      if (local && local.port !== 0) endpoints.set(name, `${local.ip}:${local.port}`);
    }
  };

  const pidOf = (proc: string) => {
    let pid = procs.get(proc);
    if (pid === undefined || !k.process(pid)) {
      pid = k.spawn(proc);
      procs.set(proc, pid);
    }
    return pid;
  };
  const record = (st: Statement & { kind: 'call' }, result: string) => {
    noteEndpoints();
    const rec: CallRecord = { t: k.now(), proc: st.proc, line: st.line, call: st.text, result };
    calls.push(rec);
    log.push({ kind: 'call', record: rec });
    const c = st.call;
    const sock = socks.get(`${st.proc}:${c.op === 'socket' ? c.name : c.sock}`)?.id;
    k.trace.call(k.now(), procs.get(st.proc) ?? 0, st.proc, traceText(st), result, sock);
  };
  /** The call as the lab's programs trace it (`shutdown(3, SHUT_RD)`), so goals read a replay as they read the lab. */
  const traceText = (st: Statement & { kind: 'call' }): string => {
    const c = st.call;
    if (c.op === 'socket') return 'socket()';
    const fd = socks.get(`${st.proc}:${c.sock}`)?.fd;
    if (fd === undefined) return st.text;
    switch (c.op) {
      case 'bind':
      case 'connect':
        return `${c.op}(${fd}, ${c.addr})`;
      case 'listen':
        return `listen(${fd}, ${c.backlog ?? 128})`;
      case 'accept':
      case 'close':
        return `${c.op}(${fd})`;
      case 'shutdown':
        return `shutdown(${fd}, ${c.how})`;
      default:
        return st.text;
    }
  };
  const checkPending = () => {
    if (pending.length === 0) return;
    const still: Pending[] = [];
    for (const p of pending) {
      const r = p.poll();
      if (r === null) still.push(p);
      else record(p.st, r);
    }
    pending = still;
  };
  const step = () => {
    const stepped = k.step();
    checkPending();
    return stepped;
  };
  const advanceTo = (t: number) => {
    for (;;) {
      const next = k.nextEventAt();
      if (next === null || next > t) break;
      step();
    }
    k.advanceTo(t);
  };
  /** Blocks until poll() answers; the answer, or a Stuck error when no event could ever produce one. */
  const block = (st: Statement, what: string, poll: () => string | null): string => {
    const deadline = k.now() + BLOCK_LIMIT_US;
    for (;;) {
      const r = poll();
      if (r !== null) return r;
      const next = k.nextEventAt();
      if (next === null) throw new Stuck(`${scenario.file}:${st.line}: ${what} would block for ever: nothing left in the network or timers can complete it`);
      if (next > deadline) throw new Stuck(`${scenario.file}:${st.line}: ${what} still blocked after 10 virtual minutes`);
      step();
    }
  };
  const errno = (r: Result<unknown>): string | null => (r.ok ? null : (r as { errno: Errno }).errno);

  const sockOf = (proc: string, name: string) => socks.get(`${proc}:${name}`)!;

  /** Returns a poll function for the call; immediate calls return their answer at once. */
  const startCall = (st: Statement & { kind: 'call' }): (() => string | null) => {
    const pid = pidOf(st.proc);
    const c: ProcCall = st.call;
    if (c.op === 'socket') {
      const r = k.socket(pid);
      if (!r.ok) return () => r.errno;
      const id = k.socketOf(pid, r.value)!;
      socks.set(`${st.proc}:${c.name}`, { pid, fd: r.value, id });
      sockIds.set(`${st.proc}:${c.name}`, id);
      k.setLabel(id, `${st.proc}:${c.name}`);
      return () => String(r.value);
    }
    const s = sockOf(st.proc, c.sock);
    switch (c.op) {
      case 'bind': {
        const r = k.bind(pid, s.fd, c.addr);
        return () => errno(r) ?? '0';
      }
      case 'listen': {
        const r = k.listen(pid, s.fd, c.backlog ?? 128);
        return () => errno(r) ?? '0';
      }
      case 'reuseaddr': {
        const r = k.setsockopt(pid, s.fd, { name: 'SO_REUSEADDR', value: true });
        return () => errno(r) ?? '0';
      }
      case 'linger': {
        const r = k.setsockopt(pid, s.fd, { name: 'SO_LINGER', value: { on: c.seconds !== null, seconds: c.seconds ?? 0 } });
        return () => errno(r) ?? '0';
      }
      case 'keepalive':
      case 'usertimeout':
      case 'reuseport':
      case 'linger2': {
        const r = applySockOpts(k, pid, s.fd, sockOptsOf(c));
        return () => errno(r) ?? '0';
      }
      case 'shutdown': {
        const r = k.shutdown(pid, s.fd, c.how);
        return () => errno(r) ?? '0';
      }
      case 'close': {
        // SO_LINGER {1, t} blocks the close (linger-close.ts).
        const r = closeLingering(k, pid, s.fd);
        if (!r.ok) return () => r.errno;
        const returned = r.value;
        return returned ? () => (returned() ? '0' : null) : () => '0';
      }
      case 'connect': {
        const r = k.connect(pid, s.fd, c.addr);
        if (!r.ok) return () => r.errno;
        return () => {
          const cr = k.connectResult(pid, s.fd);
          if (!cr.ok) return cr.errno;
          return cr.value === 'pending' ? null : '0';
        };
      }
      case 'dup': {
        const r = k.dup(pid, s.fd);
        if (!r.ok) return () => r.errno;
        // The new name refers to the same socket: its label (and the ladder's name for it) stays.
        const name = `${st.proc}:${c.name}`;
        socks.set(name, { pid, fd: r.value, id: s.id });
        sockIds.set(name, s.id);
        return () => String(r.value);
      }
      case 'accept':
        return () => {
          const r = k.accept(pid, s.fd);
          if (!r.ok) return r.errno === 'EAGAIN' ? null : r.errno;
          const name = `${st.proc}:${c.name}`;
          socks.set(name, { pid, fd: r.value.fd, id: r.value.sock });
          sockIds.set(name, r.value.sock);
          k.setLabel(r.value.sock, name);
          return String(r.value.fd);
        };
      case 'send': {
        let offset = 0;
        return () => {
          if (offset >= c.data.length) return String(offset);
          const r = k.send(pid, s.fd, c.data.subarray(offset));
          if (!r.ok) {
            if (r.errno === 'EAGAIN') return null;
            return offset > 0 ? String(offset) : r.errno;
          }
          offset += r.value;
          return offset >= c.data.length ? String(offset) : null;
        };
      }
      case 'recv':
        return () => {
          const r = k.recv(pid, s.fd, c.max);
          if (!r.ok) return r.errno === 'EAGAIN' ? null : r.errno;
          if (r.value.length === 0) return 'EOF';
          return r.value.length > SHOW_BYTES ? `${quoteBytes(r.value.subarray(0, 16)).slice(0, -1)}…" (${r.value.length} bytes)` : quoteBytes(r.value);
        };
    }
  };

  try {
    for (const st of scenario.statements) {
      checkPending();
      switch (st.kind) {
        case 'sysctl': {
          k.sysctl.set(st.key, st.value);
          log.push({ kind: 'note', t: k.now(), line: st.line, text: `sysctl ${st.key}=${st.value.replace('\t', ' ')}` });
          break;
        }
        case 'call': {
          const poll = startCall(st);
          if (st.background) {
            const first = poll();
            if (first !== null) record(st, first);
            else pending.push({ st, poll });
          } else {
            record(st, block(st, st.text, poll));
            advanceTo(k.now() + LINE_US);
          }
          break;
        }
        case 'kill': {
          const pid = procs.get(st.proc) ?? pidOf(st.proc);
          pending = pending.filter((p) => p.st.proc !== st.proc);
          const r = k.kill(pid);
          const rec: CallRecord = { t: k.now(), proc: st.proc, line: st.line, call: 'kill', result: r.ok ? '0' : r.errno };
          calls.push(rec);
          log.push({ kind: 'call', record: rec });
          k.trace.call(k.now(), pid, st.proc, 'kill', rec.result);
          advanceTo(k.now() + LINE_US);
          break;
        }
        case 'fork': {
          const parent = pidOf(st.proc);
          const r = k.fork(parent, st.child);
          if (r.ok) {
            procs.set(st.child, r.value);
            for (const [name, entry] of [...socks]) {
              if (!name.startsWith(`${st.proc}:`)) continue;
              const childName = `${st.child}:${name.slice(st.proc.length + 1)}`;
              socks.set(childName, { pid: r.value, fd: entry.fd, id: entry.id });
              sockIds.set(childName, entry.id);
            }
          }
          const rec: CallRecord = { t: k.now(), proc: st.proc, line: st.line, call: `fork ${st.child}`, result: r.ok ? '0' : r.errno };
          calls.push(rec);
          log.push({ kind: 'call', record: rec });
          k.trace.call(k.now(), parent, st.proc, rec.call, rec.result);
          advanceTo(k.now() + LINE_US);
          break;
        }
        case 'drop': {
          const id = sockIds.get(`${st.proc}:${st.sock}`)!;
          k.dropNext(id, st.flags);
          log.push({ kind: 'note', t: k.now(), line: st.line, text: `drop next ${st.proc}:${st.sock} ${st.flags ?? 'any'}` });
          break;
        }
        case 'drop-all': {
          k.dropAll(sockIds.get(`${st.proc}:${st.sock}`)!, st.flags);
          log.push({ kind: 'note', t: k.now(), line: st.line, text: `drop all ${st.proc}:${st.sock} ${st.flags ?? 'any'}` });
          break;
        }
        case 'undrop': {
          k.undrop(sockIds.get(`${st.proc}:${st.sock}`)!);
          log.push({ kind: 'note', t: k.now(), line: st.line, text: `undrop ${st.proc}:${st.sock}` });
          break;
        }
        case 'sleep':
          advanceTo(k.now() + st.us);
          break;
        case 'expect': {
          const id = sockIds.get(`${st.proc}:${st.sock}`)!;
          const info = k.socketInfo(id);
          const queues = (recv: number | undefined, send: number | undefined) =>
            `${recv === undefined ? '' : ` recv-q ${recv}`}${send === undefined ? '' : ` send-q ${send}`}`;
          const expected = `${st.state}${queues(st.recvQ, st.sendQ)}`;
          const actual = `${k.stateOf(id)}${queues(st.recvQ === undefined ? undefined : (info?.recvQ ?? 0), st.sendQ === undefined ? undefined : (info?.sendQ ?? 0))}`;
          const rec: ExpectRecord = { t: k.now(), line: st.line, text: `expect ${st.proc}:${st.sock} ${expected}`, expected, actual, ok: actual === expected };
          expects.push(rec);
          log.push({ kind: 'expect', record: rec });
          break;
        }
        case 'expect-segments': {
          const actual = String(k.segmentsSent);
          const rec: ExpectRecord = { t: k.now(), line: st.line, text: `expect-segments ${st.count}`, expected: String(st.count), actual, ok: actual === String(st.count) };
          expects.push(rec);
          log.push({ kind: 'expect', record: rec });
          break;
        }
        case 'ss':
          log.push({ kind: 'ss', t: k.now(), line: st.line, text: formatSs(k.sockets(), { all: true, padProcess: false }) });
          break;
      }
    }
    advanceTo(k.now() + SETTLE_US);
    for (const p of pending) {
      log.push({ kind: 'note', t: k.now(), line: p.st.line, text: `${p.st.proc}: ${p.st.text} & is still blocked at the end of the script` });
    }
  } catch (e) {
    if (!(e instanceof Stuck)) throw e;
    error = e.message;
  }
  noteEndpoints();
  return { ok: error === null && expects.every((e) => e.ok), error, kernel: k, calls, expects, log, sockets: sockIds, procs, endpoints };
}


