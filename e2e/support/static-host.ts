/**
 * A plain static host for the publishing e2e, like GitHub Pages serving a project site: the built site under
 * a sub-path, a directory's index.html, a 301 to the slash for a directory asked without it, the site's
 * 404.html for anything missing, and no headers but the content's type and length — unless it is given the
 * rules of a `_headers` file to apply, as Netlify and Cloudflare Pages do. Every request is logged.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { contentType } from '../../src/server/content-types.ts';
import { resolveUnder } from '../../src/server/static-files.ts';
import { headersFor, type HeaderRule } from '../../src/publish/headers-file.ts';

export interface StaticHost {
  origin: string;
  /** Every request: its path and the status it got. */
  log: Array<{ path: string; status: number }>;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function startStaticHost(opts: { root: string; base: string; headerRules?: HeaderRule[] }): Promise<StaticHost> {
  const log: StaticHost['log'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    const send = async (status: number, file: string | null, extra: Record<string, string> = {}) => {
      const body = file ? await readFile(file) : Buffer.from(status === 404 ? 'Not found\n' : '');
      const headers = { 'Content-Type': file ? contentType(file) : 'text/plain; charset=utf-8', 'Content-Length': String(body.length), ...extra, ...(opts.headerRules ? headersFor(opts.headerRules, path) : {}) };
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      log.push({ path, status });
    };
    const notFound = async () => {
      const page = join(opts.root, '404.html');
      await send(404, (await isFile(page)) ? page : null);
    };
    if (!path.startsWith(opts.base) || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound();
    const target = resolveUnder(opts.root, `/${path.slice(opts.base.length)}`);
    if (!target) return notFound();
    if (path.endsWith('/')) return (await isFile(join(target, 'index.html'))) ? send(200, join(target, 'index.html')) : notFound();
    if (await isFile(target)) return send(200, target);
    if (await isFile(join(target, 'index.html'))) return send(301, null, { Location: `${path}/` });
    return notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
