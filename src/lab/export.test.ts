import { expect, test } from 'vitest';
import { LabHarness } from './harness.ts';
import { runScenarioSource, scenarioJson } from '../kernel/scenario/index.ts';

/** The segments and state changes of a run, without names (the lab and the replay name sockets differently). */
function shape(events: ReadonlyArray<{ kind: string }>): string[] {
  return events.flatMap((e) => {
    const x = e as { kind: string; t: number; src?: string; dst?: string; flags?: string; seq?: number; ack?: number; len?: number; from?: string; to?: string };
    if (x.kind === 'segment') return [`${x.t} ${x.src}>${x.dst} ${x.flags} ${x.seq} ${x.ack} ${x.len}`];
    if (x.kind === 'state') return [`${x.t} ${x.from}>${x.to}`];
    return [];
  });
}

test('a lab session exported as a scenario replays to the same trace in tcplab sim', () => {
  const h = new LabHarness(3, { seed: 11 });
  h.enter(1, 'sysctl -w net.ipv4.tcp_fin_timeout=7');
  h.enter(1, 'nc -l 8080');
  h.wait(20_000);
  h.enter(2, 'nc -N 127.0.0.1 8080');
  h.wait(20_000);
  h.enter(2, 'hello');
  h.wait(5_000);
  h.enter(1, 'back at you');
  h.wait(60_000);
  h.enter(3, 'sock');
  h.wait(5_000);
  for (const line of ['s = socket', 'bind s 127.0.0.1:6666', 'connect s 127.0.0.1:6666', 'send s "me"', 'shutdown s SHUT_RD']) h.enter(3, line);
  h.wait(20_000);
  h.type(2, '\x04');
  h.wait(200_000);
  h.type(3, '\x04');
  h.wait(100_000);
  const script = h.world.sys.toScenario(['exported from a lab session']);
  const replay = runScenarioSource(script, 'export.tcplab', { seed: 11 });
  expect(replay.error).toBeNull();
  const labEvents = h.world.kernel.trace.events.filter((e) => e.kind !== 'call');
  const json = scenarioJson(replay) as { segments: unknown[]; states: unknown[] };
  expect(json.segments.length).toBeGreaterThan(10);
  // Same segments and state changes, at the same virtual times.
  const replayed = replay.kernel.trace.events.filter((e) => e.kind !== 'call');
  expect(shape(replayed)).toEqual(shape(labEvents));
});
