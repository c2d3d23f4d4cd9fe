import { describe, expect, test } from 'vitest';
import { createKernel, type Kernel, type SegmentEvent } from '../index.ts';

/** A connected pair on loopback: srv accepted `a` from cli's `s`. */
function connected(k: Kernel) {
  const srv = k.spawn('srv');
  const l = k.socket(srv);
  if (!l.ok) throw new Error(l.errno);
  k.bind(srv, l.value, '127.0.0.1:8080');
  k.listen(srv, l.value, 16);
  const cli = k.spawn('cli');
  const s = k.socket(cli);
  if (!s.ok) throw new Error(s.errno);
  k.connect(cli, s.value, '127.0.0.1:8080');
  k.runUntil(() => k.connectResult(cli, s.value).ok && k.stateOf(k.socketOf(cli, s.value)!) === 'ESTABLISHED');
  k.advanceBy(1000);
  const a = k.accept(srv, l.value);
  if (!a.ok) throw new Error(a.errno);
  return { srv, cli, s: s.value, sid: k.socketOf(cli, s.value)!, a: a.value.fd, aid: a.value.sock };
}

const sent = (k: Kernel) => k.trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');

describe('last_reference', () => {
  test('dup_close_one_sends_nothing: closing one of two descriptors leaves the socket ESTABLISHED and sends nothing (Linux fput: tcp_close only on the last reference)', () => {
    const k = createKernel({ seed: 3 });
    const c = connected(k);
    const t = k.dup(c.cli, c.s);
    expect(t).toEqual({ ok: true, value: 4 });
    const before = sent(k).length;
    expect(k.close(c.cli, c.s).ok).toBe(true);
    k.advanceBy(100_000);
    expect(sent(k).length).toBe(before);
    expect(k.stateOf(c.sid)).toBe('ESTABLISHED');
    // The remaining descriptor still works, and closing it sends the FIN.
    expect(k.send(c.cli, 4, new TextEncoder().encode('hi'))).toEqual({ ok: true, value: 2 });
    expect(k.close(c.cli, 4).ok).toBe(true);
    k.advanceBy(100_000); // the server received data: the ACK of the FIN waits 40 ms
    expect(sent(k).some((e) => e.flags === 'F.' && e.src.endsWith(`:${k.sock(c.sid)?.local?.port ?? ''}`))).toBe(true);
    expect(k.stateOf(c.sid)).toBe('FIN_WAIT_2');
  });

  test('fork_exit_of_one_holder_sends_nothing: a process exit closes its descriptors, but a socket another process still holds stays open (Linux do_exit → exit_files → fput)', () => {
    const k = createKernel({ seed: 4 });
    const c = connected(k);
    const child = k.fork(c.cli, 'child');
    expect(child.ok).toBe(true);
    if (!child.ok) return;
    const before = sent(k).length;
    expect(k.kill(c.cli).ok).toBe(true);
    k.advanceBy(100_000);
    expect(sent(k).length).toBe(before);
    expect(k.stateOf(c.sid)).toBe('ESTABLISHED');
    expect(k.socketInfo(c.sid)?.owner).toEqual({ pid: child.value, fd: c.s, proc: 'child' });
    // The last holder exits: now the kernel closes the socket, with a FIN.
    expect(k.kill(child.value).ok).toBe(true);
    k.advanceBy(10_000);
    expect(k.stateOf(c.sid)).toBe('FIN_WAIT_2');
    expect(k.stateOf(c.aid)).toBe('CLOSE_WAIT');
  });

  test('shutdown_acts_on_the_socket: shutdown(SHUT_WR) on one descriptor sends the FIN although another still refers to the socket (Linux inet_shutdown)', () => {
    const k = createKernel({ seed: 5 });
    const c = connected(k);
    const t = k.dup(c.cli, c.s);
    if (!t.ok) throw new Error(t.errno);
    expect(k.shutdown(c.cli, c.s, 'SHUT_WR').ok).toBe(true);
    k.advanceBy(10_000);
    expect(k.stateOf(c.sid)).toBe('FIN_WAIT_2');
    expect(k.send(c.cli, t.value, new Uint8Array([1]))).toEqual({ ok: false, errno: 'EPIPE' });
  });

  test('fork_copies_descriptor_numbers: the child sees the same descriptor numbers, and its new sockets take the lowest free one', () => {
    const k = createKernel({ seed: 6 });
    const c = connected(k);
    const child = k.fork(c.cli, 'child');
    if (!child.ok) throw new Error(child.errno);
    expect(k.socketOf(child.value, c.s)).toBe(c.sid);
    expect(k.socket(child.value)).toEqual({ ok: true, value: 4 });
    expect(k.fork(999_999, 'nobody')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(k.dup(c.cli, 77)).toEqual({ ok: false, errno: 'EBADF' });
  });
});
