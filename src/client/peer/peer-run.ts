/** What a "Be the peer" run sends back from its worker: plain data, enough for the verdict and the ladder. */
import type { TraceEvent } from '../../kernel/trace.ts';
import type { Observation, PktVerdict } from '../../packetdrill/index.ts';

export interface PeerRunView {
  events: TraceEvent[];
  /** Socket names (fd 3, fd 4…) by socket id. */
  labels: Record<number, string>;
  observation: Observation;
  verdict: PktVerdict;
  /** How many events the script has. */
  lines: number;
  /** What `tcplab pkt` prints for this run. */
  transcript: string;
}

export type PeerRunReply =
  | { id: number; kind: 'run'; view: PeerRunView }
  | { id: number; kind: 'syntax'; line: number; detail: string }
  | { id: number; kind: 'crash'; message: string };

export interface PeerRunRequest {
  id: number;
  source: string;
  file: string;
}
