import { createHash } from 'node:crypto';

/**
 * Headers every response carries. Cross-origin isolation is what WebContainer needs to boot; no page may be
 * framed by another (a framed page with a working runner could be clickjacked).
 */
export const SECURITY_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
} as const;

/**
 * The policy of an HTML page: scripts only from this site and the page's own inline scripts (by hash: the
 * theme script that must run before the first paint), no plugins, no <base> rewrites, no framing.
 */
export function documentPolicy(html: string): string {
  const hashes = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (/\bsrc\s*=/i.test(attrs)) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    // Data blocks (application/json …) are not scripts; only JavaScript needs a hash.
    if (type && type !== 'module' && type !== 'text/javascript' && type !== 'application/javascript') continue;
    hashes.add(`'sha256-${createHash('sha256').update(m[2] ?? '').digest('base64')}'`);
  }
  return [`script-src 'self'${[...hashes].map((h) => ` ${h}`).join('')}`, "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"].join('; ');
}
