import { expect, test } from 'vitest';
import { LabHarness } from './harness.ts';
import { ladderModel } from './ladder-model.ts';

function model(h: LabHarness, max = 60) {
  const k = h.world.kernel;
  const eps = new Map<number, string>();
  for (const e of k.trace.events) if (e.kind === 'segment' && e.from !== null) eps.set(e.from, e.src);
  return ladderModel(k.trace.events, (id) => eps.get(id) ?? (k.sock(id)?.local ? `${k.sock(id)!.local!.ip}:${k.sock(id)!.local!.port}` : null), (id) => k.label(id), max);
}

test('a self-connection is drawn on one column, its close as two arrows back to itself', () => {
  const h = new LabHarness(1);
  h.enter(1, 'nc -p 6666 127.0.0.1 6666');
  h.wait(10_000);
  h.type(1, '\x03');
  h.wait(10_000);
  const m = model(h);
  expect(m.columns.map((c) => c.endpoint)).toEqual(['127.0.0.1:6666']);
  const segs = m.rows.filter((r) => r.kind === 'segment');
  expect(segs.map((r) => r.kind === 'segment' && `${r.from}>${r.to} ${r.flags}`)).toEqual(['0>0 S', '0>0 S.', '0>0 .', '0>0 F.', '0>0 .']);
  const states = m.rows.filter((r) => r.kind === 'state').map((r) => r.kind === 'state' && r.state);
  expect(states).toEqual(['SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
});

test('a client and a server get two columns; labels carry flags and relative numbers', () => {
  const h = new LabHarness(2);
  h.enter(1, 'nc -l 8080');
  h.wait(10_000);
  h.enter(2, 'nc 127.0.0.1 8080');
  h.wait(10_000);
  const m = model(h);
  expect(m.columns).toHaveLength(2);
  const labels = m.rows.flatMap((r) => (r.kind === 'segment' ? [r.label] : []));
  expect(labels).toEqual(['[S] seq 0', '[S.] seq 0 ack 1', '[.] ack 1']);
});

test('only the most recent segments are drawn, and how many were left out is said', () => {
  const h = new LabHarness(2);
  h.enter(1, 'while true; do nc -z 127.0.0.1 9; done');
  h.wait(50_000);
  h.type(1, '\x03');
  const m = model(h, 10);
  expect(m.rows.filter((r) => r.kind === 'segment')).toHaveLength(10);
  expect(m.hidden).toBe(m.total - 10);
  expect(m.total).toBeGreaterThan(20);
});
