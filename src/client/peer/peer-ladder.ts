/**
 * The ladder of a "Be the peer" run: the kernel's column on the left, the remote peer (the learner) on the
 * right, each arrow tagged with the script line that sent or expected it, and the packet that broke the
 * script marked.
 */
import { ladderModel, type LadderModel } from '../../lab/ladder-model.ts';
import type { PeerRunView } from './peer-run.ts';

/** packetdrill's remote peer (kernel/wire.ts WIRE_REMOTE_IP), written here so the page does not load the kernel. */
const REMOTE_IP = '192.0.2.1';

export function peerLadder(run: PeerRunView): LadderModel {
  const events = run.events;
  const endpoints = new Map<number, string>();
  for (const e of events) if (e.kind === 'segment' && e.from !== null && !endpoints.has(e.from)) endpoints.set(e.from, e.src);
  const model = ladderModel(events, (id) => endpoints.get(id) ?? null, (id) => run.labels[id] ?? `sock#${id}`, 400);

  // Put the kernel's columns first and name the peer's.
  const peerColumn = model.columns.map((c) => c.endpoint.startsWith(`${REMOTE_IP}:`));
  const isPeer = (i: number) => peerColumn[i]!;
  const order = model.columns.map((_, i) => i).sort((a, b) => Number(isPeer(a)) - Number(isPeer(b)) || a - b);
  const newIndex = new Map(order.map((old, i) => [old, i]));
  model.columns = order.map((i) => (isPeer(i) ? { ...model.columns[i]!, names: ['you (the peer)'] } : model.columns[i]!));

  // Which script line each segment belongs to: injected ones in order, the kernel's by the > line that took it.
  const inLines = run.observation.records.filter((r) => r.kind === 'in').map((r) => r.line);
  const outLines = new Map<number, number>();
  for (const r of run.observation.records) if (r.kind === 'out' && r.packet !== null) outLines.set(r.packet, r.line);
  const failure = run.verdict.failure;
  let bad: number | null = null;
  if (failure) {
    const rec = run.observation.records.find((r) => r.line === failure.line && r.kind === 'out');
    if (rec?.kind === 'out' && rec.packet !== null) bad = rec.packet;
    else if (run.verdict.unexpected.length > 0) bad = run.observation.outbound.indexOf(run.verdict.unexpected[0]!);
  }
  // SACK blocks, in the numbers of the side they acknowledge (as the script writes them).
  const sacks: string[] = [];
  for (const e of events) {
    if (e.kind !== 'segment') continue;
    const sack = e.options?.find((o) => o.kind === 'sack');
    const base = (e.absAck - e.ack) >>> 0;
    sacks.push(sack?.kind === 'sack' ? ` sack ${sack.blocks.map(([a, b]) => `${(a - base) >>> 0}:${(b - base) >>> 0}`).join(' ')}` : '');
  }
  let segment = model.hidden;
  let inbound = 0;
  let outbound = 0;
  for (const row of model.rows) {
    if (row.kind === 'state') {
      row.col = newIndex.get(row.col)!;
      continue;
    }
    const fromPeer = isPeer(row.from);
    row.label += sacks[segment++] ?? '';
    row.from = newIndex.get(row.from)!;
    row.to = newIndex.get(row.to)!;
    const line = fromPeer ? inLines[inbound++] : outLines.get(outbound);
    if (line !== undefined) {
      row.label += `  · line ${line}`;
      row.detail = `line ${line}: ${row.detail}`;
    }
    if (!fromPeer) {
      if (outbound === bad) {
        row.mark = 'bad';
        row.detail += ` — not what line ${failure!.line} expects${failure!.script ? ` (${failure!.script.replace(/^[\d.]+ /, '')})` : ''}`;
      }
      outbound++;
    }
  }
  return model;
}
