/**
 * When each event is due. A relative time (`+0.1`) counts from the previous event's reference time: its script
 * time, except after `*` and `~` lines, whose reference is when their packet really came. A blocking call
 * (`+0...0.2`) is due to start at the first time and to return at the second, which counts from the same
 * point as the first. The real-Linux executor (scripts/truth/pkt_exec.py) applies the same rules.
 */
import type { EventTime, TimePoint } from './ast.ts';

export interface Due {
  /** When the event starts (inject, call, command) or when its packet may come at the earliest (µs). */
  start: number;
  /** The latest time its packet may come (null: any time); equal to start for a plain time. */
  end: number | null;
  /** When a blocking call must return. */
  returns: number | null;
}

const at = (p: TimePoint, ref: number) => (p.relative ? ref + p.us : p.us);

export function due(time: EventTime, ref: number): Due {
  switch (time.kind) {
    case 'at': {
      const t = at(time.at, ref);
      return { start: t, end: t, returns: null };
    }
    case 'range':
      return { start: at(time.from, ref), end: at(time.to, ref), returns: null };
    case 'any':
      return { start: ref, end: null, returns: null };
    case 'blocking':
      return { start: at(time.at, ref), end: at(time.at, ref), returns: at(time.end, ref) };
  }
}

/** The reference time after an event: its script time, or — after `*` and `~` — when its packet came. */
export function nextRef(time: EventTime, d: Due, actual: number | null): number {
  if (time.kind === 'any' || time.kind === 'range') return actual ?? d.end ?? d.start;
  return d.start;
}
