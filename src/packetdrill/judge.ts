/**
 * The verdict on a run: walks the script and what an executor observed, line by line, and stops at the first
 * line that did not hold — as packetdrill does — with the script's packet (or result) beside the actual one.
 * Outbound packets are taken in the order the kernel sent them, each by the next `>` line; one the script never
 * takes, sent before the script's last moment, fails the run too.
 */
import type { CallSpec, PacketSpec, PktEvent, PktScript, TcpOptionSpec } from './ast.ts';
import { formatCall, formatOptionSpec, formatOptions, formatPacket, formatResult, formatSpec, seconds } from './format.ts';
import { Mapper } from './mapping.ts';
import type { EventRecord, Observation, WirePacket } from './observation.ts';
import { due, nextRef } from './schedule.ts';

export interface PktFailure {
  line: number;
  /** `error handling packet: …`, `timing error: …`, … (without FILE:LINE). */
  message: string;
  /** The script's packet or expected call result, and the actual one, as packetdrill prints them. */
  script?: string;
  actual?: string;
}

/** One line of the script as it ran, for the transcript and the lab. */
export interface LineReport {
  line: number;
  kind: 'in' | 'out' | 'call' | 'command';
  /** When it happened (µs); null when it never did. */
  t: number | null;
  text: string;
  /** What actually happened, when it is worth showing (the packet the kernel sent, a call's result). */
  actual: string | null;
  ok: boolean;
}

export interface PktVerdict {
  ok: boolean;
  failure: PktFailure | null;
  lines: LineReport[];
  /** Outbound packets no `>` line took, sent before the end (the first one fails the run). */
  unexpected: WirePacket[];
}

function optionsEqual(script: TcpOptionSpec, actual: TcpOptionSpec | undefined): boolean {
  if (!actual || actual.kind !== script.kind) return false;
  switch (script.kind) {
    case 'ts':
      // Like packetdrill without --tcp_ts_tick_usecs: the kernel's TS val is its own clock; the echo must match.
      return actual.kind === 'ts' && actual.ecr === script.ecr;
    case 'mss':
    case 'wscale':
      return (actual as { value: number }).value === script.value;
    case 'sack':
      return actual.kind === 'sack' && actual.blocks.length === script.blocks.length && actual.blocks.every(([a, b], i) => a === script.blocks[i]![0] && b === script.blocks[i]![1]);
    default:
      return true;
  }
}

/** The first difference between a script packet and the actual one (relative numbers), or null. */
export function packetDifference(spec: PacketSpec, rel: WirePacket): string | null {
  if (spec.flags !== rel.flags) return `bad outbound TCP flags: script ${spec.flags || '-'} vs actual ${rel.flags || '-'}`;
  if (spec.seq !== rel.seq) return `bad outbound sequence number: script ${spec.seq} vs actual ${rel.seq}`;
  if (spec.len !== rel.len) return `bad outbound payload length: script ${spec.len} vs actual ${rel.len}`;
  if (spec.ack !== null && spec.ack !== rel.ack) return `bad outbound acknowledgement number: script ${spec.ack} vs actual ${rel.ack}`;
  if (spec.win !== null && spec.win !== rel.win) return `bad outbound window: script ${spec.win} vs actual ${rel.win}`;
  if (spec.options !== null) {
    if (spec.options.length !== rel.options.length || spec.options.some((o, i) => !optionsEqual(o, rel.options[i]))) {
      const i = spec.options.findIndex((o, j) => !optionsEqual(o, rel.options[j]));
      const at = i < 0 ? spec.options.length : i;
      const s = spec.options[at];
      const a = rel.options[at];
      return `bad outbound TCP options: option ${at + 1} is ${a ? formatOptionSpec(a) : 'missing'}, the script expects ${s ? formatOptionSpec(s) : 'no more options'} (script <${formatOptions(spec.options)}> vs actual <${formatOptions(rel.options)}>)`;
    }
  }
  return null;
}

function callDifference(spec: CallSpec, r: Extract<EventRecord, { kind: 'call' }>): string | null {
  if (r.result === null) return null;
  const c = spec.call;
  const fdResult = (c.name === 'socket' || c.name === 'accept') && spec.result >= 0;
  const sameResult = fdResult ? r.result >= 0 : r.result === spec.result && (spec.errno ?? null) === (r.errno ?? null);
  if (!sameResult) {
    const note = r.note ? ` — ${r.note}` : '';
    return `${c.name}: expected ${formatResult(spec.result, spec.errno)} but got ${formatResult(r.result, r.errno)}${note}`;
  }
  if (spec.value !== undefined && r.value !== undefined && String(spec.value) !== String(r.value)) {
    return `${c.name}: SO_ERROR is ${r.value}, the script expects ${spec.value}`;
  }
  return null;
}

/** Judges an observation against its script. */
export function judge(script: PktScript, obs: Observation): PktVerdict {
  const tol = script.toleranceUs;
  const mapper = new Mapper();
  const lines: LineReport[] = [];
  let consumed = 0;
  let ref = 0;
  let horizon = 0;
  let previousCall: Extract<EventRecord, { kind: 'call' }> | null = null;
  const fail = (failure: PktFailure, unexpected: WirePacket[] = []): PktVerdict => ({ ok: false, failure, lines, unexpected });
  if (obs.error) return fail({ line: script.events[0]?.line ?? 1, message: `the executor failed: ${obs.error}` });

  for (let i = 0; i < script.events.length; i++) {
    const ev: PktEvent = script.events[i]!;
    const rec = obs.records[i];
    const d = due(ev.time, ref);
    horizon = Math.max(horizon, d.returns ?? d.start, d.end ?? d.start);
    if (!rec || rec.line !== ev.line) return fail({ line: ev.line, message: 'the executor stopped before this line' });
    if (ev.kind === 'packet' && ev.packet.direction === 'out' && rec.kind === 'out') {
      const scriptText = `${seconds(d.start)} ${formatSpec(ev.packet)}`;
      if (rec.packet === null) {
        lines.push({ line: ev.line, kind: 'out', t: null, text: ev.text, actual: null, ok: false });
        return fail({ line: ev.line, message: 'error handling packet: Timed out waiting for packet', script: scriptText });
      }
      const p = obs.outbound[rec.packet]!;
      consumed = Math.max(consumed, rec.packet + 1);
      mapper.onOutbound(p, ev.packet);
      const rel = mapper.relative(p);
      const actualText = `${seconds(p.t)} ${formatPacket(rel)}`;
      const diff = packetDifference(ev.packet, rel);
      const early = p.t < d.start - tol;
      const late = d.end !== null && p.t > d.end + tol;
      lines.push({ line: ev.line, kind: 'out', t: p.t, text: ev.text, actual: formatPacket(rel), ok: !diff && !early && !late });
      if (diff) return fail({ line: ev.line, message: `error handling packet: ${diff}`, script: scriptText, actual: actualText });
      if (early || late) {
        const expected = d.end === null || d.end === d.start ? `at ${seconds(d.start)}` : `between ${seconds(d.start)} and ${seconds(d.end)}`;
        return fail({ line: ev.line, message: `timing error: expected outbound packet ${expected} sec but happened at ${seconds(p.t)} sec; tolerance ${seconds(tol)} sec`, script: scriptText, actual: actualText });
      }
      ref = nextRef(ev.time, d, p.t);
      if (d.end === null) horizon = Math.max(horizon, ref);
    } else if (ev.kind === 'packet' && rec.kind === 'in') {
      lines.push({ line: ev.line, kind: 'in', t: rec.t, text: ev.text, actual: null, ok: true });
      ref = nextRef(ev.time, d, null);
    } else if (ev.kind === 'call' && rec.kind === 'call') {
      const text = `${formatCall(ev.spec)} = ${formatResult(ev.spec.result, ev.spec.errno)}`;
      const actual = formatResult(rec.result, rec.errno);
      const report: LineReport = { line: ev.line, kind: 'call', t: rec.start, text: ev.text, actual, ok: false };
      lines.push(report);
      if (rec.start > d.start + tol) {
        const blocked = previousCall !== null && (previousCall.end === null || previousCall.end > d.start + tol);
        const why = blocked ? ` because the call on line ${previousCall!.line} was still blocking` : '';
        return fail({ line: ev.line, message: `timing error: the call was due at ${seconds(d.start)} sec but started at ${seconds(rec.start)} sec${why}`, script: text });
      }
      previousCall = rec;
      if (rec.end === null) {
        return fail({ line: ev.line, message: `${ev.spec.call.name}: the call never returned (it was still blocking when the script ended)`, script: text });
      }
      const diff = callDifference(ev.spec, rec);
      if (diff) return fail({ line: ev.line, message: `error in system call: ${diff}`, script: text, actual: `${formatCall(ev.spec)} = ${actual}` });
      if (d.returns !== null) {
        if (Math.abs(rec.end - d.returns) > tol) {
          return fail({ line: ev.line, message: `timing error: expected system call return at ${seconds(d.returns)} sec but happened at ${seconds(rec.end)} sec; tolerance ${seconds(tol)} sec`, script: text });
        }
      } else if (rec.end - rec.start > tol) {
        return fail({
          line: ev.line,
          message: `timing error: expected non-blocking system call but it blocked for ${seconds(rec.end - rec.start)} sec (write ${seconds(d.start)}...${seconds(rec.end)} for a call that blocks)`,
          script: text,
        });
      }
      report.ok = true;
      ref = nextRef(ev.time, d, null);
    } else if (ev.kind === 'command' && rec.kind === 'command') {
      lines.push({ line: ev.line, kind: 'command', t: rec.t, text: ev.text, actual: rec.error, ok: rec.error === null });
      if (rec.error) return fail({ line: ev.line, message: rec.error });
      ref = nextRef(ev.time, d, null);
    } else {
      return fail({ line: ev.line, message: 'the executor recorded something else for this line' });
    }
  }
  const end = Math.max(horizon, ref) + tol;
  const unexpected = obs.outbound.slice(consumed).filter((p) => p.t <= end);
  if (unexpected.length > 0) {
    const first = unexpected[0]!;
    mapper.onOutbound(first, null);
    const last = script.events[script.events.length - 1]!;
    return fail(
      {
        line: last.line,
        message: `error handling packet: the kernel sent a packet no line expects (at ${seconds(first.t)} sec, before the script's end at ${seconds(end)} sec)`,
        actual: `${seconds(first.t)} ${formatPacket(mapper.relative(first))}`,
      },
      unexpected,
    );
  }
  return { ok: true, failure: null, lines, unexpected: [] };
}
