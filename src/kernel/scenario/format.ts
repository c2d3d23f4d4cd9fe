import type { ScenarioRun } from './runner.ts';
import type { SegmentEvent } from '../trace.ts';
import { formatTcpdumpLine } from '../render/tcpdump.ts';

const secs = (us: number) => Math.round(us) / 1e6;

/** The run as the JSON object of SCENARIOS.md ("ok", "error", "segments", "states", "calls"), plus "expects". */
export function scenarioJson(run: ScenarioRun): object {
  const k = run.kernel;
  const segments = k.trace.events
    .filter((e): e is SegmentEvent => e.kind === 'segment')
    .map((e) => ({
      t: secs(e.t),
      src: e.src,
      dst: e.dst,
      flags: e.flags,
      seq: e.seq,
      ack: e.ack,
      len: e.len,
      win: e.win,
      ...(e.dropped ? { dropped: true } : {}),
    }));
  const states = k.trace.events.flatMap((e) => (e.kind === 'state' ? [{ t: secs(e.t), socket: k.label(e.sock), from: e.from, to: e.to }] : []));
  const failed = run.expects.find((e) => !e.ok);
  return {
    ok: run.ok,
    error: run.error ?? (failed ? `line ${failed.line}: ${failed.text}: got ${failed.actual}` : null),
    segments,
    states,
    calls: run.calls.map((c) => ({ t: secs(c.t), proc: c.proc, line: c.line, call: c.call, result: c.result })),
    expects: run.expects.map((e) => ({ t: secs(e.t), line: e.line, expect: e.text, actual: e.actual, ok: e.ok })),
  };
}

/** The text output: each call with its result (and ss tables, expects), then the segments as tcpdump prints them. */
export function scenarioText(run: ScenarioRun, file: string): string {
  const out: string[] = [];
  for (const entry of run.log) {
    if (entry.kind === 'call') {
      const c = entry.record;
      out.push(`${(c.t / 1e6).toFixed(6)}  ${`${c.proc}: ${c.call}`.padEnd(40)} = ${c.result}`);
    } else if (entry.kind === 'expect') {
      const e = entry.record;
      out.push(`${(e.t / 1e6).toFixed(6)}  ${e.text.padEnd(40)} ${e.ok ? 'ok' : `FAILED: got ${e.actual} (${file}:${e.line})`}`);
    } else if (entry.kind === 'ss') {
      out.push(`${(entry.t / 1e6).toFixed(6)}  ss -tan`);
      out.push(...entry.text.split('\n').map((l) => `    ${l}`));
    } else {
      out.push(`${(entry.t / 1e6).toFixed(6)}  ${entry.text}`);
    }
  }
  out.push('');
  out.push('tcpdump -i lo -nn:');
  for (const e of run.kernel.trace.events) if (e.kind === 'segment') out.push(formatTcpdumpLine(e));
  out.push('');
  if (run.error) out.push(`error: ${run.error}`);
  const failed = run.expects.filter((e) => !e.ok);
  for (const f of failed) out.push(`${file}:${f.line}: ${f.text}: the socket is ${f.actual}`);
  out.push(run.ok ? `ok: ${run.expects.length} expectations held` : 'FAILED');
  return out.join('\n') + '\n';
}
