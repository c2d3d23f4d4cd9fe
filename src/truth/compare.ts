import { describe, type NormalSegment } from './normalise.ts';

export interface SideCalls {
  line: number;
  call: string;
  result: string;
}

export interface SideExpect {
  line: number;
  expect: string;
  actual: string;
}

export interface Side {
  segments: NormalSegment[];
  calls: SideCalls[];
  expects: SideExpect[];
}

export type Verdict =
  | { agree: true; segments: number; states: number }
  | { agree: false; segments: number; states: number; difference: string };

/** Results that legitimately differ between machines: descriptor numbers. */
function comparableResult(call: string, result: string): string {
  if (/^\S+ = (socket|accept|dup)\b/.test(call) && /^\d+$/.test(result)) return '<fd>';
  return result;
}

/**
 * Splits segments by direction ("cli:s>srv:l"), keeping their order. Each direction is a sequence both
 * kernels produce in a fixed order; the interleaving of directions and of different connections depends on
 * timing (which of two simultaneous SYN-ACKs leaves first) and is not compared.
 */
export function byDirection(segments: NormalSegment[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of segments) {
    const key = `${s.from}>${s.to}`;
    const list = out.get(key) ?? [];
    list.push(describe(s));
    out.set(key, list);
  }
  return out;
}

/** Compares two normalised runs: every direction's segments, every expectation's observed state, every call's result. */
export function compareRuns(sim: Side, real: Side): Verdict {
  const segments = Math.max(sim.segments.length, real.segments.length);
  const states = sim.expects.length;
  const a = byDirection(sim.segments);
  const b = byDirection(real.segments);
  for (const dir of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const sa = a.get(dir) ?? [];
    const sb = b.get(dir) ?? [];
    for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
      if (sa[i] !== sb[i]) {
        return {
          agree: false,
          segments,
          states,
          difference: `${dir}, segment ${i + 1} in that direction: simulator ${sa[i] ?? '(no more segments)'} | Linux ${sb[i] ?? '(no more segments)'}`,
        };
      }
    }
  }
  for (const e of sim.expects) {
    const r = real.expects.find((x) => x.line === e.line);
    if (!r) return { agree: false, segments, states, difference: `line ${e.line}: ${e.expect}: Linux never got there` };
    if (r.actual !== e.actual) return { agree: false, segments, states, difference: `line ${e.line}: ${e.expect}: simulator ${e.actual} | Linux ${r.actual}` };
  }
  for (const c of sim.calls) {
    const r = real.calls.find((x) => x.line === c.line);
    if (!r) return { agree: false, segments, states, difference: `line ${c.line}: ${c.call}: simulator ${c.result} | Linux never returned` };
    if (comparableResult(c.call, c.result) !== comparableResult(r.call, r.result)) {
      return { agree: false, segments, states, difference: `line ${c.line}: ${c.call}: simulator ${c.result} | Linux ${r.result}` };
    }
  }
  return { agree: true, segments, states };
}
