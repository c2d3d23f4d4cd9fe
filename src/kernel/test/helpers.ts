import { runScenarioSource, type ScenarioRun } from '../scenario/index.ts';
import type { SegmentEvent } from '../trace.ts';

/** Runs a scenario given inline (leading indentation removed). */
export function sim(source: string, seed = 1): ScenarioRun {
  const text = source.replace(/^\n/, '').replace(/^[ \t]+/gm, '');
  return runScenarioSource(text, 'test.tcplab', { seed });
}

export function segments(run: ScenarioRun): SegmentEvent[] {
  return run.kernel.trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
}

/**
 * The compact notation of the ground-truth reports: `C>S [F.] seq=6 ack=7`, seq shown when the segment
 * occupies sequence space, ack when the ACK flag is set, len when there is data. `who` names endpoints.
 */
export function compact(run: ScenarioRun, who: (endpoint: string) => string): string {
  return segments(run)
    .filter((s) => !s.dropped)
    .map((s) => {
      const parts = [`${who(s.src)}>${who(s.dst)}`, `[${s.flags}]`];
      if (s.len > 0 || /[SFR]/.test(s.flags)) parts.push(`seq=${s.seq}`);
      if (s.flags.includes('.')) parts.push(`ack=${s.ack}`);
      if (s.len > 0) parts.push(`len=${s.len}`);
      return parts.join(' ');
    })
    .join(' | ');
}

/** Server port 8080 is S, anything else C (the ground truth's naming). */
export const clientServer = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');

export function states(run: ScenarioRun, socket: string): string[] {
  const out: string[] = [];
  for (const e of run.kernel.trace.events) {
    if (e.kind === 'state' && run.kernel.label(e.sock) === socket) {
      if (out.length === 0) out.push(e.from);
      out.push(e.to);
    }
  }
  return out;
}

export function result(run: ScenarioRun, line: number): string | undefined {
  return run.calls.find((c) => c.line === line)?.result;
}

/** The results of the last n calls, in order. */
export function lastResults(run: ScenarioRun, n: number): string[] {
  return run.calls.slice(-n).map((c) => c.result);
}

/** Microseconds a socket spent in a state (from entering it to leaving it), from the trace. */
export function lifetime(run: ScenarioRun, socket: string, state: string): number {
  let since: number | null = null;
  for (const e of run.kernel.trace.events) {
    if (e.kind !== 'state' || run.kernel.label(e.sock) !== socket) continue;
    if (e.to === state) since = e.t;
    else if (e.from === state && since !== null) return e.t - since;
  }
  return Number.NaN;
}
