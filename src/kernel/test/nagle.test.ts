import { describe, expect, test } from 'vitest';
import { createKernel } from '../kernel.ts';
import type { SegmentEvent } from '../trace.ts';
import { compact, segments, sim } from './helpers.ts';

const who = (ep: string) => (ep.endsWith(':8080') ? 'S' : 'C');
/** A client connected to a server on 127.0.0.1:8080, its connection accepted as `a`. */
const CONNECTED = ['srv: l = socket', 'srv: bind l 127.0.0.1:8080', 'srv: listen l', 'cli: s = socket', 'cli: connect s 127.0.0.1:8080', 'srv: a = accept l'].join('\n');

describe("Nagle's algorithm (Linux tcp_nagle_test with Minshall's rule, RFC 896 / RFC 9293 §3.7.4)", () => {
  test('a small write waits while an earlier small segment is unacknowledged, then leaves after its ACK', () => {
    const k = createKernel({ seed: 1 });
    const srv = k.spawn('srv');
    const cli = k.spawn('cli');
    const l = k.socket(srv);
    const s = k.socket(cli);
    if (!l.ok || !s.ok) throw new Error('socket');
    k.bind(srv, l.value, '127.0.0.1:8080');
    k.listen(srv, l.value);
    k.connect(cli, s.value, '127.0.0.1:8080');
    k.advanceBy(1000);
    expect(k.accept(srv, l.value).ok).toBe(true);
    const data = () => k.trace.events.filter((e): e is SegmentEvent => e.kind === 'segment' && e.len > 0);
    // Two writes at the same instant: the first leaves, the second waits for the first one's ACK.
    k.send(cli, s.value, new TextEncoder().encode('aaaa'));
    k.send(cli, s.value, new TextEncoder().encode('bbbb'));
    expect(data().map((e) => e.len)).toEqual([4]);
    k.advanceBy(1000);
    expect(data().map((e) => e.len)).toEqual([4, 4]);
    // With TCP_NODELAY both leave at once.
    k.setsockopt(cli, s.value, { name: 'TCP_NODELAY', value: true });
    k.send(cli, s.value, new TextEncoder().encode('cccc'));
    k.send(cli, s.value, new TextEncoder().encode('dddd'));
    expect(data().map((e) => e.len)).toEqual([4, 4, 4, 4]);
  });

  test('held-back data is what the tail loss probe sends when the ACK was lost (tcp_send_loss_probe sends new data first)', () => {
    const run = sim(`
      ${CONNECTED}
      drop next srv:a .
      cli: send s "aaaa"
      cli: send s "bbbb"
      sleep 1s
    `);
    const sent = segments(run).filter((e) => e.len > 0);
    // "aaaa", then — not 100 µs later with the second write, but as the loss probe, 200 ms on — the held "bbbb"
    // (not a resend of "aaaa"), which the server acknowledges.
    expect(sent.slice(0, 2).map((e) => [e.seq, e.len])).toEqual([[1, 4], [5, 4]]);
    expect(sent[1]!.t - sent[0]!.t).toBeGreaterThan(150_000);
    expect(compact(run, who)).toContain('S>C [.] ack=9');
  });

  test('close() sends held-back data with the FIN on it (tcp_send_fin pushes with Nagle off)', () => {
    const run = sim(`
      ${CONNECTED}
      drop next srv:a .
      cli: send s "aaaa"
      cli: send s "bbbb"
      cli: close s
      sleep 1s
    `);
    expect(compact(run, who)).toContain('C>S [FP.] seq=5 ack=1 len=4');
  });
});
