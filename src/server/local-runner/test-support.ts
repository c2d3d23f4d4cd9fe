/** Test helpers: a real site server with the local runner on port 0, and a bare protocol client. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../runners/local/protocol.ts';
import { createSiteServer, listenLocal } from '../server.ts';
import { createLocalRunner, type LocalRunnerManager, type LocalRunnerOptions } from './manager.ts';
import { isAlive } from '../../sandbox/proc-tree.ts';

export interface TestServer {
  port: number;
  origin: string;
  local: LocalRunnerManager;
  /** `name=value` of the owner's session cookie, got through the login link as a browser would. */
  cookie: string;
  close(): Promise<void>;
}

/** Opens the login link; returns the session cookie it set (or '' when it set none). */
export async function login(port: number, token: string): Promise<string> {
  const r = await rawRequest(port, `/?token=${encodeURIComponent(token)}`, { Host: `127.0.0.1:${port}` });
  const set = r.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  return first ? first.split(';')[0]! : '';
}

export async function startTestServer(opts: LocalRunnerOptions = {}): Promise<TestServer> {
  const root = mkdtempSync(join(tmpdir(), 'tcplab-site-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><html lang="en"><head><title>t</title></head><body>hi</body></html>');
  const local = createLocalRunner(opts);
  const server = createSiteServer({ root, routes: [local.route], transformHtml: local.transformHtml });
  server.on('upgrade', (req, socket, head) => {
    if (!local.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const port = await listenLocal(server, 0, true);
  local.setPort(port);
  const cookie = await login(port, local.login.token);
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    local,
    cookie,
    async close() {
      await local.stopAll();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An HTTP request with exactly these headers (Host included), or a WebSocket upgrade (status 101). */
export function rawRequest(port: number, path: string, headers: Record<string, string>, opts: { method?: string; upgrade?: boolean } = {}): Promise<RawResponse> {
  const all = opts.upgrade ? { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers } : headers;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: all, setHost: false });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A protocol client over the `ws` package (it can send any Origin and Host). */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  #waiters: (() => void)[] = [];

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    ws.on('error', () => {});
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  static open(server: TestServer, opts: { token?: string; origin?: string; cookie?: string } = {}): Promise<TestClient> {
    const cookie = opts.cookie ?? server.cookie;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/local?token=${encodeURIComponent(opts.token ?? server.local.token)}`, { origin: opts.origin ?? server.origin, headers: cookie ? { Cookie: cookie } : {} });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(msg: ClientMessage | string): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The first message (received so far or later) that matches. */
  async waitFor<T extends ServerMessage>(match: (m: ServerMessage) => m is T, ms?: number): Promise<T>;
  async waitFor(match: (m: ServerMessage) => boolean, ms?: number): Promise<ServerMessage>;
  async waitFor(match: (m: ServerMessage) => boolean, ms = 8000): Promise<ServerMessage> {
    return this.until(() => this.messages.find(match), ms, 'a matching message');
  }

  /** Resolves when `get` returns something (checked on every message), or rejects after `ms`. */
  async until<T>(get: () => T | undefined | null | false, ms = 8000, what = 'the condition'): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = get();
      if (v) return v;
      if (this.closed && !get()) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) before ${what}; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages).slice(-500)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  output(id: string | number): string {
    return this.messages.map((m) => (m.type === 'output' && m.id === id ? m.data : '')).join('');
  }

  exit(id: string | number, ms?: number) {
    return this.waitFor((m): m is Extract<ServerMessage, { type: 'exit' }> => m.type === 'exit' && m.id === id, ms);
  }

  reply(id: string | number, ms?: number) {
    return this.waitFor((m) => m.type !== 'output' && m.type !== 'started' && m.type !== 'exit' && m.id === id, ms);
  }

  /** The pid a program printed as `PID <n>`. */
  pid(id: string | number, ms?: number): Promise<number> {
    return this.until(() => Number(/PID (\d+)/.exec(this.output(id))?.[1]) || undefined, ms, `the PID of ${id}`);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}

/** Resolves with the first truthy value of `get` (polled), or rejects after `ms`. */
export async function poll<T>(get: () => T | undefined | null | false, ms = 3000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves true once none of `pids` runs any more, false after `ms`. */
/**
 * The pids of the processes whose command line holds `needle`. Programs of a session live in a process
 * namespace of their own, so the pid they print is not the machine's: tests find them by what they run.
 */
export function running(needle: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle) && isAlive(Number(name))) found.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return found;
}

/** Resolves true once no process runs with `needle` in its command line (false after `ms`). */
export async function noneRunning(needles: string[], ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (needles.every((n) => running(n).length === 0)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return needles.every((n) => running(n).length === 0);
}

export async function allGone(pids: number[], ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pids.every((p) => !isAlive(p))) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pids.every((p) => !isAlive(p));
}
