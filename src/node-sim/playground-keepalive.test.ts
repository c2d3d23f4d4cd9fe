/** The keepalive playground of lesson 17 prints the same on real Node and on the simulated runtime, and there the kernel's probes show. */
import { expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess } from './run-in-process.ts';

const file = join(import.meta.dirname, '../../content/playground/keepalive.mjs');

test('keepalive playground: same output on real Node and on the simulator, probes every second on the simulated wire', async () => {
  const real = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [file]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out));
  });
  const { world, runs } = await runInProcess([{ name: 'node', source: readFileSync(file, 'utf8') }], { virtualUs: 10_000_000 });
  expect(runs[0]!.stdout).toBe(real);
  expect(real).toBe('client: connected, keepalive after 1 s of silence\nclient: 2.5 s of silence and the connection is still up\nserver: got "bye"\nclient: closed\n');
  // Probes: pure ACKs from the client one second apart, before "bye" is written, each answered by the server.
  const segs = world.kernel.trace.events.filter((e) => e.kind === 'segment');
  const bye = segs.findIndex((s) => s.len === 3);
  const probes = segs.slice(3, bye).filter((s) => s.flags === '.' && s.len === 0);
  expect(probes.length).toBe(4); // two probes and their two answers
}, 20_000);
