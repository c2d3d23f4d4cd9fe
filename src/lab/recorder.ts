import type { Kernel } from '../kernel/kernel.ts';
import type { Endpoint, Result, ShutdownHow } from '../kernel/types.ts';
import { quoteBytes, LINE_US } from '../kernel/scenario/quote.ts';
import { applySockOpts, optionCallText, sockOptsOf, type OptionCall } from '../kernel/scenario/sockopts.ts';

/**
 * The syscalls the lab's programs (nc, sock, …) make, recorded as they happen so that the session can be
 * exported as a scenario script that `tcplab sim` replays to the same trace. Only calls with an effect on
 * the kernel are recorded: a recv that found nothing (EAGAIN) changes nothing and is left out.
 * Every line is written with a trailing & (it takes no virtual time in the scenario runner) after a
 * `sleep` that reproduces when it happened.
 */
interface Entry {
  t: number;
  line: string;
  /** Virtual time the scenario runner spends on this line. */
  cost: number;
}

export class SyscallRecorder {
  private entries: Entry[] = [];
  private procNames = new Map<number, string>();
  /** Sockets with a `drop all` rule, by id, and their scenario names. */
  private dropping = new Map<number, string>();
  private readonly k: Kernel;

  constructor(k: Kernel) {
    this.k = k;
  }

  private proc(pid: number): string {
    let name = this.procNames.get(pid);
    if (!name) {
      const p = this.k.process(pid);
      name = `${(p?.name ?? 'p').replace(/[^A-Za-z0-9_]/g, '')}${pid}`;
      this.procNames.set(pid, name);
    }
    return name;
  }

  private add(line: string, cost = 0): void {
    this.entries.push({ t: this.k.now(), line, cost });
  }

  /** Puts the call in the kernel's trace too (what goals and the timeline read): `shutdown(3, SHUT_RD) = 0`. */
  private trace(pid: number, fd: number | null, call: string, r: Result<unknown>): void {
    const result = r.ok ? (typeof r.value === 'number' ? String(r.value) : r.value instanceof Uint8Array ? String(r.value.length) : '0') : r.errno;
    const sock = fd === null ? undefined : this.k.socketOf(pid, fd);
    this.k.trace.call(this.k.now(), pid, this.k.process(pid)?.name ?? String(pid), call, result, sock);
  }

  socket(pid: number): Result<number> {
    const r = this.k.socket(pid);
    if (r.ok) this.add(`${this.proc(pid)}: s${r.value} = socket &`);
    this.trace(pid, r.ok ? r.value : null, 'socket()', r);
    return r;
  }

  bind(pid: number, fd: number, addr: string): Result<void> {
    const r = this.k.bind(pid, fd, addr);
    this.add(`${this.proc(pid)}: bind s${fd} ${addr} &`);
    this.trace(pid, fd, `bind(${fd}, ${addr})`, r);
    return r;
  }

  reuseaddr(pid: number, fd: number): Result<void> {
    const r = this.k.setsockopt(pid, fd, { name: 'SO_REUSEADDR', value: true });
    this.add(`${this.proc(pid)}: reuseaddr s${fd} &`);
    return r;
  }

  linger(pid: number, fd: number, seconds: number | null): Result<void> {
    const r = this.k.setsockopt(pid, fd, { name: 'SO_LINGER', value: { on: seconds !== null, seconds: seconds ?? 0 } });
    this.add(`${this.proc(pid)}: linger s${fd} ${seconds === null ? 'off' : seconds} &`);
    return r;
  }

  dup(pid: number, fd: number): Result<number> {
    const r = this.k.dup(pid, fd);
    if (r.ok) this.add(`${this.proc(pid)}: s${r.value} = dup s${fd} &`);
    this.trace(pid, r.ok ? r.value : fd, `dup(${fd})`, r);
    return r;
  }

  /** keepalive, usertimeout, reuseport, linger2: the setsockopt() calls of one option line. */
  sockopt(pid: number, fd: number, call: OptionCall): Result<void> {
    const r = applySockOpts(this.k, pid, fd, sockOptsOf(call));
    this.add(`${this.proc(pid)}: ${optionCallText(call, `s${fd}`)} &`);
    this.trace(pid, fd, `setsockopt(${fd}): ${call.op}`, r);
    return r;
  }

  listen(pid: number, fd: number, backlog: number): Result<void> {
    const r = this.k.listen(pid, fd, backlog);
    this.add(`${this.proc(pid)}: listen s${fd} ${backlog} &`);
    this.trace(pid, fd, `listen(${fd}, ${backlog})`, r);
    return r;
  }

  connect(pid: number, fd: number, addr: string | Endpoint): Result<void> {
    const text = typeof addr === 'string' ? addr : `${addr.ip}:${addr.port}`;
    const r = this.k.connect(pid, fd, text);
    this.add(`${this.proc(pid)}: connect s${fd} ${text} &`);
    this.trace(pid, fd, `connect(${fd}, ${text})`, r.ok ? { ok: false, errno: 'EINPROGRESS' } : r);
    return r;
  }

  accept(pid: number, fd: number) {
    const r = this.k.accept(pid, fd);
    if (r.ok) {
      this.add(`${this.proc(pid)}: s${r.value.fd} = accept s${fd} &`);
      this.trace(pid, r.value.fd, `accept(${fd})`, { ok: true, value: r.value.fd });
    }
    return r;
  }

  send(pid: number, fd: number, data: Uint8Array): Result<number> {
    const r = this.k.send(pid, fd, data);
    if (r.ok && r.value > 0) this.add(`${this.proc(pid)}: send s${fd} ${quoteBytes(data.subarray(0, r.value))} &`);
    else if (!r.ok && r.errno !== 'EAGAIN') this.add(`${this.proc(pid)}: send s${fd} ${quoteBytes(data.subarray(0, 1))} &`);
    return r;
  }

  recv(pid: number, fd: number, max: number): Result<Uint8Array> {
    const r = this.k.recv(pid, fd, max);
    if (r.ok || r.errno !== 'EAGAIN') this.add(`${this.proc(pid)}: recv s${fd} ${r.ok && r.value.length > 0 ? r.value.length : max} &`);
    return r;
  }

  shutdown(pid: number, fd: number, how: ShutdownHow): Result<void> {
    this.trace(pid, fd, `shutdown(${fd}, ${how})`, { ok: true, value: undefined });
    const r = this.k.shutdown(pid, fd, how);
    this.add(`${this.proc(pid)}: shutdown s${fd} ${how} &`);
    return r;
  }

  close(pid: number, fd: number): Result<void> {
    this.trace(pid, fd, `close(${fd})`, { ok: true, value: undefined });
    const r = this.k.close(pid, fd);
    if (r.ok) this.add(`${this.proc(pid)}: close s${fd} &`);
    return r;
  }

  /** The process exits (normally, or killed): every descriptor is closed. */
  exit(pid: number): void {
    if (!this.k.process(pid)) return;
    const hasSockets = (this.k.processes().find((p) => p.pid === pid)?.fds.length ?? 0) > 0;
    if (hasSockets) this.k.trace.call(this.k.now(), pid, this.k.process(pid)?.name ?? String(pid), 'exit', '0');
    this.k.exit(pid);
    if (hasSockets && this.procNames.has(pid)) this.add(`kill ${this.proc(pid)}`, LINE_US);
  }

  sysctl(key: string, value: string) {
    const r = this.k.sysctl.set(key, value);
    if (r.ok) this.add(`sysctl ${key}=${r.value.replace('\t', ' ')}`);
    return r;
  }

  dropNext(pid: number, fd: number, flags: string | null): void {
    const id = this.k.socketOf(pid, fd);
    if (id === undefined) return;
    this.k.dropNext(id, flags);
    this.add(`drop next ${this.proc(pid)}:s${fd} ${flags ?? 'any'}`);
  }

  /** From now on every segment this socket sends with these flags is lost (a silent peer), until undropAll(). */
  dropAll(pid: number, fd: number, flags: string | null): void {
    const id = this.k.socketOf(pid, fd);
    if (id === undefined) return;
    this.k.dropAll(id, flags);
    this.dropping.set(id, `${this.proc(pid)}:s${fd}`);
    this.add(`drop all ${this.proc(pid)}:s${fd} ${flags ?? 'any'}`);
  }

  /** Lifts every `drop all` rule: the network delivers everything again. */
  undropAll(): void {
    for (const [id, name] of this.dropping) {
      this.k.undrop(id);
      this.add(`undrop ${name}`);
    }
    this.dropping.clear();
    this.k.dropRules = this.k.dropRules.filter((r) => r.tag === undefined);
  }

  /** A scenario script reproducing everything recorded (replay with the same seed). */
  /** The session as a scenario script; with `until` (virtual µs), it ends with a sleep to that time, so timers due by then fire in the replay too. */
  toScenario(header: string[] = [], until?: number): string {
    const out = [...header.map((h) => `# ${h}`)];
    let clock = 0;
    for (const e of this.entries) {
      if (e.t > clock) {
        out.push(`sleep ${e.t - clock}us`);
        clock = e.t;
      }
      out.push(e.line);
      clock += e.cost;
    }
    if (until !== undefined && until > clock) out.push(`sleep ${until - clock}us`);
    return out.join('\n') + '\n';
  }

  get length(): number {
    return this.entries.length;
  }
}
