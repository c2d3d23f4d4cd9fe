/**
 * The local runner of `npm start`: its token, its HTTP route (`GET /api/local/status`), its WebSocket
 * endpoint (`/api/local`), the sessions (capped) and `stopAll()` for when the server stops.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_SERVER_STOPPING, CLOSE_TOO_MANY_SESSIONS, LOCAL_STATUS_PATH, LOCAL_WS_PATH, LOGIN_META_NAME, TOKEN_META_NAME, type LocalStatus, type ServerMessage } from '../../runners/local/protocol.ts';
import { SECURITY_HEADERS } from '../security-headers.ts';
import { LoginGate } from './login.ts';
import { hostAllowed, makeToken, refusal, refuseHttp, refuseUpgrade } from './access.ts';
import { DEFAULT_LIMITS, type LocalLimits } from './limits.ts';
import { isAlive } from '../../sandbox/proc-tree.ts';
import { LocalSession } from './session.ts';
import { sessionJailSupport } from '../../sandbox/session-jail.ts';
import { Workspace } from './workspace.ts';

export interface LocalRunnerOptions {
  /** The port the server listens on (or call setPort once it listens). */
  port?: number;
  /** The login token of the link `npm start` prints (default: made at random at each start). */
  loginToken?: string;
  limits?: Partial<LocalLimits>;
  /** Where the session directories go (default: the system's temporary directory). */
  tmpDir?: string;
}

/** Adds a tag at the start of the page's head. */
function injectMeta(html: string, meta: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) return meta + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}

/** The page learns the runner's secret from this tag (only pages this server serves to its owner's session). */
export function injectToken(html: string, token: string): string {
  return injectMeta(html, `<meta name="${TOKEN_META_NAME}" content="${token}">`);
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export class LocalRunnerManager {
  readonly token: string;
  readonly login: LoginGate;
  readonly limits: LocalLimits;
  readonly #tmpDir: string;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<LocalSession, WebSocket>();
  #port: number | undefined;
  #stopping = false;

  constructor(opts: LocalRunnerOptions = {}) {
    this.token = makeToken();
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.#port = opts.port;
    this.login = new LoginGate(() => this.#port, opts.loginToken);
    this.#tmpDir = opts.tmpDir ?? tmpdir();
    Workspace.removeAbandoned(this.#tmpDir, isAlive);
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: 2 * this.limits.maxTotalBytes + (1 << 20), perMessageDeflate: false });
  }

  setPort(port: number): void {
    this.#port = port;
  }

  get port(): number | undefined {
    return this.#port;
  }

  /** The open sessions (diagnostics and tests). */
  get sessions(): LocalSession[] {
    return [...this.#sessions.keys()];
  }

  /** The route for createSiteServer: everything under /api/local, and the login link's redirect. */
  readonly route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== LOCAL_WS_PATH && !path.startsWith(`${LOCAL_WS_PATH}/`)) {
      return this.#port !== undefined && hostAllowed(req, this.#port) ? this.login.handle(req, res, SECURITY_HEADERS) : false;
    }
    const safe = req.method === 'GET' || req.method === 'HEAD';
    const why = refusal(req, { port: this.#port, token: this.token, requireOrigin: !safe, session: this.login.allows(req) });
    if (why) {
      refuseHttp(res, why);
      return true;
    }
    if (path === LOCAL_STATUS_PATH && safe) {
      const status: LocalStatus = { ok: true, node: process.version, platform: process.platform, pty: true, jail: sessionJailSupport().jail !== null, sessions: this.#sessions.size, maxSessions: this.limits.maxSessions };
      sendJson(res, 200, status);
    } else if (path === LOCAL_STATUS_PATH) sendJson(res, 405, { ok: false, error: 'method not allowed' });
    else if (path === LOCAL_WS_PATH) sendJson(res, 426, { ok: false, error: 'use a WebSocket' });
    else sendJson(res, 404, { ok: false, error: 'not found' });
    return true;
  };

  /** For server.on('upgrade'): true when the request was for the local runner (accepted or refused). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== LOCAL_WS_PATH) return false;
    const why = refusal(req, { port: this.#port, token: this.token, requireOrigin: true, session: this.login.allows(req) });
    if (why) refuseUpgrade(socket, 403, why);
    else if (this.#stopping) refuseUpgrade(socket, 503, 'the server is stopping');
    else this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
    return true;
  }

  /**
   * For the static files: a page asked for by the owner's session (loopback Host) gets the runner's secret;
   * any other page served here says how to get it (open the link `npm start` printed).
   */
  readonly transformHtml = (html: string, req: IncomingMessage): string => {
    if (this.#port === undefined || !hostAllowed(req, this.#port)) return html;
    return this.login.allows(req) ? injectToken(html, this.token) : injectMeta(html, `<meta name="${LOGIN_META_NAME}" content="required">`);
  };

  #accept(ws: WebSocket): void {
    ws.on('error', () => {});
    const refuse = (code: number, message: string, reason: string) => {
      ws.send(JSON.stringify({ type: 'error', message } satisfies ServerMessage));
      ws.close(code, reason);
    };
    if (this.#stopping) return refuse(CLOSE_SERVER_STOPPING, 'the local server is stopping', 'server stopping');
    const max = this.limits.maxSessions;
    if (this.#sessions.size >= max) {
      return refuse(CLOSE_TOO_MANY_SESSIONS, `too many local sessions (at most ${max}): close another tab that runs code, then reload this page`, 'too many local sessions');
    }
    let workspace: Workspace;
    try {
      workspace = Workspace.create(this.#tmpDir, this.limits);
    } catch (e) {
      return refuse(1011, `cannot create the session's directory: ${e instanceof Error ? e.message : String(e)}`, 'no workspace');
    }
    const session = new LocalSession(ws, workspace, this.limits);
    this.#sessions.set(session, ws);
    ws.on('close', () => {
      this.#sessions.delete(session);
      void session.close();
    });
  }

  /**
   * Closes every session: kills all their processes and removes their directories. With `now` (from a
   * process 'exit' handler) everything happens synchronously; otherwise it resolves once all are gone.
   */
  async stopAll({ now = false }: { now?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    const all = [...this.#sessions];
    this.#sessions.clear();
    const closing = all.map(([session, ws]) => {
      const done = session.close({ now });
      if (now) ws.terminate();
      else ws.close(CLOSE_SERVER_STOPPING, 'server stopping');
      return done.finally(() => ws.terminate());
    });
    this.#wss.close();
    await Promise.all(closing);
  }
}

export function createLocalRunner(opts: LocalRunnerOptions = {}): LocalRunnerManager {
  return new LocalRunnerManager(opts);
}
