import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../..');
const tcplab = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/tcplab.mjs'), ...args], { encoding: 'utf8', cwd: root });
const tmp = mkdtempSync(join(tmpdir(), 'tcplab-cli-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('tcplab sim', () => {
  test('exit 0 when every expect holds, with the JSON of SCENARIOS.md', () => {
    const r = tcplab(['sim', join(root, 'content/scenarios/16-self-connect.tcplab'), '--json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['ok', 'error', 'segments', 'states', 'calls', 'expects']);
    expect(json.segments[0]).toEqual({ t: 0.0002, src: '127.0.0.1:6666', dst: '127.0.0.1:6666', flags: 'S', seq: 0, ack: 0, len: 0, win: 65495 });
    expect(json.states[0]).toEqual({ t: 0.0002, socket: 'cli:s', from: 'CLOSED', to: 'SYN_SENT' });
    expect(json.calls[2]).toMatchObject({ proc: 'cli', line: 6, call: 'connect s 127.0.0.1:6666', result: '0' });
  });

  test('exit 1 when an expect fails, naming the line', () => {
    const r = tcplab(['sim', file('f.tcplab', 'cli: s = socket\nexpect cli:s ESTABLISHED\n')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('f.tcplab:2: expect cli:s ESTABLISHED: the socket is CLOSED');
  });

  test('exit 2 for a script that cannot be parsed, with FILE:LINE on stderr', () => {
    const p = file('p.tcplab', 'cli: s = socket\ncli: connect s nowhere\n');
    const r = tcplab(['sim', p]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`${p}:2: expected an address like 127.0.0.1:8080, got "nowhere"`);
  });

  test('exit 2 for a missing file and for bad usage', () => {
    expect(tcplab(['sim', join(tmp, 'missing.tcplab')]).status).toBe(2);
    expect(tcplab(['sim']).status).toBe(2);
    expect(tcplab(['frobnicate']).status).toBe(2);
  });
});
