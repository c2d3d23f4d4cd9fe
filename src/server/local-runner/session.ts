/**
 * One page's session: its WebSocket, its workspace, and everything it started — shells, programs, gradings —
 * under one process model: each counted against the session's cap, each with its limits, each in a jail
 * whose death takes all it started (session-jail.ts for shells and runs, the grading host's jail for a
 * grading). Closing the session kills every one of them and removes the workspace.
 */
import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { RawData, WebSocket } from 'ws';
import type { GradeResult } from '../../grading/exercise-types.ts';
import { GRADERS } from '../../grading/graders/index.ts';
import { gradeHandInIsolated, gradingIsolation } from '../../grading/host-launcher.ts';
import { startPractice, type Practice } from './practice.ts';
import type { ClientMessage, MessageId, ServerMessage, StopReason } from '../../runners/local/protocol.ts';
import type { JailedProcess } from '../../sandbox/jailed-process.ts';
import { sessionJailSupport } from '../../sandbox/session-jail.ts';
import { formatBytes, formatDuration, type LocalLimits } from './limits.ts';
import { parseMessage } from './messages.ts';
import { programEnv, runCommand, shellCommand } from './program.ts';
import { spawnInTerminal, type TerminalProcess } from './terminal-process.ts';
import type { Workspace } from './workspace.ts';

/** Output waiting in the WebSocket beyond this pauses the programs; below LOW they go on. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 << 10;

interface Proc {
  id: MessageId;
  key: string;
  kind: 'shell' | 'run' | 'grade';
  /** The terminal of a shell or a run. */
  term?: TerminalProcess;
  /** The grading host of a grading (once started). */
  host?: JailedProcess;
  /** Output so far (a run) or since the last key (a shell). */
  bytes: number;
  decoder: StringDecoder;
  timer: NodeJS.Timeout | undefined;
  stopped?: StopReason;
  message?: string;
  done: Promise<void>;
}

export class LocalSession {
  readonly workspace: Workspace;
  readonly #ws: WebSocket;
  readonly #limits: LocalLimits;
  readonly #procs = new Map<string, Proc>();
  #starting = 0;
  #seq = 0;
  #closed = false;
  #paused = false;
  #latest: string | undefined;
  /** Messages are handled one after the other (a `run`, then its `input`), gradings aside. */
  #queue: Promise<void> = Promise.resolve();

  constructor(ws: WebSocket, workspace: Workspace, limits: LocalLimits) {
    this.#ws = ws;
    this.workspace = workspace;
    this.#limits = limits;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.#queue = this.#queue.then(() => this.#onMessage(data, isBinary));
    });
  }

  /** The pids of the running processes: terminals (bubblewrap when jailed) and grading hosts (tests). */
  get pids(): number[] {
    return [...this.#procs.values()].flatMap((p) => (p.term ? [p.term.pid] : p.host?.pid !== undefined ? [p.host.pid] : []));
  }

  /** How many processes (shells, runs, gradings) the session holds, starting ones included. */
  get processCount(): number {
    return this.#procs.size + this.#starting;
  }

  #send(msg: ServerMessage): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(JSON.stringify(msg), () => {
      if (this.#paused && this.#ws.bufferedAmount < LOW_WATER) {
        this.#paused = false;
        for (const p of this.#procs.values()) p.term?.resume();
      }
    });
    if (!this.#paused && this.#ws.bufferedAmount > HIGH_WATER) {
      this.#paused = true;
      for (const p of this.#procs.values()) p.term?.pause();
    }
  }

  #error(id: MessageId | undefined, message: string): void {
    this.#send({ type: 'error', ...(id !== undefined ? { id } : {}), message });
  }

  async #onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (this.#closed) return;
    if (isBinary) return this.#error(undefined, 'binary frames are not supported: send JSON text');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed = parseMessage(text);
    if (!parsed.ok) return this.#error(parsed.id, parsed.error);
    const m = parsed.message;
    const work = this.#dispatch(m).catch((e: unknown) => this.#error(m.id, e instanceof Error ? e.message : String(e)));
    if (m.type !== 'grade') await work;
  }

  async #dispatch(m: ClientMessage): Promise<void> {
    switch (m.type) {
      case 'files':
        this.workspace.writeFiles(m.files);
        this.#send({ type: 'ok', ...(m.id !== undefined ? { id: m.id } : {}) });
        return;
      case 'shell':
        return this.#start('shell', m.id, { cols: m.cols, rows: m.rows, ...(m.env ? { env: m.env } : {}) });
      case 'run':
        return this.#start('run', m.id, m);
      case 'input': {
        const p = this.#target(m.id);
        if (!p?.term) return;
        if (p.kind === 'shell') {
          p.bytes = 0; // a key starts a new command: the shell's output limit counts from here
          p.timer?.refresh();
        }
        p.term.write(m.data);
        return;
      }
      case 'resize':
        this.#target(m.id)?.term?.resize(m.cols, m.rows);
        return;
      case 'kill':
        if (m.id !== undefined) {
          const p = this.#procs.get(String(m.id));
          if (p) this.#stop(p, 'stopped');
        } else for (const p of this.#procs.values()) this.#stop(p, 'stopped');
        return;
      case 'grade':
        return this.#grade(m.id, m.exercise, m.file);
    }
  }

  #target(id: MessageId | undefined): Proc | undefined {
    return this.#procs.get(id !== undefined ? String(id) : (this.#latest ?? ''));
  }

  /** A key and an id for a new process, once the cap allows one more. */
  #claim(requestId: MessageId | undefined): { key: string; id: MessageId } {
    const max = this.#limits.maxProcesses;
    if (this.processCount >= max) throw new Error(`too many processes in this session (at most ${max}, gradings included): stop one first`);
    const key = requestId !== undefined ? String(requestId) : `p${++this.#seq}`;
    if (this.#procs.has(key)) throw new Error(`a process with id ${JSON.stringify(key)} is already running`);
    return { key, id: requestId ?? key };
  }

  async #start(kind: 'shell' | 'run', requestId: MessageId | undefined, m: { file?: string; env?: Record<string, string>; timeoutMs?: number; cols?: number | undefined; rows?: number | undefined; peer?: string }): Promise<void> {
    const limits = this.#limits;
    const { key, id } = this.#claim(requestId);
    const { command, args } = kind === 'run' ? runCommand(this.workspace.existingFile(m.file)) : shellCommand();
    let timeoutMs = limits.shellIdleMs;
    if (kind === 'run') timeoutMs = m.timeoutMs === undefined ? limits.runTimeoutMs : Math.max(1, Math.min(limits.maxRunTimeoutMs, m.timeoutMs));
    this.#starting++;
    let term: TerminalProcess;
    let practice: Practice | null = null;
    let env = m.env;
    try {
      if (kind === 'run' && m.peer !== undefined) {
        // The exercise's own environment (a free port of this machine), and its practice peer listening first.
        practice = await startPractice(m.peer, (line) => this.#send({ type: 'output', id, data: `\x1b[2m${line}\x1b[0m\r\n` }));
        env = practice.env;
      }
      term = await spawnInTerminal({ command, args, cwd: this.workspace.dir, env: programEnv(kind, env), cols: m.cols ?? 80, rows: m.rows ?? 24, jail: sessionJailSupport().jail });
    } catch (e) {
      practice?.stop();
      throw e;
    } finally {
      this.#starting--;
    }
    if (this.#closed) {
      practice?.stop();
      term.kill({ now: true });
      return;
    }
    let finished!: () => void;
    const p: Proc = { id, key, kind, term, bytes: 0, decoder: new StringDecoder('utf8'), timer: undefined, done: new Promise<void>((r) => (finished = r)) };
    this.#procs.set(key, p);
    this.#latest = key;
    p.timer = setTimeout(() => this.#stop(p, 'time', kind === 'run' ? `ran longer than ${formatDuration(timeoutMs)}` : `idle for ${formatDuration(timeoutMs)}`), timeoutMs);
    if (this.#paused) term.pause();
    term.onData((chunk) => this.#onOutput(p, chunk));
    term.onExit((code) => {
      practice?.stop();
      this.#onExit(p, code);
      finished();
    });
    this.#send({ type: 'started', id, kind, ...(kind === 'run' ? { env: practice?.env ?? m.env ?? {} } : {}) });
    practice?.watch();
  }

  #onOutput(p: Proc, chunk: Buffer): void {
    if (p.stopped) return;
    if (p.kind === 'shell') p.timer?.refresh();
    const limit = this.#limits.outputLimitBytes;
    const room = limit - p.bytes;
    if (chunk.length > room) {
      if (room > 0) this.#emit(p, chunk.subarray(0, room));
      p.bytes = limit;
      this.#stop(p, 'output', `more than ${formatBytes(limit)} of output${p.kind === 'shell' ? ' at once' : ''}`);
      return;
    }
    p.bytes += chunk.length;
    this.#emit(p, chunk);
  }

  #emit(p: Proc, chunk: Buffer): void {
    const data = p.decoder.write(chunk);
    if (data) this.#send({ type: 'output', id: p.id, data });
  }

  /** Stops a process with a one-line reason on its terminal (a grading: its host, and every program in it). */
  #stop(p: Proc, reason: StopReason, words?: string): void {
    if (p.stopped || p.term?.exited) return;
    p.stopped = reason;
    p.message = words ? `stopped: ${words}` : p.kind === 'run' ? 'stopped the program' : p.kind === 'shell' ? 'stopped the shell' : 'stopped';
    clearTimeout(p.timer);
    if (p.term) {
      const rest = p.decoder.end();
      this.#send({ type: 'output', id: p.id, data: `${rest}\r\n[${p.message}]\r\n` });
      p.term.kill();
    } else p.host?.kill();
  }

  #onExit(p: Proc, code: number | null): void {
    clearTimeout(p.timer);
    this.#procs.delete(p.key);
    if (!p.stopped) {
      const rest = p.decoder.end();
      if (rest) this.#send({ type: 'output', id: p.id, data: rest });
    }
    this.#send({ type: 'exit', id: p.id, code: p.stopped ? null : code, ...(p.stopped ? { stopped: p.stopped, message: p.message } : {}) });
  }

  /** A grading: the learner's own code, in the same sandbox as `tcplab grade` where the machine has one. */
  async #grade(requestId: MessageId | undefined, exercise: string, file: string): Promise<void> {
    if (!Object.hasOwn(GRADERS, exercise)) throw new Error(`unknown exercise: ${JSON.stringify(exercise)}`);
    const source = readFileSync(this.workspace.existingFile(file), 'utf8');
    const { key, id } = this.#claim(requestId);
    let finished!: () => void;
    const p: Proc = { id, key, kind: 'grade', bytes: 0, decoder: new StringDecoder('utf8'), timer: undefined, done: new Promise<void>((r) => (finished = r)) };
    this.#procs.set(key, p);
    try {
      const [v] = await gradeHandInIsolated({ exercises: [{ id: exercise, source }], labs: [], quizzes: [] }, {
        isolation: gradingIsolation('own code').isolation,
        concurrency: 1,
        onStart: (host) => {
          p.host = host;
          if (this.#closed || p.stopped) host.kill();
        },
      });
      const result: GradeResult = v
        ? { exercise, status: v.status, checks: v.checks ?? [], output: v.output ?? '', durationMs: v.durationMs, ...(v.status === 'error' ? { error: v.reason } : {}) }
        : { exercise, status: 'error', checks: [], output: '', error: 'no verdict', durationMs: 0 };
      if (!this.#closed && !p.stopped) this.#send({ type: 'grade', ...(requestId !== undefined ? { id: requestId } : {}), result });
    } finally {
      this.#procs.delete(key);
      finished();
    }
  }

  /**
   * Kills every process and removes the workspace. `now` (the server is exiting) kills synchronously
   * and removes the directory at once; otherwise it waits (at most 2 s) for the processes to be reaped.
   */
  async close({ now = false }: { now?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const procs = [...this.#procs.values()];
    for (const p of procs) {
      clearTimeout(p.timer);
      p.stopped ??= 'stopped';
      p.message ??= 'stopped';
      p.term?.kill({ now });
      p.host?.kill();
    }
    if (!now) await Promise.race([Promise.all(procs.map((p) => p.done)), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.workspace.remove();
  }
}
