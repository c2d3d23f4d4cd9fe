/**
 * The `local` runner: real Node and a real shell on the learner's own machine, through the server of
 * `npm start` (src/server/local-runner). One WebSocket per runner; the page proves itself with the token
 * the server put in its <meta name="tcplab-local"> tag.
 */
import type { GradeResult } from '../../grading/exercise-types.ts';
import type { Availability, Capabilities, RunOptions, RunResult, Runner, Session, TerminalPort } from '../types.ts';
import { CLOSE_TOO_MANY_SESSIONS, LOCAL_LOGIN_NEEDED, LOCAL_STATUS_PATH, LOCAL_WS_PATH, TOKEN_HEADER_NAME, NO_LOCAL_SERVER, loginNeeded, tokenFromPage, type ClientMessage, type LocalStatus, type ServerMessage } from './protocol.ts';

export { NO_LOCAL_SERVER, tokenFromPage } from './protocol.ts';

export interface LocalRunnerOptions {
  /** The site server's origin, e.g. http://127.0.0.1:4321 (default: the page's). */
  baseUrl?: string;
  /** The server's token (default: the page's <meta name="tcplab-local">). */
  token?: string;
  /**
   * Headers of the WebSocket handshake. Only for Node (tests), whose WebSocket sends no Origin: a
   * browser sets Origin itself and would reject this argument.
   */
  headers?: Record<string, string>;
  /** How long to wait for the server to answer (ms). */
  timeoutMs?: number;
}

export const LOCAL_CAPABILITIES: Capabilities = {
  halfClose: true,
  reset: true,
  localPort: true,
  selfConnect: true,
  realKernelStates: true,
  shell: true,
  processKill: true,
  trace: false,
};

type Reply = Extract<ServerMessage, { type: 'ok' | 'grade' | 'error' }>;
type Exit = Extract<ServerMessage, { type: 'exit' }>;

type Started = Extract<ServerMessage, { type: 'started' }>;

interface ProcHandlers {
  started(m: Started): void;
  output(data: string): void;
  /** `local`: made up here because the connection ended (the server printed nothing about it). */
  exit(msg: Exit, local?: boolean): void;
  /** The process could not start (or the connection ended before it did). */
  failed(message: string): void;
}


export class LocalRunner implements Runner {
  readonly kind = 'local' as const;
  readonly label = 'Local: real Node on this computer';
  readonly #opts: LocalRunnerOptions;
  #caps: Capabilities = { ...LOCAL_CAPABILITIES };
  #ws: WebSocket | null = null;
  #connecting: Promise<WebSocket> | null = null;
  #seq = 0;
  #replies = new Map<string, { resolve: (m: Reply) => void; reject: (e: Error) => void }>();
  #procs = new Map<string, ProcHandlers>();
  /** Why the server refused or closed the connection, for the next message to the learner. */
  #lastError = '';

  constructor(opts: LocalRunnerOptions = {}) {
    this.#opts = opts;
  }

  #token(): string | undefined {
    return this.#opts.token ?? tokenFromPage();
  }

  #base(): string {
    if (this.#opts.baseUrl) return this.#opts.baseUrl.replace(/\/$/, '');
    if (typeof location !== 'undefined') return location.origin;
    throw new Error(NO_LOCAL_SERVER);
  }

  async availability(): Promise<Availability> {
    const token = this.#token();
    if (!token) return { available: false, reason: loginNeeded() ? LOCAL_LOGIN_NEEDED : NO_LOCAL_SERVER };
    let res: Response;
    try {
      res = await fetch(`${this.#base()}${LOCAL_STATUS_PATH}`, { headers: { ...this.#opts.headers, [TOKEN_HEADER_NAME]: token }, cache: 'no-store', signal: AbortSignal.timeout(this.#opts.timeoutMs ?? 5000) });
    } catch {
      return { available: false, reason: NO_LOCAL_SERVER };
    }
    if (res.status === 403) return { available: false, reason: `the local server refused this page (it was restarted?): ${LOCAL_LOGIN_NEEDED}` };
    if (!res.ok) return { available: false, reason: `the local server answered HTTP ${res.status}` };
    let status: LocalStatus;
    try {
      status = (await res.json()) as LocalStatus;
    } catch {
      return { available: false, reason: 'the local server sent a malformed answer' };
    }
    if (!status.pty) return { available: false, reason: 'the local server cannot open terminals on this machine' };
    this.#caps = { ...LOCAL_CAPABILITIES };
    return { available: true };
  }

  capabilities(): Capabilities {
    return { ...this.#caps };
  }

  #connect(): Promise<WebSocket> {
    if (this.#ws && this.#ws.readyState === WebSocket.OPEN) return Promise.resolve(this.#ws);
    if (this.#connecting) return this.#connecting;
    const token = this.#token();
    if (!token) return Promise.reject(new Error(NO_LOCAL_SERVER));
    const url = `${this.#base().replace(/^http/, 'ws')}${LOCAL_WS_PATH}?token=${encodeURIComponent(token)}`;
    this.#connecting = new Promise<WebSocket>((resolve, reject) => {
      // Node's WebSocket takes headers in a second argument; browsers must not get it.
      const ws = this.#opts.headers ? new WebSocket(url, { headers: this.#opts.headers } as unknown as string[]) : new WebSocket(url);
      let opened = false;
      this.#lastError = '';
      ws.onopen = () => {
        opened = true;
        this.#ws = ws;
        this.#connecting = null;
        resolve(ws);
      };
      ws.onmessage = (ev: MessageEvent) => this.#onMessage(String(ev.data));
      ws.onclose = (ev: CloseEvent) => {
        this.#connecting = null;
        if (this.#ws === ws) this.#ws = null;
        const why =
          this.#lastError ||
          (ev.code === CLOSE_TOO_MANY_SESSIONS ? `the local server refused: ${ev.reason}` : opened ? 'the connection to the local server closed' : 'cannot connect to the local server (stopped, or restarted: reload the page)');
        if (!opened) reject(new Error(why));
        this.#failAll(why);
      };
      ws.onerror = () => {
        /* onclose follows with the reason */
      };
    });
    return this.#connecting;
  }

  #failAll(why: string): void {
    const replies = [...this.#replies.values()];
    this.#replies.clear();
    for (const r of replies) r.reject(new Error(why));
    const procs = [...this.#procs.entries()];
    this.#procs.clear();
    for (const [id, p] of procs) p.exit({ type: 'exit', id, code: null, stopped: 'stopped', message: why }, true);
  }

  #onMessage(text: string): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    const key = m.id === undefined ? undefined : String(m.id);
    switch (m.type) {
      case 'started':
        this.#procs.get(String(m.id))?.started(m);
        return;
      case 'output':
        this.#procs.get(String(m.id))?.output(m.data);
        return;
      case 'exit': {
        const p = this.#procs.get(String(m.id));
        this.#procs.delete(String(m.id));
        p?.exit(m);
        return;
      }
      case 'error': {
        if (key === undefined) {
          this.#lastError = m.message;
          return;
        }
        const p = this.#procs.get(key);
        if (p) {
          this.#procs.delete(key);
          p.failed(m.message);
          return;
        }
        const r = this.#replies.get(key);
        this.#replies.delete(key);
        r?.reject(new Error(m.message));
        return;
      }
      case 'ok':
      case 'grade': {
        if (key === undefined) return;
        const r = this.#replies.get(key);
        this.#replies.delete(key);
        r?.resolve(m);
        return;
      }
    }
  }

  #nextId(): string {
    return `c${++this.#seq}`;
  }

  #send(ws: WebSocket, msg: ClientMessage): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  async #request(msg: ClientMessage): Promise<Reply> {
    const ws = await this.#connect();
    const id = this.#nextId();
    return new Promise<Reply>((resolve, reject) => {
      this.#replies.set(id, { resolve, reject });
      this.#send(ws, { ...msg, id });
    });
  }

  async prepare(files: Record<string, string>): Promise<void> {
    await this.#request({ type: 'files', files });
  }

  /** Starts a process, wiring the terminal both ways; resolves once it runs. */
  async #startProcess(msg: ClientMessage & { type: 'shell' | 'run' }, terminal: TerminalPort | undefined, onExit: (m: Exit, output: string) => void, onStarted?: (m: Started) => void): Promise<{ id: string; ws: WebSocket }> {
    const ws = await this.#connect();
    const id = this.#nextId();
    const unsubscribe: (() => void)[] = [];
    let output = '';
    const cleanup = () => unsubscribe.splice(0).forEach((u) => u());
    return new Promise((resolve, reject) => {
      this.#procs.set(id, {
        started: (m) => {
          onStarted?.(m);
          resolve({ id, ws });
        },
        output: (data) => {
          output += data;
          terminal?.write(data);
        },
        exit: (m, local) => {
          cleanup();
          if (local) terminal?.write(`\r\n[${m.message}]\r\n`); // never a silent, frozen terminal
          resolve({ id, ws }); // the connection may end before `started`
          onExit(m, output);
        },
        failed: (message) => {
          cleanup();
          reject(new Error(message));
        },
      });
      if (terminal) {
        unsubscribe.push(terminal.onInput((data) => this.#send(ws, { type: 'input', id, data })));
        const off = terminal.onResize?.(({ cols, rows }) => this.#send(ws, { type: 'resize', id, cols, rows }));
        if (off) unsubscribe.push(off);
      }
      this.#send(ws, { ...msg, id });
    });
  }

  async startShell(terminal: TerminalPort): Promise<Session> {
    return this.#shell(terminal);
  }

  async #shell(terminal: TerminalPort, env?: Record<string, string>): Promise<Session> {
    let resolveExit!: (code: number | null) => void;
    const exited = new Promise<number | null>((r) => (resolveExit = r));
    const { id, ws } = await this.#startProcess({ type: 'shell', cols: terminal.cols, rows: terminal.rows, ...(env ? { env } : {}) }, terminal, (m) => resolveExit(m.code));
    return { exited, kill: () => this.#send(ws, { type: 'kill', id }) };
  }

  async run(file: string, opts: RunOptions = {}): Promise<RunResult> {
    const terminal = opts.terminal;
    let resolveResult!: (r: RunResult) => void;
    const result = new Promise<RunResult>((r) => (resolveResult = r));
    const msg: ClientMessage = {
      type: 'run',
      file,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(terminal ? { cols: terminal.cols, rows: terminal.rows } : {}),
      ...(opts.peer ? { peer: opts.peer } : {}),
    };
    // A second terminal (a server exercise): a shell on this machine with the program's PORT, while it runs.
    let shell: Session | null = null;
    const second = opts.shell;
    try {
      await this.#startProcess(
        msg,
        terminal,
        (m, output) => {
          shell?.kill();
          resolveResult({ exitCode: m.code, output, ...(m.stopped ? { stopped: m.stopped } : {}), ...(m.message ? { message: m.message } : {}) });
        },
        (started) => {
          if (second && started.env) void this.#shell(second, started.env).then((s) => (shell = s), () => undefined);
        },
      );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      terminal?.write(`\r\n[${message}]\r\n`);
      return { exitCode: null, output: '', message };
    }
    return result;
  }

  async grade(exerciseId: string, file: string): Promise<GradeResult> {
    const reply = await this.#request({ type: 'grade', exercise: exerciseId, file });
    if (reply.type !== 'grade') throw new Error('the local server sent no grade');
    return reply.result;
  }

  async stop(): Promise<void> {
    const ws = this.#ws;
    if (!ws) return;
    // Stop every process first and let their exits arrive ("[stopped the program]"), then close.
    const running = [...this.#procs.keys()];
    this.#send(ws, { type: 'kill' });
    const deadline = Date.now() + 2000;
    while (running.some((id) => this.#procs.has(id)) && Date.now() < deadline && ws.readyState === WebSocket.OPEN) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.addEventListener('close', () => resolve(), { once: true });
      ws.close(1000, 'stopped');
    });
  }
}
