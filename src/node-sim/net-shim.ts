/**
 * node:net on the simulated kernel, following Node's observable behaviour: sockets read eagerly from the
 * kernel into a JS buffer (up to 16 KiB, unless paused on connect), emit 'data' once flowing, 'end' after
 * the peer's FIN and the last 'data', end themselves after 'end' unless allowHalfOpen, and report kernel
 * errors as Node does (`read ECONNRESET`, `connect ECONNREFUSED 127.0.0.1:9`, `write EPIPE`), then 'close'.
 * Events are delivered from the world's event loop (never synchronously inside the call that caused them).
 */
import type { Errno } from '../kernel/types.ts';
import { ERRNO_TEXT } from '../kernel/types.ts';
import { BufferShim, ShimBuffer } from './buffer.ts';
import { Emitter } from './emitter.ts';
import { NotAvailable, type SimProcess } from './node-process.ts';

const HIGH_WATER = 16384;
const ERRNO_NUM: Partial<Record<Errno, number>> = { ECONNRESET: -104, ECONNREFUSED: -111, EPIPE: -32, ETIMEDOUT: -110, EADDRINUSE: -98, EADDRNOTAVAIL: -99, ENOTCONN: -107 };
const enc = new TextEncoder();

function sysError(errno: Errno, syscall: string, address?: string, port?: number): Error & Record<string, unknown> {
  const where = address !== undefined ? ` ${address}${port !== undefined ? `:${port}` : ''}` : '';
  const err = new Error(`${syscall} ${errno}${where}`) as Error & Record<string, unknown>;
  err['code'] = errno;
  err['errno'] = ERRNO_NUM[errno] ?? -1;
  err['syscall'] = syscall;
  if (address !== undefined) err['address'] = address;
  if (port !== undefined) err['port'] = port;
  return err;
}

function hostOf(h: unknown): string {
  if (h === undefined || h === null || h === 'localhost' || h === '') return '127.0.0.1';
  return String(h);
}

function splitEp(ep: string): { address: string; port: number } {
  const i = ep.lastIndexOf(':');
  return { address: ep.slice(0, i), port: Number(ep.slice(i + 1)) };
}

export class SimSocket extends Emitter {
  readonly proc: SimProcess;
  fd: number | null;
  connecting = false;
  destroyed = false;
  allowHalfOpen: boolean;
  private flowing: boolean | null = null;
  private kernelReading: boolean;
  private jsBuf: ShimBuffer[] = [];
  private eofRead = false;
  private endEmitted = false;
  private writeQueue: Array<{ data: Uint8Array; cb?: (err?: Error | null) => void }> = [];
  private ending = false;
  private finished = false;
  private closeEmitted = false;
  private hadError = false;
  private remote: { address: string; port: number } | null = null;
  private local: { address: string; port: number } | null = null;
  bytesRead = 0;
  bytesWritten = 0;
  private timeoutMs = 0;
  private lastActivity = 0;
  private decoder: TextDecoder | null = null;
  /** Set once 'end' was emitted on a socket without allowHalfOpen: write() now refuses (writeAfterFIN). */
  private peerFinClosedWrites = false;
  /** A 'readable' event is out and the program has not called read() since (Node's emittedReadable). */
  private emittedReadable = false;
  /** write() returned false: 'drain' is due once the queue is below the high-water mark. */
  private needDrain = false;

  constructor(proc: SimProcess, fd: number | null, opts: { allowHalfOpen?: boolean; pauseOnCreate?: boolean } = {}) {
    super();
    this.proc = proc;
    this.fd = fd;
    this.allowHalfOpen = opts.allowHalfOpen ?? false;
    this.kernelReading = !opts.pauseOnCreate;
    if (opts.pauseOnCreate) this.flowing = false;
    proc.sockets.add(this);
  }

  // ── the parts of net.Socket programs use ────────────────────────────────────────────────────

  override on(event: string, fn: (...args: never[]) => void): this {
    super.on(event, fn);
    if (event === 'data' && this.flowing !== false) this.resume();
    if (event === 'readable') {
      // A 'readable' listener puts the stream in paused mode: the program pulls with read().
      this.flowing = false;
      this.kernelReading = true;
      this.emittedReadable = false;
      this.proc.world.wake();
    }
    return this;
  }

  /** Paused-mode reading: everything buffered (or `size` bytes), null when nothing is buffered. */
  read(size?: number): ShimBuffer | string | null {
    this.emittedReadable = false;
    this.proc.world.wake();
    if (this.jsBuf.length === 0) return null;
    const total = this.bufferedBytes();
    const n = size === undefined || size <= 0 || size >= total ? total : size;
    const out = new ShimBuffer(n);
    let filled = 0;
    while (filled < n) {
      const head = this.jsBuf[0]!;
      const take = Math.min(head.length, n - filled);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.jsBuf.shift();
      else this.jsBuf[0] = head.subarray(take) as ShimBuffer;
    }
    return this.decoder ? this.decoder.decode(out, { stream: true }) : out;
  }

  override addListener(event: string, fn: (...args: never[]) => void): this {
    return this.on(event, fn);
  }

  protected override listenerRejected(e: unknown): void {
    this.proc.uncaught(e);
  }

  /** socket.pipe(dest): every chunk written to dest (pausing while dest is full), dest ended at 'end' unless { end: false }. */
  pipe<T extends { write(chunk: unknown): boolean; end(): unknown; once?(event: string, fn: () => void): unknown }>(dest: T, opts: { end?: boolean } = {}): T {
    this.on('data', (chunk: unknown) => {
      if (dest.write(chunk) === false && typeof dest.once === 'function') {
        this.pause();
        dest.once('drain', () => this.resume());
      }
    });
    if (opts.end !== false) this.on('end', () => dest.end());
    return dest;
  }

  /** for await (const chunk of socket): the chunks until 'end'; an error is thrown; when the loop ends, early or not, the socket is destroyed (as Node does). */
  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    const queue: unknown[] = [];
    let finished = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.on('data', (chunk: unknown) => {
      queue.push(chunk);
      poke();
    });
    this.on('end', () => {
      finished = true;
      poke();
    });
    this.on('close', () => {
      finished = true;
      poke();
    });
    this.on('error', (e: unknown) => {
      failure = e;
      poke();
    });
    return {
      next: async () => {
        for (;;) {
          if (queue.length > 0) return { value: queue.shift(), done: false };
          if (failure) throw failure;
          if (finished) {
            // Node's stream iterator destroys the stream when the loop ends, even normally (destroyOnReturn).
            this.destroy();
            return { value: undefined, done: true };
          }
          await new Promise<void>((r) => (wake = r));
        }
      },
      return: async () => {
        this.destroy();
        return { value: undefined, done: true };
      },
    };
  }

  override once(event: string, fn: (...args: never[]) => void): this {
    super.once(event, fn);
    // Node's once() goes through on(): a 'data' listener starts the flow either way.
    if (event === 'data' && this.flowing !== false) this.resume();
    return this;
  }

  resume(): this {
    this.flowing = true;
    this.kernelReading = true;
    this.proc.world.wake();
    return this;
  }

  pause(): this {
    this.flowing = false;
    return this;
  }

  get readableFlowing(): boolean | null {
    return this.flowing;
  }

  setEncoding(encoding?: string): this {
    // Node decodes with a StringDecoder: a character split across two chunks is kept whole.
    this.decoder = new TextDecoder(encoding === 'latin1' || encoding === 'binary' ? 'latin1' : 'utf-8');
    return this;
  }

  /**
   * Whether libuv would count this socket as an active handle keeping the event loop alive: it is
   * connecting, has writes or a FIN still to send, or is reading (not at EOF, not stopped by backpressure).
   */
  keepsLoopAlive(): boolean {
    if (this.destroyed) return false;
    if (this.connecting) return true;
    if (this.writeQueue.length > 0 || (this.ending && !this.finished)) return true;
    return this.kernelReading && !this.eofRead && this.bufferedBytes() < HIGH_WATER;
  }

  /** TCP_NODELAY as Node's socket.setNoDelay(noDelay = true) sets it; before the connection exists, once connected. */
  private noDelay = false;

  setNoDelay(noDelay?: unknown): this {
    this.noDelay = noDelay === undefined ? true : Boolean(noDelay);
    if (this.fd !== null && !this.connecting && !this.destroyed) this.proc.world.kernel.setsockopt(this.proc.pid, this.fd, { name: 'TCP_NODELAY', value: this.noDelay });
    return this;
  }

  /** What setKeepAlive() last asked for (Node's kSetKeepAlive / kSetKeepAliveInitialDelay), in whole seconds. */
  private keepAlive: { enable: boolean; delay: number } = { enable: false, delay: 0 };

  /**
   * Node's socket.setKeepAlive(enable, initialDelay ms): the delay is cut to whole seconds; libuv then sets
   * SO_KEEPALIVE and, for a delay of at least a second, TCP_KEEPIDLE = delay, TCP_KEEPINTVL = 1 and
   * TCP_KEEPCNT = 10 (measured with strace on Node 26). A delay under a second leaves the system's
   * tcp_keepalive_time (7200 s). Before the connection exists it is remembered and applied once connected.
   */
  setKeepAlive(enable?: unknown, initialDelay?: unknown): this {
    const next = { enable: Boolean(enable), delay: Math.trunc(Number(initialDelay ?? 0) / 1000) || 0 };
    const changed = next.enable !== this.keepAlive.enable || (next.enable && next.delay !== this.keepAlive.delay);
    this.keepAlive = next;
    if (changed && this.fd !== null && !this.connecting && !this.destroyed) this.applyKeepAlive();
    return this;
  }

  private applyKeepAlive(): void {
    const k = this.proc.world.kernel;
    const pid = this.proc.pid;
    const fd = this.fd!;
    const { enable, delay } = this.keepAlive;
    k.setsockopt(pid, fd, { name: 'SO_KEEPALIVE', value: enable });
    if (!enable || delay < 1) return;
    k.setsockopt(pid, fd, { name: 'TCP_KEEPIDLE', value: delay });
    k.setsockopt(pid, fd, { name: 'TCP_KEEPINTVL', value: 1 });
    k.setsockopt(pid, fd, { name: 'TCP_KEEPCNT', value: 10 });
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.timeoutMs = ms;
    this.lastActivity = this.proc.world.kernel.now();
    if (cb) this.once('timeout', cb);
    if (ms > 0) this.proc.world.wakeAt(this.lastActivity + ms * 1000);
    return this;
  }

  get pending(): boolean {
    return this.connecting || this.fd === null;
  }

  get readyState(): string {
    if (this.connecting) return 'opening';
    if (this.destroyed) return 'closed';
    if (this.ending && this.eofRead) return 'closed';
    if (this.ending) return 'readOnly';
    if (this.eofRead) return 'writeOnly';
    return 'open';
  }

  get readableEnded(): boolean {
    return this.endEmitted;
  }

  get writableEnded(): boolean {
    return this.ending;
  }

  get writableFinished(): boolean {
    return this.finished;
  }

  get writableLength(): number {
    return this.writeQueue.reduce((n, w) => n + w.data.length, 0);
  }

  get remoteAddress(): string | undefined {
    return this.remote?.address;
  }

  get remotePort(): number | undefined {
    return this.remote?.port;
  }

  get remoteFamily(): string | undefined {
    return this.remote ? 'IPv4' : undefined;
  }

  get localAddress(): string | undefined {
    return this.local?.address;
  }

  get localPort(): number | undefined {
    return this.local?.port;
  }

  address(): { address: string; family: string; port: number } | Record<string, never> {
    return this.local ? { address: this.local.address, family: 'IPv4', port: this.local.port } : {};
  }

  write(data: unknown, encoding?: unknown, cb?: unknown): boolean {
    return this.writeChunk(data, encoding, cb, false);
  }

  /**
   * Node's three refusals, with their exact side effects: a destroyed stream only calls back
   * (ERR_STREAM_DESTROYED; errorOrDestroy does nothing on a destroyed stream); after the peer's FIN with
   * allowHalfOpen false, socket.write is writeAfterFIN (EPIPE to the callback, then destroy(er): an 'error'
   * event if the socket was still open, e.g. right after an await), which end() bypasses; a write after our
   * own end() errors the stream (ERR_STREAM_WRITE_AFTER_END, 'error').
   */
  private writeChunk(data: unknown, encoding: unknown, cb: unknown, fromEnd: boolean): boolean {
    const callback = (typeof encoding === 'function' ? encoding : cb) as ((err?: Error | null) => void) | undefined;
    const refuse = (code: string, message: string, emit: boolean) => {
      const err = Object.assign(new Error(message), { code });
      this.proc.world.queue(this.proc, () => {
        callback?.(err);
        if (emit) this.emitError(err);
      });
      return false;
    };
    if (this.peerFinClosedWrites && !fromEnd) {
      const err = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
      this.proc.world.queue(this.proc, () => callback?.(err));
      this.destroy(err);
      return false;
    }
    if (this.destroyed) return refuse('ERR_STREAM_DESTROYED', 'Cannot call write after a stream was destroyed', false);
    if (this.ending) return refuse('ERR_STREAM_WRITE_AFTER_END', 'write after end', true);
    const bytes = typeof data === 'string' ? enc.encode(data) : data instanceof Uint8Array ? data : BufferShim.from(data as never);
    this.writeQueue.push({ data: bytes, ...(callback ? { cb: callback } : {}) });
    if (!this.connecting && this.writeQueue.length === 1) this.flushWrites();
    this.proc.world.wake();
    const ok = this.writableLength < HIGH_WATER;
    if (!ok) this.needDrain = true;
    return ok;
  }

  end(data?: unknown, encoding?: unknown, cb?: unknown): this {
    if (typeof data === 'function') {
      cb = data;
      data = undefined;
    }
    if (data !== undefined && data !== null) this.writeChunk(data, encoding, undefined, true);
    if (!this.ending) {
      this.ending = true;
      if (typeof cb === 'function') this.once('finish', cb as () => void);
      this.proc.world.wake();
    } else if (typeof cb === 'function') {
      // Already ending: Node calls back at once when finished or destroyed, else on 'finish'.
      if (this.finished || this.destroyed) this.proc.world.queue(this.proc, () => (cb as (e?: Error) => void)());
      else this.once('finish', cb as () => void);
    }
    return this;
  }

  destroy(err?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.closeFd();
    this.proc.world.queue(this.proc, () => {
      if (err) this.emitError(err, false);
      this.emitClose();
    });
    return this;
  }

  destroySoon(): this {
    return this.end();
  }

  /** Node ≥ 16.17: close with a RST (SO_LINGER {1, 0}). */
  resetAndDestroy(): this {
    if (this.fd !== null && !this.destroyed) this.proc.world.kernel.setsockopt(this.proc.pid, this.fd, { name: 'SO_LINGER', value: { on: true, seconds: 0 } });
    return this.destroy();
  }

  // ── driven by the world ───────────────────────────────────────────────────────────────────────

  /** Starts connecting (net.connect). */
  connectTo(port: number, host: string, localPort?: number, localAddress?: string): void {
    const k = this.proc.world.kernel;
    const pid = this.proc.pid;
    const s = k.socket(pid);
    if (!s.ok) return this.failLater(sysError(s.errno, 'socket'));
    this.fd = s.value;
    this.connecting = true;
    if (localPort !== undefined || localAddress !== undefined) {
      k.setsockopt(pid, s.value, { name: 'SO_REUSEADDR', value: true });
      const b = k.bind(pid, s.value, `${localAddress ?? '0.0.0.0'}:${localPort ?? 0}`);
      if (!b.ok) return this.failLater(sysError(b.errno, 'bind', localAddress ?? '0.0.0.0', localPort));
    }
    this.remote = { address: host, port };
    const c = k.connect(pid, s.value, `${host}:${port}`);
    if (!c.ok) return this.failLater(sysError(c.errno, 'connect', host, port));
    const name = k.getsockname(pid, s.value);
    if (name.ok) this.local = splitEp(name.value);
    this.proc.world.wake();
  }

  /** An accepted connection (server side). */
  adopt(peer: string): void {
    this.remote = splitEp(peer);
    const name = this.proc.world.kernel.getsockname(this.proc.pid, this.fd!);
    if (name.ok) this.local = splitEp(name.value);
  }

  private failLater(err: Error): void {
    this.connecting = false;
    this.destroyed = true;
    this.closeFd();
    this.proc.world.queue(this.proc, () => {
      this.emitError(err, false);
      this.emitClose();
    });
  }

  private emitError(err: Error, destroy = true): void {
    this.hadError = true;
    if (destroy && !this.destroyed) {
      this.destroyed = true;
      this.closeFd();
    }
    if (this.listenerCount('error') === 0) {
      (err as Error & { emittedBy?: string }).emittedBy = 'Socket';
      throw err;
    }
    this.emit('error', err);
  }

  private emitClose(): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.proc.sockets.delete(this);
    this.emit('close', this.hadError);
  }

  private closeFd(): void {
    if (this.fd !== null) {
      this.proc.world.kernel.close(this.proc.pid, this.fd);
      this.fd = null;
    }
  }

  /** The process exited: its kernel already closed the descriptor. */
  detach(): void {
    this.fd = null;
    this.destroyed = true;
  }

  /** Reacts to whatever the kernel did since the last poll; every event is queued, never emitted here. */
  poll(): void {
    if (this.destroyed || this.fd === null) return;
    const world = this.proc.world;
    const k = world.kernel;
    const pid = this.proc.pid;
    const fd = this.fd;
    if (this.connecting) {
      const r = k.connectResult(pid, fd);
      if (!r.ok) {
        const host = this.remote?.address;
        const port = this.remote?.port;
        this.connecting = false;
        world.queue(this.proc, () => this.emitError(sysError(r.errno, 'connect', host, port)));
        world.queue(this.proc, () => this.emitClose());
        this.destroyed = true;
        return;
      }
      if (r.value === 'pending') return;
      this.connecting = false;
      const name = k.getsockname(pid, fd);
      if (name.ok) this.local = splitEp(name.value);
      if (this.keepAlive.enable) this.applyKeepAlive();
      if (this.noDelay) this.proc.world.kernel.setsockopt(this.proc.pid, this.fd!, { name: 'TCP_NODELAY', value: true });
      world.queue(this.proc, () => {
        this.emit('connect');
        this.emit('ready');
      });
    }
    // Writes.
    if (!this.flushWrites()) return;
    if (this.needDrain && this.writableLength < HIGH_WATER) {
      this.needDrain = false;
      world.queue(this.proc, () => this.emit('drain'));
    }
    if (this.ending && !this.finished && this.writeQueue.length === 0) {
      this.finished = true;
      k.shutdown(pid, fd, 'SHUT_WR');
      world.queue(this.proc, () => this.emit('finish'));
    }
    // Reads: Node reads eagerly into its own buffer up to the high-water mark.
    while (this.kernelReading && !this.eofRead && this.bufferedBytes() < HIGH_WATER) {
      const r = k.recv(pid, fd, 65536);
      if (!r.ok) {
        if (r.errno === 'EAGAIN') break;
        const err = sysError(r.errno, 'read');
        world.queue(this.proc, () => this.emitError(err));
        world.queue(this.proc, () => this.emitClose());
        this.destroyed = true;
        this.closeFd();
        return;
      }
      if (r.value.length === 0) {
        this.eofRead = true;
        break;
      }
      const chunk = new ShimBuffer(r.value.length);
      chunk.set(r.value);
      this.jsBuf.push(chunk);
      this.bytesRead += chunk.length;
      this.lastActivity = k.now();
    }
    this.deliver();
    // Idle timeout (socket.setTimeout).
    if (this.timeoutMs > 0 && k.now() - this.lastActivity >= this.timeoutMs * 1000) {
      this.lastActivity = k.now();
      world.queue(this.proc, () => this.emit('timeout'));
    }
    // Both directions done: the socket closes.
    if (this.endEmitted && this.finished && !this.destroyed) {
      this.destroyed = true;
      this.closeFd();
      world.queue(this.proc, () => this.emitClose());
    }
  }

  /**
   * Hands queued writes to the kernel as far as it takes them. libuv tries this at once on every write
   * (uv_try_write), so bytes written just before destroy() or process.exit() still leave. False when the
   * socket failed.
   */
  private flushWrites(): boolean {
    if (this.fd === null) return true;
    const world = this.proc.world;
    const k = world.kernel;
    const pid = this.proc.pid;
    const fd = this.fd;
    while (this.writeQueue.length > 0) {
      const w = this.writeQueue[0]!;
      const r = k.send(pid, fd, w.data);
      if (!r.ok) {
        if (r.errno === 'EAGAIN') break;
        const err = sysError(r.errno === 'EPIPE' ? 'EPIPE' : r.errno, 'write');
        this.writeQueue = [];
        world.queue(this.proc, () => {
          w.cb?.(err);
          this.emitError(err);
        });
        world.queue(this.proc, () => this.emitClose());
        return false;
      }
      this.bytesWritten += r.value;
      if (r.value < w.data.length) {
        w.data = w.data.subarray(r.value);
        break;
      }
      this.writeQueue.shift();
      if (w.cb) world.queue(this.proc, () => w.cb!(null));
    }
    return true;
  }

  private bufferedBytes(): number {
    return this.jsBuf.reduce((n, b) => n + b.length, 0);
  }

  private deliver(): void {
    const world = this.proc.world;
    if (this.flowing !== true && this.listenerCount('readable') > 0 && !this.emittedReadable && (this.jsBuf.length > 0 || (this.eofRead && !this.endEmitted))) {
      this.emittedReadable = true;
      world.queue(this.proc, () => {
        if (!this.closeEmitted) this.emit('readable');
      });
    }
    if (this.flowing === true) {
      while (this.jsBuf.length > 0) {
        const chunk = this.jsBuf.shift()!;
        world.queue(this.proc, () => {
          if (this.closeEmitted) return;
          if (this.decoder) {
            const text = this.decoder.decode(chunk, { stream: true });
            if (text !== '') this.emit('data', text);
          } else this.emit('data', chunk);
        });
      }
    }
    // Node pushes EOF then calls read(0): with nothing left in its buffer 'end' comes even when nobody
    // listens for 'data' (stream_base_commons onStreamRead); buffered unread bytes hold it back.
    if (this.eofRead && !this.endEmitted && this.jsBuf.length === 0) {
      this.endEmitted = true;
      world.queue(this.proc, () => {
        this.emit('end');
        // allowHalfOpen false (Node's default): the end of the peer's stream ends ours too, once the
        // 'end' listeners have run (a reply written synchronously inside them still goes out).
        if (!this.allowHalfOpen) {
          this.peerFinClosedWrites = true;
          if (!this.ending) this.end();
        }
      });
    }
  }
}

export class SimServer extends Emitter {
  readonly proc: SimProcess;
  fd: number | null = null;
  private readonly allowHalfOpen: boolean;
  private readonly pauseOnConnect: boolean;
  private boundAddress: { address: string; port: number } | null = null;
  private closing = false;
  private connections = new Set<SimSocket>();
  listening = false;

  protected override listenerRejected(e: unknown): void {
    this.proc.uncaught(e);
  }

  private readonly keepAlive: boolean;
  private readonly keepAliveInitialDelay: number;

  constructor(proc: SimProcess, opts: { allowHalfOpen?: boolean; pauseOnConnect?: boolean; keepAlive?: boolean; keepAliveInitialDelay?: number }) {
    super();
    this.proc = proc;
    this.allowHalfOpen = opts.allowHalfOpen ?? false;
    this.pauseOnConnect = opts.pauseOnConnect ?? false;
    this.keepAlive = opts.keepAlive ?? false;
    this.keepAliveInitialDelay = opts.keepAliveInitialDelay ?? 0;
  }

  listen(...args: unknown[]): this {
    let port = 0;
    let host: string | undefined;
    let backlog = 511;
    let cb: (() => void) | undefined;
    const [a, b, c, d] = args;
    if (typeof a === 'object' && a !== null) {
      const o = a as { port?: number; host?: string; backlog?: number };
      port = Number(o.port ?? 0);
      host = o.host;
      backlog = o.backlog ?? 511;
      if (typeof b === 'function') cb = b as () => void;
    } else {
      port = Number(a ?? 0);
      for (const x of [b, c, d]) {
        if (typeof x === 'function') cb = x as () => void;
        else if (typeof x === 'string') host = x;
        else if (typeof x === 'number') backlog = x;
      }
    }
    if (cb) this.once('listening', cb);
    const k = this.proc.world.kernel;
    const pid = this.proc.pid;
    const s = k.socket(pid);
    if (!s.ok) return this.failLater(sysError(s.errno, 'listen'));
    this.fd = s.value;
    k.setsockopt(pid, s.value, { name: 'SO_REUSEADDR', value: true });
    const addr = host === undefined ? '0.0.0.0' : hostOf(host);
    const bound = k.bind(pid, s.value, `${addr}:${port}`);
    if (!bound.ok) return this.failLater(Object.assign(sysError(bound.errno, 'listen', addr, port), { message: `listen ${bound.errno}: ${ERRNO_TEXT[bound.errno].toLowerCase()} ${addr}:${port}` }));
    const l = k.listen(pid, s.value, backlog);
    if (!l.ok) return this.failLater(Object.assign(sysError(l.errno, 'listen', addr, port), { message: `listen ${l.errno}: ${ERRNO_TEXT[l.errno].toLowerCase()} ${addr}:${port}` }));
    const name = k.getsockname(pid, s.value);
    if (name.ok) this.boundAddress = splitEp(name.value);
    this.listening = true;
    this.proc.servers.add(this);
    this.proc.world.queue(this.proc, () => this.emit('listening'));
    return this;
  }

  private failLater(err: Error): this {
    if (this.fd !== null) this.proc.world.kernel.close(this.proc.pid, this.fd);
    this.fd = null;
    this.proc.world.queue(this.proc, () => {
      if (this.listenerCount('error') === 0) {
        (err as Error & { emittedBy?: string }).emittedBy = 'Server';
        throw err;
      }
      this.emit('error', err);
    });
    return this;
  }

  address(): { address: string; family: string; port: number } | null {
    return this.boundAddress ? { address: this.boundAddress.address, family: 'IPv4', port: this.boundAddress.port } : null;
  }

  close(cb?: (err?: Error) => void): this {
    if (cb) this.once('close', cb);
    if (this.fd !== null) {
      this.proc.world.kernel.close(this.proc.pid, this.fd);
      this.fd = null;
    }
    this.listening = false;
    this.closing = true;
    this.proc.servers.delete(this);
    this.proc.world.wake();
    return this;
  }

  getConnections(cb: (err: Error | null, n: number) => void): void {
    const n = [...this.connections].filter((s) => !s.destroyed).length;
    this.proc.world.queue(this.proc, () => cb(null, n));
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  poll(): void {
    const k = this.proc.world.kernel;
    if (this.fd !== null) {
      for (;;) {
        const a = k.accept(this.proc.pid, this.fd);
        if (!a.ok) break;
        const sock = new SimSocket(this.proc, a.value.fd, { allowHalfOpen: this.allowHalfOpen, pauseOnCreate: this.pauseOnConnect });
        sock.adopt(a.value.peer);
        // net.createServer({ keepAlive, keepAliveInitialDelay }): every accepted socket (Node's onconnection).
        if (this.keepAlive) sock.setKeepAlive(true, this.keepAliveInitialDelay);
        this.connections.add(sock);
        sock.once('close', () => this.connections.delete(sock));
        this.proc.world.queue(this.proc, () => this.emit('connection', sock));
      }
    }
    if (this.closing && [...this.connections].every((s) => s.destroyed)) {
      this.closing = false;
      this.proc.world.queue(this.proc, () => this.emit('close'));
    }
  }
}

/** The node:net module of one simulated process. */
export function createNetModule(proc: SimProcess) {
  const createServer = (opts?: unknown, listener?: unknown) => {
    if (typeof opts === 'function') {
      listener = opts;
      opts = {};
    }
    const server = new SimServer(proc, (opts ?? {}) as { allowHalfOpen?: boolean; pauseOnConnect?: boolean; keepAlive?: boolean; keepAliveInitialDelay?: number });
    if (typeof listener === 'function') server.on('connection', listener as (s: SimSocket) => void);
    return server;
  };
  const connect = (...args: unknown[]) => {
    let opts: { port?: number; host?: string; localPort?: number; localAddress?: string; allowHalfOpen?: boolean; path?: string; keepAlive?: boolean; keepAliveInitialDelay?: number } = {};
    let cb: (() => void) | undefined;
    if (typeof args[0] === 'object' && args[0] !== null) {
      opts = args[0] as typeof opts;
      if (typeof args[1] === 'function') cb = args[1] as () => void;
    } else {
      opts = { port: Number(args[0]) };
      if (typeof args[1] === 'string') opts.host = args[1];
      const f = args.find((x) => typeof x === 'function');
      if (f) cb = f as () => void;
    }
    if (opts.path !== undefined) throw new NotAvailable('Unix domain sockets (path)');
    const sock = new SimSocket(proc, null, { allowHalfOpen: opts.allowHalfOpen ?? false });
    if (opts.keepAlive) sock.setKeepAlive(true, opts.keepAliveInitialDelay);
    if (cb) sock.once('connect', cb);
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      const err = new RangeError(`Port should be >= 0 and < 65536. Received ${String(opts.port)}.`) as RangeError & { code: string };
      err.code = 'ERR_SOCKET_BAD_PORT';
      throw err;
    }
    sock.connectTo(port, hostOf(opts.host), opts.localPort, opts.localAddress);
    return sock;
  };
  const Socket = function Socket(this: unknown, opts: { allowHalfOpen?: boolean } = {}) {
    const s = new SimSocket(proc, null, opts);
    (s as unknown as { connect: (...a: unknown[]) => SimSocket }).connect = (...a: unknown[]) => {
      const o = typeof a[0] === 'object' ? (a[0] as { port: number; host?: string; localPort?: number }) : { port: Number(a[0]), host: typeof a[1] === 'string' ? a[1] : undefined };
      const cb = a.find((x) => typeof x === 'function') as (() => void) | undefined;
      if (cb) s.once('connect', cb);
      s.connectTo(o.port, hostOf(o.host), (o as { localPort?: number }).localPort);
      return s;
    };
    return s;
  } as unknown as new (opts?: { allowHalfOpen?: boolean }) => SimSocket;
  return {
    createServer,
    connect,
    createConnection: connect,
    Socket,
    Server: SimServer,
    isIP: (s: string) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(s) ? 4 : 0),
    isIPv4: (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s),
    isIPv6: () => false,
  };
}
