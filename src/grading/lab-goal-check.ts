import type { TraceEvent } from '../kernel/trace.ts';
import type { TcpState } from '../kernel/types.ts';

/**
 * Lab goals: predicates over a kernel trace, as a tagged union (one kind per idea, no boolean modes).
 * The same predicates tick the goals live in the browser and check each goal's reference solution in tests.
 * Kept apart from the zod schemas of lab-goals.ts, so the lab in the browser does not carry them.
 */
export type LabGoal =
  /** A connection opened with SYN, SYN-ACK, ACK and later closed with a FIN from each side. */
  | { kind: 'open-and-close' }
  /** A connection's close, from its first FIN to its last segment, took exactly this many segments. */
  | { kind: 'close-in-segments'; segments: number; selfConnection?: boolean }
  /** At one moment, sockets were in all these states at once (at least `min` in each). */
  | { kind: 'states-at-once'; states: TcpState[]; min?: number }
  /**
   * Some socket made this transition (from one of `from` to one of `to`), its reason matching `reason` — at least
   * `count` different sockets when given.
   */
  | { kind: 'transition'; from?: TcpState[]; to: TcpState[]; reason?: string; never?: TcpState; count?: number }
  /** Two sockets of one connection both went SYN_SENT → SYN_RECV → ESTABLISHED. */
  | { kind: 'simultaneous-open' }
  /** After a call whose text matches `call`, the socket sent nothing for `quietUs` and kept its state. */
  | { kind: 'call-sends-nothing'; call: string; quietUs: number }
  /** A FIN was sent twice with the same sequence number, and the second one was acknowledged. */
  | { kind: 'fin-retransmitted-and-acked' }
  /** Both sockets of one connection closed at once: each went FIN_WAIT_1 → CLOSING → TIME_WAIT. */
  | { kind: 'simultaneous-close' }
  /** A graceful close: after sending the first FIN, that side still received data; then FINs both ways, no RST. */
  | { kind: 'data-after-fin' }
  /** Every one of these goals is met. */
  | { kind: 'all'; goals: LabGoal[] };


type Segment = Extract<TraceEvent, { kind: 'segment' }>;

interface Connection {
  key: string;
  segments: Segment[];
}

/** Segments grouped by connection: the unordered address pair, a new connection at each SYN without ACK. */
function connections(events: readonly TraceEvent[]): Connection[] {
  const open = new Map<string, Connection>();
  const all: Connection[] = [];
  for (const e of events) {
    if (e.kind !== 'segment' || e.dropped) continue;
    const pair = [e.src, e.dst].sort().join('|');
    let c = open.get(pair);
    if (!c || (e.flags === 'S' && c.segments.some((s) => s.flags.includes('F') || s.flags.includes('R')))) {
      c = { key: pair, segments: [] };
      open.set(pair, c);
      all.push(c);
    }
    c.segments.push(e);
  }
  return all;
}

function lastStates(events: readonly TraceEvent[]): Map<number, TcpState> {
  const m = new Map<number, TcpState>();
  for (const e of events) if (e.kind === 'state') m.set(e.sock, e.to);
  return m;
}

function openAndClose(events: readonly TraceEvent[]): boolean {
  return connections(events).some((c) => {
    const f = c.segments.map((s) => s.flags);
    const syn = f.indexOf('S');
    const synAck = f.indexOf('S.', syn);
    if (syn < 0 || synAck < 0) return false;
    const fins = c.segments.filter((s) => s.flags.includes('F'));
    return new Set(fins.map((s) => s.src)).size === 2 || (fins.length > 0 && c.segments[0]!.src === c.segments[0]!.dst);
  });
}

function closeInSegments(events: readonly TraceEvent[], n: number, self: boolean | undefined): boolean {
  const states = lastStates(events);
  return connections(events).some((c) => {
    const isSelf = c.segments[0]!.src === c.segments[0]!.dst;
    if (self !== undefined && self !== isSelf) return false;
    if (c.segments.some((s) => s.flags.includes('R'))) return false;
    const firstFin = c.segments.findIndex((s) => s.flags.includes('F'));
    if (firstFin < 0) return false;
    const senders = new Set(c.segments.map((s) => s.from).filter((x): x is number => x !== null));
    const finished = [...senders].every((id) => {
      const st = states.get(id);
      return st === 'TIME_WAIT' || st === 'CLOSED';
    });
    return finished && c.segments.length - firstFin === n;
  });
}

function statesAtOnce(events: readonly TraceEvent[], wanted: TcpState[], min: number): boolean {
  const now = new Map<number, TcpState>();
  const check = () => wanted.every((w) => [...now.values()].filter((s) => s === w).length >= min);
  for (const e of events) {
    if (e.kind !== 'state') continue;
    now.set(e.sock, e.to);
    if (check()) return true;
  }
  return false;
}

function transition(events: readonly TraceEvent[], g: Extract<LabGoal, { kind: 'transition' }>): boolean {
  const visited = new Map<number, Set<TcpState>>();
  const re = g.reason ? new RegExp(g.reason, 'i') : null;
  const made = new Set<number>();
  for (const e of events) {
    if (e.kind !== 'state') continue;
    const seen = visited.get(e.sock) ?? new Set<TcpState>();
    seen.add(e.from);
    visited.set(e.sock, seen);
    if ((!g.from || g.from.includes(e.from)) && g.to.includes(e.to) && (!re || re.test(e.reason)) && !(g.never && seen.has(g.never))) {
      made.add(e.sock);
      if (made.size >= (g.count ?? 1)) return true;
    }
  }
  return false;
}

/** Each socket's path of states, in order (its first `from`, then every `to`). */
function statePaths(events: readonly TraceEvent[]): Map<number, TcpState[]> {
  const paths = new Map<number, TcpState[]>();
  for (const e of events) {
    if (e.kind !== 'state') continue;
    const p = paths.get(e.sock) ?? [e.from];
    p.push(e.to);
    paths.set(e.sock, p);
  }
  return paths;
}

function simultaneousClose(events: readonly TraceEvent[]): boolean {
  return bothEnds(events, 'FIN_WAIT_1>CLOSING>TIME_WAIT');
}

function dataAfterFin(events: readonly TraceEvent[]): boolean {
  return connections(events).some((c) => {
    if (c.segments.some((s) => s.flags.includes('R'))) return false;
    const first = c.segments.findIndex((s) => s.flags.includes('F'));
    if (first < 0) return false;
    const closer = c.segments[first]!.src;
    const after = c.segments.slice(first + 1);
    const dataBack = after.findIndex((s) => s.src !== closer && s.len > 0);
    if (dataBack < 0) return false;
    return after.slice(dataBack).some((s) => s.src !== closer && s.flags.includes('F'));
  });
}

/** Two sockets of one connection (each sent segments in it) both went through `path` of states. */
function bothEnds(events: readonly TraceEvent[], path: string): boolean {
  const ends = [...statePaths(events).entries()].filter(([, p]) => p.join('>').includes(path)).map(([id]) => id);
  if (ends.length < 2) return false;
  return connections(events).some((c) => new Set(c.segments.map((s) => s.from).filter((x): x is number => x !== null && ends.includes(x))).size >= 2);
}

function simultaneousOpen(events: readonly TraceEvent[]): boolean {
  return bothEnds(events, 'SYN_SENT>SYN_RECV>ESTABLISHED');
}

function callSendsNothing(events: readonly TraceEvent[], call: string, quietUs: number, now: number): boolean {
  const re = new RegExp(call);
  const last = Math.max(now, events.length > 0 ? events[events.length - 1]!.t : 0);
  return events.some((e, i) => {
    if (e.kind !== 'call' || e.sock === undefined || !re.test(e.call) || e.result !== '0') return false;
    if (last < e.t + quietUs) {
      // Not enough time has passed since the call to know.
      return false;
    }
    const later = events.slice(i + 1).filter((x) => x.t <= e.t + quietUs);
    const sent = later.some((x) => x.kind === 'segment' && x.from === e.sock);
    const changed = later.some((x) => x.kind === 'state' && x.sock === e.sock);
    return !sent && !changed;
  });
}

function finRetransmittedAndAcked(events: readonly TraceEvent[]): boolean {
  const segs = events.filter((e): e is Segment => e.kind === 'segment');
  return segs.some((fin, i) => {
    if (!fin.flags.includes('F')) return false;
    const again = segs.slice(i + 1).find((s) => s.src === fin.src && s.dst === fin.dst && s.flags.includes('F') && s.absSeq === fin.absSeq && !s.dropped);
    if (!again) return false;
    return segs.some((s) => s.t >= again.t && s.src === fin.dst && s.dst === fin.src && s.flags === '.' && !s.dropped && s.absAck === (fin.absSeq + 1) % 2 ** 32);
  });
}

/** Whether a goal is met by the trace so far; `now` is the virtual time of the check (µs). */
export function goalMet(goal: LabGoal, events: readonly TraceEvent[], now = 0): boolean {
  switch (goal.kind) {
    case 'open-and-close':
      return openAndClose(events);
    case 'close-in-segments':
      return closeInSegments(events, goal.segments, goal.selfConnection);
    case 'states-at-once':
      return statesAtOnce(events, goal.states, goal.min ?? 1);
    case 'transition':
      return transition(events, goal);
    case 'simultaneous-open':
      return simultaneousOpen(events);
    case 'call-sends-nothing':
      return callSendsNothing(events, goal.call, goal.quietUs, now);
    case 'fin-retransmitted-and-acked':
      return finRetransmittedAndAcked(events);
    case 'simultaneous-close':
      return simultaneousClose(events);
    case 'data-after-fin':
      return dataAfterFin(events);
    case 'all':
      return goal.goals.every((g) => goalMet(g, events, now));
  }
}
