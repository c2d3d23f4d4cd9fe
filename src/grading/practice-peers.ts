/**
 * The other side of an exercise when the learner presses Run (not Test): a client exercise needs a server
 * to talk to, so Run starts one that behaves like the grader's (or an echo server for an exercise without
 * one of its own); a server exercise needs no peer, the learner connects from a second terminal.
 * Written against the graders' NetLike, so the same peers run on the simulated kernel (sim runner) and
 * on real Node (local runner). Each peer says what it does, in lines the runner prints.
 */
import type { NetLike, SocketLike } from './exercise-types.ts';

export interface PeerContext {
  net: NetLike;
  /** The program's environment (PORT, PEER_PORT, REQUEST …): the peer listens on PEER_PORT. */
  env: Record<string, string>;
  sleep(ms: number): Promise<void>;
  /** A line for the learner, printed apart from the program's output. */
  say(line: string): void;
}

export interface RunningPeer {
  stop(): void;
}

export interface PracticePeer {
  /** Starts the peer; resolves once the program may start (the server listens). */
  start(ctx: PeerContext): Promise<RunningPeer>;
}

const text = (d: Uint8Array | string) => (typeof d === 'string' ? d : new TextDecoder().decode(d));

function listen(ctx: PeerContext, server: ReturnType<NetLike['createServer']>, port: number): Promise<void> {
  return new Promise((resolve) => {
    server.on('error', (e: { code?: string }) => {
      ctx.say(`practice server: cannot listen on 127.0.0.1:${port} (${e.code ?? 'error'})`);
      resolve();
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** The server of a client exercise: reads nothing (pauseOnConnect) and closes 300 ms later, so its kernel resets (lesson 5). */
const neverReads: PracticePeer = {
  async start(ctx) {
    const port = Number(ctx.env['PEER_PORT']);
    const conns = new Set<SocketLike>();
    const server = ctx.net.createServer({ pauseOnConnect: true }, (s) => {
      conns.add(s);
      s.on('error', () => undefined);
      ctx.say('practice server: accepted your connection; it never reads, and closes it in 300 ms (with unread bytes, its kernel sends a RST)');
      void ctx.sleep(300).then(() => s.destroy());
    });
    await listen(ctx, server, port);
    ctx.say(`practice server listening on 127.0.0.1:${port} (like the grader's: it never reads what you send)`);
    return { stop: () => (conns.forEach((c) => c.destroy()), server.close()) };
  },
};

/** The server of lesson 6: answers only after the client's FIN, in pieces, then ends. */
const answersAfterFin: PracticePeer = {
  async start(ctx) {
    const port = Number(ctx.env['PEER_PORT']);
    const server = ctx.net.createServer({ allowHalfOpen: true }, (s) => {
      let request = '';
      s.on('error', () => undefined);
      s.on('data', (d: Uint8Array | string) => (request += text(d)));
      s.on('end', async () => {
        ctx.say(`practice server: read ${JSON.stringify(request)} then your FIN; now it answers`);
        for (const part of ['200 OK\n', 'the answer comes in pieces,\n', 'and only after your FIN.\n']) {
          s.write(part);
          await ctx.sleep(30);
        }
        s.end();
      });
    });
    await listen(ctx, server, port);
    ctx.say(`practice server listening on 127.0.0.1:${port} (like the grader's: it answers once it has read your FIN)`);
    return { stop: () => server.close() };
  },
};

/** Lesson 10: nothing listens at first (the program's first try connects to itself); a server appears 400 ms later. */
const lateServer: PracticePeer = {
  async start(ctx) {
    const port = Number(ctx.env['PEER_PORT']);
    let server: ReturnType<NetLike['createServer']> | null = null;
    let stopped = false;
    ctx.say(`practice server: nothing listens on 127.0.0.1:${port} for 400 ms (like the grader's), then a server answers there`);
    void ctx.sleep(400).then(async () => {
      if (stopped) return;
      server = ctx.net.createServer({}, (s) => {
        s.on('error', () => undefined);
        s.end('hello from the real server\n');
      });
      await listen(ctx, server, port);
      ctx.say(`practice server listening on 127.0.0.1:${port}`);
    });
    return {
      stop: () => {
        stopped = true;
        (server as ReturnType<NetLike['createServer']> | null)?.close();
      },
    };
  },
};

/** Any other client exercise: an echo server that ends when the client ends. */
export const echoPeer: PracticePeer = {
  async start(ctx) {
    const port = Number(ctx.env['PEER_PORT']);
    const server = ctx.net.createServer({ allowHalfOpen: true }, (s) => {
      s.on('error', () => undefined);
      s.on('data', (d: Uint8Array | string) => s.write(d));
      s.on('end', () => s.end());
    });
    await listen(ctx, server, port);
    ctx.say(`echo server listening on 127.0.0.1:${port}: it sends back what it reads, and ends when you end`);
    return { stop: () => server.close() };
  },
};

const PEERS: Record<string, PracticePeer> = {
  'reset-on-unread': neverReads,
  'half-close-request': answersAfterFin,
  'self-connect-retry': lateServer,
};

/**
 * The peer Run starts for an exercise: its own for a client exercise (an echo server when it has none),
 * null for a server exercise (the learner is the client, from a second terminal).
 */
export function practicePeer(exerciseId: string, role: 'server' | 'client'): PracticePeer | null {
  if (role === 'server') return null;
  return PEERS[exerciseId] ?? echoPeer;
}
