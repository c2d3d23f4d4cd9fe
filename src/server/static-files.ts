import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { contentType } from './content-types.ts';
import { documentPolicy, SECURITY_HEADERS } from './security-headers.ts';

/** Astro puts content-hashed bundles under /_astro/: they can be cached for ever. */
function cacheControl(urlPath: string): string {
  return urlPath.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Maps a URL path to a file under root, or undefined when it would escape root. */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = normalize(join(root, decoded));
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  return full === root || full.startsWith(rootWithSep) ? full : undefined;
}

async function findFile(root: string, urlPath: string): Promise<string | undefined> {
  const base = resolveUnder(root, urlPath);
  if (!base) return undefined;
  for (const candidate of [base, join(base, 'index.html'), `${base}.html`]) {
    try {
      const s = await stat(candidate);
      if (s.isFile()) return candidate;
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

export interface StaticOptions {
  /** Rewrites every HTML page before it is sent (the local runner adds its token). */
  transformHtml?: (html: string, req: IncomingMessage) => string;
}

export function createStaticHandler(root: string, options: StaticOptions = {}) {
  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    // /lessons/x → /lessons/x/ so relative links inside the page resolve the same way as in dev.
    if (!urlPath.endsWith('/') && !urlPath.split('/').pop()?.includes('.')) {
      const dir = resolveUnder(root, urlPath);
      if (dir) {
        try {
          if ((await stat(join(dir, 'index.html'))).isFile()) {
            res.writeHead(308, { ...SECURITY_HEADERS, Location: `${urlPath}/` });
            res.end();
            return;
          }
        } catch {
          /* not a directory page */
        }
      }
    }
    const file = await findFile(root, urlPath);
    if (!file) {
      const page = await findFile(root, '/404.html');
      const html = page ? await readFile(page, 'utf8') : '<!doctype html><title>Not found</title><h1>Page not found</h1>';
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Security-Policy': documentPolicy(html), 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(req.method === 'GET' ? html : undefined);
      return;
    }
    if (file.endsWith('.html')) {
      const html = await readFile(file, 'utf8');
      // A page the local runner rewrites is never stored: it may carry a secret of this server's run.
      const body = Buffer.from(options.transformHtml ? options.transformHtml(html, req) : html);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Security-Policy': documentPolicy(html),
        'Content-Type': contentType(file),
        'Content-Length': body.length,
        'Cache-Control': options.transformHtml ? 'no-store' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const info = await stat(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentType(file),
      'Content-Length': info.size,
      'Cache-Control': cacheControl(urlPath),
      'Last-Modified': info.mtime.toUTCString(),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
