import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const tcplab = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin/tcplab.mjs'), ...args], { encoding: 'utf8', cwd: root });
const tmp = mkdtempSync(join(tmpdir(), 'tcplab-pkt-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('tcplab pkt', () => {
  test('exit 0 when every line held, with a transcript; --json gives the verdict, the lines and the packets', { timeout: 30_000 }, () => {
    const ok = tcplab(['pkt', join(root, 'content/packetdrill/28-fin-before-data.pkt')]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('+0    > . 1:1(0) ack 1 <nop,nop,sack 101:102>');
    expect(ok.stdout.trimEnd().endsWith('ok: all 17 lines held')).toBe(true);
    const json = JSON.parse(tcplab(['pkt', join(root, 'content/packetdrill/31-syn-to-closed-port.pkt'), '--json']).stdout);
    expect(json).toEqual({
      ok: true,
      error: null,
      lines: [
        { line: 3, kind: 'in', t: 0, text: '0     < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>', actual: null, ok: true },
        { line: 4, kind: 'out', t: 0, text: '+0    > R. 0:0(0) ack 1', actual: 'R. 0:0(0) ack 1 win 0', ok: true },
      ],
      packets: [{ t: 0, flags: 'R.', seq: 0, ack: 1, win: 0, len: 0 }],
    });
  });

  test('exit 1 when a line does not hold, naming it, with script vs actual packet', { timeout: 30_000 }, () => {
    const r = tcplab(['pkt', join(root, 'content/packetdrill/wrong/fin-instead-of-reset.pkt')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'content/packetdrill/wrong/fin-instead-of-reset.pkt:15: error handling packet: bad outbound TCP flags: script F. vs actual R.\nscript packet: 0.200000 F. 1:1(0) ack 101\nactual packet: 0.200000 R. 1:1(0) ack 101 win 502\nFAILED\n',
    );
    const j = tcplab(['pkt', join(root, 'content/packetdrill/wrong/eof-after-reset.pkt'), '--json']);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout).error).toEqual({ line: 13, message: 'error in system call: read: expected 0 but got -1 ECONNRESET', script: 'read(4, ..., 100) = 0', actual: 'read(4, ..., 100) = -1 ECONNRESET' });
    expect(j.stderr).toContain('eof-after-reset.pkt:13: error in system call');
  });

  test('exit 2 for a script that cannot be parsed (FILE:LINE on stderr), a missing file and bad usage', { timeout: 30_000 }, () => {
    const p = file('bad.pkt', '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 > X 1:1(0)\n');
    const r = tcplab(['pkt', p]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`${p}:2: bad flags 'X': 'X' is not a TCP flag (S F R P, and . for ACK)`);
    expect(tcplab(['pkt', join(tmp, 'missing.pkt')]).status).toBe(2);
    expect(tcplab(['pkt']).stderr).toContain('usage: tcplab pkt FILE [--json] [--seed N]');
  });
});
