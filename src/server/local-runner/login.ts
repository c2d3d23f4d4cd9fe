/**
 * Only whoever started `npm start` gets the local runner (Jupyter's model). `npm start` prints the site's
 * address with a login token made at this start; the first request carrying it gets an HttpOnly,
 * SameSite=Strict session cookie and is redirected to the same page without the token (so it stays out of
 * the history and of the Referer). Pages carry the runner's secret, and the runner accepts connections, only
 * for requests with that cookie — and, on Linux, only from the server's own user (peer-owner.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { peerIsOwner } from '../peer-owner.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export class LoginGate {
  /** The token of the link `npm start` prints. */
  readonly token: string;
  readonly cookieName: string;
  readonly #sessions = new Set<string>();

  constructor(port: () => number | undefined, token?: string) {
    this.token = token && token.length >= 16 ? token : randomBytes(24).toString('base64url');
    this.#port = port;
    this.cookieName = 'tcplab_runner';
  }

  readonly #port: () => number | undefined;

  /** The address to open (printed by `npm start`). */
  link(host = '127.0.0.1'): string {
    return `http://${host}:${this.#port()}/?token=${this.token}`;
  }

  /** The session id of a request's cookie, if it is one this server issued. */
  session(req: IncomingMessage): string | undefined {
    const header = req.headers.cookie ?? '';
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== this.cookieName) continue;
      const value = part.slice(eq + 1).trim();
      // Hash-compared: the set never answers faster for a near miss.
      for (const s of this.#sessions) if (same(s, value)) return s;
    }
    return undefined;
  }

  /** The request comes with this server's session and from this server's own user. */
  allows(req: IncomingMessage): boolean {
    return this.session(req) !== undefined && peerIsOwner(req.socket);
  }

  /**
   * A request carrying `?token=`: with the right token (from the owner), sets the session cookie and
   * redirects to the same address without it; with a wrong one, sets nothing and redirects too (the token
   * never stays in the address bar). Returns true when it answered.
   */
  handle(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const given = url.searchParams.get('token');
    if (given === null || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    url.searchParams.delete('token');
    const location = `${url.pathname}${url.search}${url.hash}`;
    const out: Record<string, string> = { ...headers, Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
    if (same(given, this.token) && peerIsOwner(req.socket)) {
      const id = randomBytes(32).toString('base64url');
      this.#sessions.add(id);
      out['Set-Cookie'] = `${this.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(303, out);
    res.end();
    return true;
  }
}
