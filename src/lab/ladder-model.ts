import type { TraceEvent } from '../kernel/trace.ts';

export interface LadderColumn {
  endpoint: string;
  /** Names of the sockets seen at this address (e.g. "nc:3"). */
  names: string[];
}

export type LadderRow =
  | { kind: 'segment'; t: number; from: number; to: number; flags: string; label: string; dropped: boolean; detail: string; mark?: string }
  | { kind: 'state'; t: number; col: number; state: string; socket: string; reason: string };

export interface LadderModel {
  columns: LadderColumn[];
  rows: LadderRow[];
  /** Segments left out because only the most recent are drawn. */
  hidden: number;
  total: number;
}

/**
 * Lays out a kernel trace as a ladder (sequence) diagram: one column per address, an arrow per segment,
 * state changes beside their socket's column; a self-connection is one column with arrows looping back.
 * Only the last `maxSegments` segments (and the state changes among them) are kept.
 */
export function ladderModel(
  events: readonly TraceEvent[],
  endpointOf: (sock: number) => string | null,
  labelOf: (sock: number) => string,
  maxSegments = 60,
): LadderModel {
  const segs = events.filter((e) => e.kind === 'segment');
  const total = segs.length;
  const hidden = Math.max(0, total - maxSegments);
  const since = hidden > 0 ? segs[hidden]!.t : -1;
  const columns: LadderColumn[] = [];
  const colOf = (endpoint: string) => {
    let i = columns.findIndex((c) => c.endpoint === endpoint);
    if (i < 0) {
      columns.push({ endpoint, names: [] });
      i = columns.length - 1;
    }
    return i;
  };
  const addName = (i: number, name: string) => {
    const c = columns[i]!;
    if (!c.names.includes(name)) c.names.push(name);
  };
  const rows: LadderRow[] = [];
  let segIndex = 0;
  for (const e of events) {
    if (e.kind === 'segment') {
      segIndex++;
      if (segIndex <= hidden) continue;
      // A connection's two ends sit next to each other: place the receiver right after the sender.
      const from = colOf(e.src);
      const to = colOf(e.dst);
      if (e.from !== null) addName(from, labelOf(e.from));
      const parts = [`[${e.flags}]`];
      if (e.len > 0 || /[SFR]/.test(e.flags)) parts.push(e.len > 0 ? `seq ${e.seq}:${e.seq + e.len}` : `seq ${e.seq}`);
      if (e.flags.includes('.')) parts.push(`ack ${e.ack}`);
      if (e.len > 0) parts.push(`len ${e.len}`);
      rows.push({
        kind: 'segment',
        t: e.t,
        from,
        to,
        flags: e.flags,
        label: parts.join(' '),
        dropped: e.dropped,
        detail: `${(e.t / 1e6).toFixed(6)} s  ${e.src} → ${e.dst}  ${parts.join(', ')}  win ${e.win}${e.dropped ? '  (lost)' : ''}`,
      });
    } else if (e.kind === 'state' && e.t >= since) {
      const ep = endpointOf(e.sock);
      if (!ep || e.to === 'LISTEN' || e.from === 'LISTEN') continue;
      const col = colOf(ep);
      const socket = labelOf(e.sock);
      addName(col, socket);
      rows.push({ kind: 'state', t: e.t, col, state: e.to, socket, reason: e.reason });
    }
  }
  return { columns, rows, hidden, total };
}
