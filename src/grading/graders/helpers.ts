import type { GraderContext, SocketLike } from '../exercise-types.ts';

/** The environment of a server exercise: it listens on PORT (shared/EXERCISES.md). */
export const serverEnv = (port: number): Record<string, string> => ({ PORT: String(port) });
/** The environment of a client exercise: it connects to PEER_PORT. */
export const clientEnv = (port: number): Record<string, string> => ({ PEER_PORT: String(port) });
/** The port the learner's program listens on (server) or connects to (client). */
export const exercisePort = (ctx: GraderContext): number => Number(ctx.env['PORT'] ?? ctx.env['PEER_PORT']);

export interface Exchange {
  connected: boolean;
  data: string;
  gotEnd: boolean;
  closed: boolean;
  error: string | null;
  /** The socket, still usable by the caller until it closes. */
  socket: SocketLike | null;
}

/**
 * Connects to the learner's server and sends `payload`, then half-closes if asked; collects the answer
 * until the server ends, the connection closes, or `ms` pass. Retries while the server is not listening yet.
 */
export async function exchange(ctx: GraderContext, port: number, payload: string, opts: { halfClose: boolean; ms: number; retryMs?: number }): Promise<Exchange> {
  let waited = 0;
  for (;;) {
    const r = await once(ctx, port, payload, opts);
    if (r.error !== 'ECONNREFUSED' || waited >= (opts.retryMs ?? 3000)) return r;
    await ctx.sleep(50);
    waited += 50;
  }
}

function once(ctx: GraderContext, port: number, payload: string, opts: { halfClose: boolean; ms: number }): Promise<Exchange> {
  return new Promise((resolve) => {
    const r: Exchange = { connected: false, data: '', gotEnd: false, closed: false, error: null, socket: null };
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const s = ctx.net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      r.connected = true;
      if (payload.length > 0) s.write(payload);
      if (opts.halfClose) s.end();
    });
    r.socket = s;
    s.on('data', (d: Uint8Array | string) => (r.data += typeof d === 'string' ? d : new TextDecoder().decode(d)));
    s.on('end', () => (r.gotEnd = true));
    s.on('error', (e: { code?: string }) => (r.error = e.code ?? 'error'));
    s.on('close', () => {
      r.closed = true;
      done();
    });
    void ctx.sleep(opts.ms).then(done);
  });
}

export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
}

/** Deterministic filler of a given length, different per connection. */
export function payload(n: number, seed: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + ((i * 7 + seed) % 26));
  return s;
}
