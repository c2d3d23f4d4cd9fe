/**
 * A packetdrill script on the simulated kernel, from source to verdict, and its report: a transcript as text
 * (what `tcplab pkt` prints) or JSON (`--json`).
 */
import type { Kernel } from '../kernel/index.ts';
import type { PktScript } from './ast.ts';
import { seconds } from './format.ts';
import { judge, type PktVerdict } from './judge.ts';
import type { Observation } from './observation.ts';
import { parsePkt } from './parse.ts';
import { runOnSimulator, type SimDriverOptions } from './sim-driver.ts';

export interface PktRun {
  script: PktScript;
  observation: Observation;
  verdict: PktVerdict;
  /** The simulated kernel after the run (its trace feeds the ladder). */
  kernel: Kernel;
}

/** Parses and runs a script on the simulated kernel; throws PktSyntaxError for a script that cannot be parsed. */
export function runPkt(source: string, file = 'script.pkt', opts: SimDriverOptions = {}): PktRun {
  const script = parsePkt(source, file);
  const { observation, kernel } = runOnSimulator(script, opts);
  return { script, observation, verdict: judge(script, observation), kernel };
}

/** The failure as packetdrill prints it: `FILE:LINE: message`, then the script and actual packet. */
export function failureText(file: string, verdict: PktVerdict): string {
  const f = verdict.failure;
  if (!f) return '';
  const out = [`${file}:${f.line}: ${f.message}`];
  if (f.script) out.push(`script ${f.script.includes('(') && !/^\d/.test(f.script) ? 'call' : 'packet'}: ${f.script}`);
  if (f.actual) out.push(`actual ${f.actual.includes('= ') ? 'call' : 'packet'}: ${f.actual}`);
  return out.join('\n') + '\n';
}

/** The transcript: each line that ran, with its time and what the kernel did, then the verdict. */
export function pktText(run: PktRun): string {
  const out: string[] = [];
  const width = Math.min(64, Math.max(...run.script.events.map((e) => e.text.length)));
  for (const l of run.verdict.lines) {
    const t = l.t === null ? '        -' : seconds(l.t);
    const mark = l.ok ? (l.kind === 'out' ? 'ok' : '') : 'FAILED';
    const actual = l.kind === 'out' && l.actual ? `  ← ${l.actual}` : l.kind === 'call' && !l.ok && l.actual ? `  got ${l.actual}` : '';
    out.push(`${t}  ${l.text.padEnd(width)}  ${mark}${actual}`.trimEnd());
  }
  out.push('');
  if (run.verdict.ok) out.push(`ok: all ${run.script.events.length} lines held`);
  else out.push(failureText(run.script.file, run.verdict).trimEnd(), 'FAILED');
  return out.join('\n') + '\n';
}

export function pktJson(run: PktRun): object {
  return {
    ok: run.verdict.ok,
    error: run.verdict.failure ? { line: run.verdict.failure.line, message: run.verdict.failure.message, script: run.verdict.failure.script ?? null, actual: run.verdict.failure.actual ?? null } : null,
    lines: run.verdict.lines.map((l) => ({ line: l.line, kind: l.kind, t: l.t === null ? null : l.t / 1e6, text: l.text, actual: l.actual, ok: l.ok })),
    packets: run.observation.outbound.map((p) => ({ t: p.t / 1e6, flags: p.flags, seq: p.seq, ack: p.ack, win: p.win, len: p.len })),
  };
}
