import { describe, expect, test } from 'vitest';
import { LabHarness } from '../lab/harness.ts';
import { HELP } from './help.ts';

function lab(terminals = 2) {
  return new LabHarness(terminals, { seed: 5 });
}

/** The lines the last command printed in terminal n (between its command line and the next prompt). */
function lastOutput(h: LabHarness, n: number): string[] {
  const lines = h.screen(n).split('\n');
  const prompts = lines.map((l, i) => (l === '$' || l.startsWith('$ ') ? i : -1)).filter((i) => i >= 0);
  const from = prompts[prompts.length - 2]! + 1;
  const to = prompts[prompts.length - 1]!;
  return lines.slice(from, to);
}

describe('bash behaviour', () => {
  test('an unknown command answers like bash, with status 127', () => {
    const h = lab();
    h.enter(1, 'ncat -l 80');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['bash: ncat: command not found']);
    h.enter(1, 'echo $?');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['127']);
  });

  test('a syntax error answers like bash, and the terminal still works', () => {
    const h = lab();
    h.enter(1, 'echo "oops');
    expect(lastOutput(h, 1)).toEqual(['bash: unexpected EOF while looking for matching `"\'']);
    h.enter(1, 'echo fine');
    expect(lastOutput(h, 1)).toEqual(['fine']);
  });

  test('&& and || follow the exit status; history lists what was typed', () => {
    const h = lab();
    h.enter(1, 'false && echo no || echo yes');
    expect(lastOutput(h, 1)).toEqual(['yes']);
    h.enter(1, 'history');
    expect(lastOutput(h, 1)).toEqual(['    1  false && echo no || echo yes', '    2  history']);
  });

  test('arrow-up recalls the previous command', () => {
    const h = lab();
    h.enter(1, 'echo first');
    h.type(1, '\x1b[A\r');
    expect(lastOutput(h, 1)).toEqual(['first']);
  });

  test('Ctrl-C interrupts a foreground command and stops a while loop', () => {
    const h = lab();
    h.enter(1, 'while true; do sleep 1; done');
    h.wait(3_500_000);
    h.type(1, '\x03');
    h.wait(10_000);
    h.enter(1, 'echo $?');
    expect(lastOutput(h, 1)).toEqual(['130']);
    expect(h.world.kernel.processes().map((p) => p.name)).toEqual(['bash', 'bash']);
  });
});

describe('nc (OpenBSD netcat)', () => {
  test('prints its usage for missing arguments and rejects a bad flag like getopt', () => {
    const h = lab();
    h.enter(1, 'nc');
    h.wait(5000);
    expect(lastOutput(h, 1)[0]).toBe('usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]');
    h.enter(1, 'nc -Q 127.0.0.1 80');
    h.wait(5000);
    expect(lastOutput(h, 1)[0]).toBe("nc: invalid option -- 'Q'");
  });

  test('-v reports a refused connection the way netcat-openbsd does', () => {
    const h = lab();
    h.enter(1, 'nc -v 127.0.0.1 9');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['nc: connect to 127.0.0.1 port 9 (tcp) failed: Connection refused']);
  });

  test('a listener and a client relay lines both ways; -v prints the listen and connect lines', () => {
    const h = lab();
    h.enter(1, 'nc -lv 8080');
    h.wait(5000);
    h.enter(2, 'nc -v 127.0.0.1 8080');
    h.wait(5000);
    h.enter(2, 'ping');
    h.wait(5000);
    h.enter(1, 'pong');
    h.wait(5000);
    expect(h.screen(1).split('\n').slice(1, 4)).toEqual(['Listening on 0.0.0.0 8080', expect.stringMatching(/^Connection received on 127\.0\.0\.1 \d+$/), 'ping']);
    expect(h.screen(2).split('\n').slice(1, 4)).toEqual(['Connection to 127.0.0.1 8080 port [tcp/http-alt] succeeded!', 'ping', 'pong']);
  });

  test('a port already in use makes nc -l fail', () => {
    const h = lab();
    h.enter(1, 'nc -l 8080 &');
    h.wait(5000);
    h.enter(2, 'nc -l 8080');
    h.wait(5000);
    expect(lastOutput(h, 2)).toEqual(['nc: Address already in use']);
  });
});

describe('socket tables', () => {
  test('netstat -nt shows a self-connection as the article does', () => {
    const h = lab();
    h.enter(1, 'nc -p 6666 127.0.0.1 6666');
    h.wait(5000);
    h.enter(2, 'netstat -nt | grep 6666');
    h.wait(5000);
    expect(lastOutput(h, 2)).toEqual(['tcp        0      0 127.0.0.1:6666          127.0.0.1:6666          ESTABLISHED']);
  });

  test('ss -tan lists listeners and connections with iproute2 state names; a bad option is refused', () => {
    const h = lab();
    h.enter(1, 'nc -l 8080');
    h.wait(5000);
    h.enter(2, 'ss -tan');
    h.wait(5000);
    expect(lastOutput(h, 2)).toEqual(['State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess', 'LISTEN 0      1            0.0.0.0:8080      0.0.0.0:*']);
    h.enter(2, 'ss -z');
    h.wait(5000);
    expect(lastOutput(h, 2)[0]).toBe("ss: invalid option -- 'z'");
  });

  test('ss state filters', () => {
    const h = lab();
    h.enter(1, 'sock');
    for (const l of ['l = socket', 'bind l 127.0.0.1:8080', 'listen l']) h.enter(1, l);
    h.wait(5000);
    h.enter(2, 'nc -z 127.0.0.1 8080; nc -z 127.0.0.1 8080');
    h.wait(50_000);
    h.enter(2, 'ss -tan state close-wait | wc -l');
    h.wait(5000);
    expect(lastOutput(h, 2)).toEqual(['3']);
  });
});

describe('the sock program', () => {
  test('b = dup a: closing one descriptor sends nothing, the connection works on, closing the last sends the FIN (lesson 3)', () => {
    const h = lab();
    h.enter(1, 'sock');
    for (const l of ['l = socket', 'bind l 127.0.0.1:8080', 'listen l', 'a = accept l']) h.enter(1, l);
    h.wait(5000);
    h.enter(2, 'nc 127.0.0.1 8080');
    h.wait(50_000);
    const fins = () => h.world.kernel.trace.events.filter((e) => e.kind === 'segment' && e.flags.includes('F')).length;
    h.enter(1, 'b = dup a');
    h.enter(1, 'close a');
    h.wait(100_000);
    expect(fins()).toBe(0);
    h.enter(1, 'send b "still here\\n"');
    h.wait(50_000);
    expect(h.screen(2)).toContain('still here');
    h.enter(1, 'close b');
    h.wait(50_000);
    expect(fins()).toBeGreaterThanOrEqual(1);
  });
});

describe('kernel settings and processes', () => {
  test('sysctl reads and writes the modelled keys; cat reads /proc/sys', () => {
    const h = lab();
    h.enter(1, 'cat /proc/sys/net/ipv4/tcp_fin_timeout');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['60']);
    h.enter(1, 'sysctl -w net.ipv4.tcp_fin_timeout=5');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['net.ipv4.tcp_fin_timeout = 5']);
    h.enter(1, 'sysctl net.ipv4.ip_local_port_range');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['net.ipv4.ip_local_port_range = 32768\t60999']);
    h.enter(1, 'echo 30 > /proc/sys/net/ipv4/tcp_fin_timeout; cat /proc/sys/net/ipv4/tcp_fin_timeout');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['30']);
    h.enter(1, 'sysctl net.ipv4.tcp_nope');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['sysctl: cannot stat /proc/sys/net/ipv4/tcp_nope: No such file or directory']);
    h.enter(1, 'cat /etc/passwd');
    h.wait(5000);
    expect(lastOutput(h, 1)).toEqual(['cat: /etc/passwd: No such file or directory']);
  });

  test('ps lists processes and kill ends one by pid, which closes its sockets', () => {
    const h = lab();
    h.enter(1, 'nc -l 8080');
    h.wait(5000);
    const pid = h.world.kernel.processes().find((p) => p.name === 'nc')!.pid;
    h.enter(2, 'ps');
    h.wait(5000);
    expect(lastOutput(h, 2)).toContain(`${String(pid).padStart(7)} pts/0    00:00:00 nc`);
    h.enter(2, `kill ${pid}`);
    h.wait(5000);
    expect(h.world.kernel.sockets()).toEqual([]);
    h.enter(2, 'kill 99999');
    h.wait(5000);
    expect(lastOutput(h, 2)).toEqual(['bash: kill: (99999) - No such process']);
  });

  test('tcpdump prints segments live and its statistics on Ctrl-C', () => {
    const h = lab(3);
    h.enter(3, 'tcpdump -i lo -nn port 8080');
    h.wait(5000);
    h.enter(1, 'nc -l 8080');
    h.wait(5000);
    h.enter(2, 'nc -z 127.0.0.1 8080');
    h.wait(100_000);
    h.type(3, '\x03');
    h.wait(5000);
    const screen = h.screen(3).split('\n');
    expect(screen[1]).toBe('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode');
    expect(screen[2]).toBe('listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes');
    expect(screen[3]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.8080: Flags \[S\], seq 0, win 65495, length 0$/);
    expect(screen).toContain('6 packets captured');
  });
});

describe('help', () => {
  test('help lists every command in a few short lines (it fits a phone-sized terminal); help CMD explains one', () => {
    const h = lab(1);
    h.enter(1, 'help');
    const out = lastOutput(h, 1);
    expect(out.length).toBeLessThanOrEqual(8);
    expect(Math.max(...out.map((l) => l.length))).toBeLessThanOrEqual(100);
    const listed = out.slice(1, -1).flatMap((l) => l.split(':')[1]!.trim().split(/\s+/));
    expect([...listed].sort()).toEqual(Object.keys(HELP).sort());
    h.enter(1, 'help ss');
    expect(lastOutput(h, 1)[1]).toBe(`usage: ${HELP['ss']!.usage}`);
  });
});

describe('sock', () => {
  test('the descriptors sock prints are the ones the diagrams name (PROC:FD), accepted sockets included', () => {
    const h = lab(2);
    h.enter(1, 'sock');
    h.wait(5000);
    h.enter(1, 'l = socket');
    h.enter(1, 'bind l 127.0.0.1:8080');
    h.enter(1, 'listen l');
    h.enter(2, 'nc 127.0.0.1 8080');
    h.wait(20_000);
    h.enter(1, 'a = accept l');
    h.wait(5000);
    const out = h.screen(1).split('\n');
    expect(out).toContain('3');
    const accepted = out.find((l) => /^\d+ \(from 127\.0\.0\.1:\d+\)$/.test(l))!;
    const fd = accepted.split(' ')[0];
    expect(fd).toBe('4');
    const labels = h.world.kernel.sockets().map((s) => s.label);
    expect(labels).toContain('sock:3');
    expect(labels).toContain(`sock:${fd}`);
  });
});
