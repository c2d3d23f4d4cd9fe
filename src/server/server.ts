import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createStaticHandler, type StaticOptions } from './static-files.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/** A route the server tries before static files; returns true when it handled the request. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export interface SiteServerOptions extends StaticOptions {
  root: string;
  routes?: Route[];
}

/** The site server: static files of the built site plus optional API routes, every response cross-origin isolated. */
export function createSiteServer({ root, routes = [], ...staticOptions }: SiteServerOptions): Server {
  const serveStatic = createStaticHandler(root, staticOptions);
  return createServer(async (req, res) => {
    try {
      for (const route of routes) if (await route(req, res)) return;
      await serveStatic(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
      console.error('[server]', error);
    }
  });
}

/** Listens on 127.0.0.1 only. With an explicit port it fails when taken; otherwise it tries the next ones. */
export async function listenLocal(server: Server, preferred: number, explicit: boolean): Promise<number> {
  for (let port = preferred, tries = 0; tries < 50; port++, tries++) {
    const result = await new Promise<number | 'busy'>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRINUSE' && !explicit) resolve('busy');
        else reject(err);
      };
      const onListening = () => {
        server.off('error', onError);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
    if (result !== 'busy') return result;
  }
  throw new Error(`no free port found from ${preferred}`);
}
