/** The lab commands of the production lessons: socket options in sock, drop all/clear, dmesg, ls /proc/PID/fd, sockstat. */
import { describe, expect, test } from 'vitest';
import { LabHarness } from '../lab/harness.ts';

function lastOutput(h: LabHarness, n: number): string[] {
  const lines = h.screen(n).split('\n');
  const prompts = lines.map((l, i) => (l === '$' || l.startsWith('$ ') ? i : -1)).filter((i) => i >= 0);
  return lines.slice(prompts[prompts.length - 2]! + 1, prompts[prompts.length - 1]!);
}

/** A sock server on 8080 in terminal 1 with `accepts` accepted connections from terminal 2's sock client. */
function connected(h: LabHarness, clientLines: string[] = []) {
  for (const l of ['sock', 'l = socket', 'bind l 127.0.0.1:8080', 'listen l', 'a = accept l']) {
    h.enter(1, l);
    h.wait(5_000);
  }
  for (const l of ['sock', 's = socket', ...clientLines, 'connect s 127.0.0.1:8080']) {
    h.enter(2, l);
    h.wait(5_000);
  }
}

describe('sock: socket options', () => {
  test('keepalive with short timers shows in ss -o as a keepalive timer counting probes, then recv fails with ETIMEDOUT', () => {
    const h = new LabHarness(3, { seed: 5 });
    connected(h, ['keepalive s on idle=5 intvl=2 cnt=3']);
    h.enter(3, 'drop all any from 8080');
    h.wait(5_000);
    expect(lastOutput(h, 3)).toEqual(['every segment from port 8080 will be lost (drop clear stops it)']);
    h.wait(7_500_000);
    h.enter(3, 'ss -tno');
    h.wait(5_000);
    const row = lastOutput(h, 3).find((l) => l.includes('keepalive'));
    expect(row).toMatch(/timer:\(keepalive,1\.\d{3}ms,2\)$/);
    h.enter(2, 'recv s 100');
    h.wait(6_000_000);
    expect(h.screen(2)).toContain('recv s 100\nETIMEDOUT');
  });

  test('bad option values answer EINVAL like setsockopt, and a bad line explains the syntax', () => {
    const h = new LabHarness(2, { seed: 5 });
    h.enter(1, 'sock -q');
    h.wait(5_000);
    for (const l of ['s = socket', 'keepalive s on idle=0', 'usertimeout s 2s', 'linger2 s -1', 'reuseport s', 't = dup s', 'keepalive s sideways']) {
      h.enter(1, l);
      h.wait(1_000);
    }
    expect(h.screen(1).split('\n').filter((l) => !l.startsWith('sock>'))).toEqual(
      expect.arrayContaining(['EINVAL', '0', '4', 'sock: expected "keepalive NAME on|off [idle=SECONDS] [intvl=SECONDS] [cnt=N]"']),
    );
  });
});

describe('drop all / drop clear', () => {
  test('drop clear lifts the silence: the next keepalive probe is answered and the connection lives on', () => {
    const h = new LabHarness(3, { seed: 5 });
    connected(h, ['keepalive s on idle=2 intvl=2 cnt=3']);
    h.enter(3, 'drop all any from 8080');
    h.wait(3_000_000);
    h.enter(3, 'drop clear');
    h.wait(10_000_000);
    const states = h.world.kernel.sockets().map((s) => s.state);
    expect(states.filter((s) => s === 'ESTABLISHED')).toHaveLength(2);
  });

  test('bad usage prints the usage and status 2', () => {
    const h = new LabHarness(1, { seed: 5 });
    h.enter(1, 'drop everything');
    h.wait(5_000);
    expect(lastOutput(h, 1)[0]).toBe('usage: drop next|all FLAGS from PORT   (FLAGS in tcpdump notation: S S. . P. F. FP. R R. any)');
  });
});

describe('dmesg and /proc/net/sockstat', () => {
  test('a close past tcp_max_orphans is logged in dmesg, and sockstat counts the orphan', () => {
    const h = new LabHarness(3, { seed: 5 });
    h.enter(3, 'sysctl -w net.ipv4.tcp_max_orphans=1');
    h.wait(5_000);
    connected(h);
    h.enter(2, 't = socket');
    h.enter(2, 'connect t 127.0.0.1:8080');
    h.wait(5_000);
    h.enter(3, 'drop all any from 8080');
    h.wait(5_000);
    h.enter(2, 'close s');
    h.enter(2, 'close t');
    h.wait(5_000);
    h.enter(3, 'dmesg');
    h.wait(5_000);
    expect(lastOutput(h, 3)).toEqual([expect.stringMatching(/^\[\s+0\.\d{6}\] TCP: too many orphaned sockets$/)]);
    h.enter(3, 'cat /proc/net/sockstat');
    h.wait(5_000);
    expect(lastOutput(h, 3)[1]).toMatch(/^TCP: inuse \d+ orphan 1 tw 0 alloc \d+ mem \d+$/);
  });
});

describe('ls /proc/PID/fd', () => {
  test('lists the standard descriptors and the sockets, quoted on the terminal, plain in a pipe', () => {
    const h = new LabHarness(3, { seed: 5 });
    connected(h);
    const pid = h.world.kernel.processes().find((p) => p.name === 'sock' && p.fds.length === 2)!.pid;
    h.enter(3, `ls /proc/${pid}/fd`);
    h.wait(5_000);
    expect(lastOutput(h, 3)).toEqual(['0  1  2  3  4']);
    h.enter(3, `ls -l /proc/${pid}/fd`);
    h.wait(5_000);
    const long = lastOutput(h, 3);
    expect(long[0]).toBe('total 0');
    expect(long[1]).toBe('lrwx------ 1 learner learner 64 Jan  1 00:00 0 -> /dev/pts/0');
    expect(long[4]).toMatch(/^lrwx------ 1 learner learner 64 Jan {2}1 00:00 3 -> 'socket:\[\d+\]'$/);
    h.enter(3, `ls -l /proc/${pid}/fd | grep -c socket`);
    h.wait(5_000);
    expect(lastOutput(h, 3)).toEqual(['2']);
    h.enter(3, 'ls /proc/99999/fd');
    h.wait(5_000);
    expect(lastOutput(h, 3)).toEqual(["ls: cannot access '/proc/99999/fd': No such file or directory"]);
  });
});
