/**
 * Who may use the local runner: only the page this server served to its owner. The owner's session
 * cookie, from this machine's owner (login.ts), a secret token made at each start (the page gets it in a
 * <meta> tag), an Origin of this very server (other sites), a Host naming 127.0.0.1 or localhost with this
 * port (DNS rebinding). Anything else is refused with 403.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from '../security-headers.ts';

export const TOKEN_HEADER = 'x-tcplab-token';

export function makeToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the Host header names this server by loopback address or localhost. */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function originAllowed(origin: string, port: number): boolean {
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

export interface AccessRules {
  port: number | undefined;
  token: string;
  /** Upgrades and state-changing requests must carry an Origin; other requests may omit it (same-origin GET). */
  requireOrigin: boolean;
  /** The request carries the owner's session cookie and comes from the owner (login.ts). */
  session: boolean;
}

/** Why the request is refused, or null when it may proceed. */
export function refusal(req: IncomingMessage, rules: AccessRules): string | null {
  if (rules.port === undefined) return 'the server is not listening yet';
  if (!hostAllowed(req, rules.port)) return 'wrong Host header';
  const origin = req.headers.origin;
  if (origin === undefined || origin === '') {
    if (rules.requireOrigin) return 'missing Origin header';
  } else if (!originAllowed(origin, rules.port)) return 'wrong Origin header';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const header = req.headers[TOKEN_HEADER];
  const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('token') ?? '';
  if (given === '' || !sameSecret(given, rules.token)) return 'missing or wrong token';
  if (!rules.session) return 'no session: open the link `npm start` printed';
  return null;
}

export function refuseHttp(res: ServerResponse, reason: string): void {
  const body = JSON.stringify({ ok: false, error: `forbidden: ${reason}` });
  res.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function refuseUpgrade(socket: Duplex, status: 403 | 404 | 503, reason: string): void {
  const text = { 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status];
  const body = `${text}: ${reason}\n`;
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), 1000).unref();
}
