import { describe, expect, test } from 'vitest';
import { formatSs, ssTimer } from '../render/ss.ts';
import { formatNetstat } from '../render/netstat.ts';
import { formatTcpdumpLine } from '../render/tcpdump.ts';
import { segments, sim } from './helpers.ts';

const SELF = `
  cli: s = socket
  cli: bind s 127.0.0.1:6666
  cli: connect s 127.0.0.1:6666
`;

describe('renderers', () => {
  test('netstat -nt prints a self-connection the way the article shows it', () => {
    const run = sim(SELF);
    expect(formatNetstat(run.kernel.sockets())).toBe(
      [
        'Active Internet connections (w/o servers)',
        'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ',
        'tcp        0      0 127.0.0.1:6666          127.0.0.1:6666          ESTABLISHED',
      ].join('\n'),
    );
  });

  test('ss -tan lays out columns like iproute2, with dashes in state names', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:5010
      srv: listen l 5
      cli: s = socket
      cli: bind s 127.0.0.1:42412
      cli: connect s 127.0.0.1:5010
      srv: a = accept l
      cli: close s
      sleep 10ms
    `);
    expect(formatSs(run.kernel.sockets(), { all: true })).toBe(
      [
        'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
        // The empty Process column is padded to its header's width, as ss.c's render() does.
        'LISTEN     0      5          127.0.0.1:5010       0.0.0.0:*           ',
        'FIN-WAIT-2 0      0          127.0.0.1:42412    127.0.0.1:5010        ',
        'CLOSE-WAIT 1      0          127.0.0.1:5010     127.0.0.1:42412       ',
      ].join('\n'),
    );
  });

  test('ss -o shows timers the way print_ms_timer() writes them', () => {
    expect([ssTimer(204), ssTimer(4540), ssTimer(59_400), ssTimer(60_000), ssTimer(20), ssTimer(0)]).toEqual(['204ms', '4.540ms', '59sec', '1min', '020ms', '']);
    const run = sim(`${SELF}
      cli: close s
      sleep 1ms
    `);
    expect(formatSs(run.kernel.sockets(), { all: true, timers: true }).split('\n')).toEqual([
      expect.stringMatching(/^State     Recv-Q Send-Q Local Address:Port Peer Address:PortProcess {17,20}$/),
      expect.stringMatching(/^TIME-WAIT 0      0          127\.0\.0\.1:6666    127\.0\.0\.1:6666 timer:\(timewait,(1min\d*sec|1min|59sec),0\)$/),
    ]);
  });

  test('ss state filters select like `ss state close-wait`, without the State column for a single state', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      srv: a = accept l
      cli: close s
    `);
    const out = formatSs(run.kernel.sockets(), { states: ['CLOSE_WAIT'] });
    expect(out.split('\n')).toHaveLength(2);
    // One state asked for: iproute2 leaves the State column out.
    expect(out.split('\n')[0]).toBe('Recv-Q Send-Q Local Address:Port Peer Address:Port Process');
    expect(out).not.toContain('CLOSE-WAIT');
  });

  test('tcpdump lines: relative numbers by default, absolute with -S, ack only when the flag is set', () => {
    const run = sim(`${SELF}
      cli: send s "ping"
    `);
    const segs = segments(run);
    expect(segs.map((s) => formatTcpdumpLine(s, { stamp: null }))).toEqual([
      'IP 127.0.0.1.6666 > 127.0.0.1.6666: Flags [S], seq 0, win 65495, length 0',
      'IP 127.0.0.1.6666 > 127.0.0.1.6666: Flags [S.], seq 0, ack 1, win 65483, length 0',
      'IP 127.0.0.1.6666 > 127.0.0.1.6666: Flags [.], ack 1, win 64, length 0',
      'IP 127.0.0.1.6666 > 127.0.0.1.6666: Flags [P.], seq 1:5, ack 1, win 64, length 4',
      'IP 127.0.0.1.6666 > 127.0.0.1.6666: Flags [.], ack 5, win 64, length 0',
    ]);
    const abs = formatTcpdumpLine(segs[3]!, { absolute: true, stamp: null });
    expect(abs).toBe(`IP 127.0.0.1.6666 > 127.0.0.1.6666: Flags [P.], seq ${segs[3]!.absSeq}:${segs[3]!.absSeq + 4}, ack ${segs[3]!.absAck}, win 64, length 4`);
  });
});
