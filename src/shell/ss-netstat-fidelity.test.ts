/**
 * ss and netstat on the lab machine against the real tools: fixtures/ss-netstat-linux.json holds what
 * Debian 12's iproute2 6.1 and net-tools 2.10 printed for one scene in a fresh network namespace
 * (scripts/truth/capture_ss_netstat.py), piped and on terminals 100, 80 and 45 columns wide. The same
 * scene is built here on the simulated kernel and every command must print the same table.
 *
 * Row order is the kernel's hash walk on Linux (it differs between two runs of the same scene), so rows
 * are compared as a sorted list; the header, every column width and every byte of each row must match.
 * Timer values are compared by shape where real time went by differently (0.3 s on Linux).
 */
import { describe, expect, test } from 'vitest';
import xtermHeadless from '@xterm/headless';
import fixture from './fixtures/ss-netstat-linux.json' with { type: 'json' };
import { LabWorld } from '../lab/world.ts';
import { parseScenario, runScenario } from '../kernel/scenario/index.ts';
import { Shell } from './shell.ts';

const { Terminal } = xtermHeadless;

const SCENE = `
srv: l = socket
srv: reuseaddr l
srv: bind l 127.0.0.1:8080
srv: listen l 128
c1: s = socket
c1: bind s 127.0.0.1:40001
c1: connect s 127.0.0.1:8080
srv: a1 = accept l
c2: s = socket
c2: bind s 127.0.0.1:40002
c2: connect s 127.0.0.1:8080
srv: a2 = accept l
c2: close s
c3: s = socket
c3: bind s 127.0.0.1:40003
c3: connect s 127.0.0.1:8080
srv: a3 = accept l
c3: close s
sleep 50ms
srv: close a3
c4: s = socket
c4: bind s 127.0.0.1:40004
c4: connect s 127.0.0.1:8080
srv: a4 = accept l
c4: shutdown s SHUT_WR
sleep 300ms
`;

function scene(): LabWorld {
  const world = new LabWorld({ seed: 9 });
  runScenario(parseScenario(SCENE, 'ss-netstat-scene'), { kernel: world.kernel });
  return world;
}

/** Runs a command in a lab shell whose output is not a terminal (piped, as the capture script ran it). */
function piped(cmd: string): string {
  return onTerminal(`${cmd} | head -n 1000`, 200);
}

/** Runs a command in a lab shell on a terminal `cols` wide; returns the bytes it wrote. */
function onTerminal(cmd: string, cols: number): string {
  const world = scene();
  let out = '';
  const shell = new Shell(world, { write: (t) => (out += t), columns: () => cols }, { prompt: '$ ' });
  out = '';
  shell.input(`${cmd}\r`);
  world.advanceBy(10_000);
  return out.slice(out.indexOf('\r\n') + 2, out.lastIndexOf('$ ')).replace(/\r\n/g, '\n');
}

/** Shapes that depend on how much real time passed, and the rows' order. */
function normal(text: string): { header: string[]; rows: string[] } {
  const lines = text
    .replace(/timer:\(timewait,\d+sec,0\)/g, 'timer:(timewait,59sec,0)')
    .replace(/timewait \(\d+\.\d\d\/0\/0\)/g, 'timewait (59.NN/0/0)')
    .split('\n')
    .filter((l, i, a) => i < a.length - 1 || l !== '');
  const header = lines.filter((l) => /^(State|Recv-Q|Netid|Active|Proto)/.test(l));
  return { header, rows: lines.filter((l) => !header.includes(l)).sort() };
}

const outputs = fixture.outputs as Record<string, string>;
const tty = fixture.tty as Record<string, string>;

describe(`ss and netstat, piped, as ${fixture.tools.ss} and ${fixture.tools.netstat} print them`, () => {
  for (const [cmd, real] of Object.entries(outputs)) {
    test(cmd, () => {
      expect(normal(piped(cmd))).toEqual(normal(real));
    });
  }
});

describe('ss on a terminal spreads its columns over the width, as iproute2 does', () => {
  for (const [key, real] of Object.entries(tty)) {
    const [cols, ...cmd] = key.split(' ');
    test(`${cmd.join(' ')} on ${cols} columns`, () => {
      expect(normal(onTerminal(cmd.join(' '), Number(cols)))).toEqual(normal(real));
    });
  }

  test('on a phone-sized terminal every record takes the same rows, so columns stay aligned', async () => {
    const term = new Terminal({ cols: 45, rows: 40, allowProposedApi: true });
    const text = onTerminal('ss -tano', 45).replace(/\n/g, '\r\n');
    await new Promise<void>((r) => term.write(text, r));
    const rows: string[] = [];
    for (let i = 0; i < term.buffer.active.length; i++) rows.push(term.buffer.active.getLine(i)!.translateToString(true));
    // Header and 8 sockets, two rows each (nothing past the 45th cell), and the local addresses, right-aligned,
    // end in the same cell on every record.
    const used = rows.filter((r) => r.trim() !== '');
    expect(used).toHaveLength(18);
    const firstRows = used.filter((_, i) => i % 2 === 0);
    expect(new Set(firstRows.map((r) => r.indexOf(':'))).size).toBe(1);
    expect(firstRows[0]!.startsWith('State')).toBe(true);
  });
});

describe('the single-state filter', () => {
  test('ss -tan state close-wait has no State column (one state: nothing to tell apart)', () => {
    const out = piped('ss -tan state close-wait').split('\n');
    expect(out[0]).toBe('Recv-Q Send-Q Local Address:Port Peer Address:Port Process');
    expect(out.slice(1).filter(Boolean).every((l) => !l.includes('CLOSE-WAIT'))).toBe(true);
  });

  test('a filter of two states keeps it', () => {
    expect(piped('ss -tn state close-wait state fin-wait-2').split('\n')[0]!.startsWith('State')).toBe(true);
  });
});
