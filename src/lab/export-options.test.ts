/** A lab session with the production lessons' calls — socket options, dup, drop all / drop clear — exports to a scenario that replays to the same trace. */
import { expect, test } from 'vitest';
import { LabHarness } from './harness.ts';
import { runScenarioSource } from '../kernel/scenario/index.ts';

const shape = (events: ReadonlyArray<{ kind: string }>) =>
  events.flatMap((e) => {
    const x = e as { kind: string; t: number; src?: string; dst?: string; flags?: string; seq?: number; ack?: number; len?: number; from?: string; to?: string; dropped?: boolean };
    if (x.kind === 'segment') return [`${x.t} ${x.src}>${x.dst} ${x.flags} ${x.seq} ${x.ack} ${x.len}${x.dropped ? ' dropped' : ''}`];
    if (x.kind === 'state') return [`${x.t} ${x.from}>${x.to}`];
    return [];
  });

test('keepalive, user timeout, TCP_LINGER2, dup and a silenced peer export and replay identically', () => {
  const h = new LabHarness(3, { seed: 13 });
  h.enter(1, 'sock');
  h.wait(5_000);
  for (const l of ['l = socket', 'reuseport l', 'bind l 127.0.0.1:8080', 'listen l', 'a = accept l']) h.enter(1, l);
  h.enter(2, 'sock');
  h.wait(5_000);
  for (const l of ['s = socket', 'keepalive s on idle=2 intvl=1 cnt=2', 'usertimeout s 1500ms', 'linger2 s 3', 'connect s 127.0.0.1:8080', 't = dup s']) h.enter(2, l);
  h.wait(50_000);
  h.enter(3, 'drop all any from 8080');
  h.wait(2_500_000);
  h.enter(3, 'drop clear');
  h.wait(3_000_000);
  h.enter(2, 'close s');
  h.enter(2, 'close t');
  h.wait(5_000_000);
  const script = h.world.sys.toScenario(['exported']);
  expect(script).toMatch(/keepalive s3 on idle=2 intvl=1 cnt=2 &/);
  expect(script).toMatch(/s4 = dup s3 &/);
  expect(script).toMatch(/^drop all \S+:s4 any$/m);
  expect(script).toMatch(/^undrop \S+:s4$/m);
  const replay = runScenarioSource(script, 'export.tcplab', { seed: 13 });
  expect(replay.error).toBeNull();
  expect(shape(replay.kernel.trace.events)).toEqual(shape(h.world.kernel.trace.events));
});
