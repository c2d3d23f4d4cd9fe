/**
 * Run with a peer, on this machine: the exercise's own environment (PORT or PEER_PORT on a port that is free
 * here), its practice peer (src/grading/practice-peers.ts, on real node:net, in this server) listening before
 * the program starts, and for a server exercise a line once the program listens — the same as the sim
 * runner does on the simulated kernel.
 */
import * as net from 'node:net';
import { procNetTcpRows } from '../proc-net-tcp.ts';
import type { NetLike } from '../../grading/exercise-types.ts';
import { GRADERS } from '../../grading/graders/index.ts';
import { practicePeer, type RunningPeer } from '../../grading/practice-peers.ts';
import { randomToken } from '../../grading/run-common.ts';
import { freePort } from '../../grading/run-real.ts';

export interface Practice {
  /** The program's environment. */
  env: Record<string, string>;
  /** Starts watching for the program to listen (a server exercise). */
  watch(): void;
  stop(): void;
}

/** True when something of this machine listens on 127.0.0.1 (or any address) at `port` (Linux: /proc/net/tcp). */
export function listensOn(port: number): boolean {
  // st 0A = LISTEN.
  return procNetTcpRows().some((r) => r.fields[3] === '0A' && r.local?.port === port);
}

export async function startPractice(exercise: string, say: (line: string) => void): Promise<Practice> {
  if (!Object.hasOwn(GRADERS, exercise)) throw new Error(`unknown exercise: ${JSON.stringify(exercise)}`);
  const grader = GRADERS[exercise]!;
  const port = await freePort();
  const env = { ...grader.env(port, randomToken()) };
  let peer: RunningPeer | null = null;
  let timer: NodeJS.Timeout | undefined;
  const practice = practicePeer(exercise, grader.role);
  if (practice) {
    peer = await practice.start({ net: net as unknown as NetLike, env, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), say });
  }
  return {
    env,
    watch: () => {
      if (grader.role !== 'server') return;
      const started = Date.now();
      timer = setInterval(() => {
        if (listensOn(port)) {
          clearInterval(timer);
          say(`listening on 127.0.0.1:${port}: connect to it from the Shell (nc 127.0.0.1 $PORT)`);
        } else if (Date.now() - started > 30_000) clearInterval(timer);
      }, 100);
    },
    stop: () => {
      clearInterval(timer);
      peer?.stop();
    },
  };
}
