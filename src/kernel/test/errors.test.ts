import { describe, expect, test } from 'vitest';
import { createKernel } from '../kernel.ts';
import { lastResults, sim } from './helpers.ts';

describe('syscall errors (Linux errnos)', () => {
  test('a call on a closed descriptor returns EBADF', () => {
    const run = sim(`
      cli: s = socket
      cli: close s
      cli: close s
      cli: send s "x"
    `);
    expect(lastResults(run, 2)).toEqual(['EBADF', 'EBADF']);
  });

  test('recv on a socket that never connected returns ENOTCONN; send returns EPIPE (tcp_recvmsg, sk_stream_wait_connect)', () => {
    const run = sim(`
      cli: s = socket
      cli: recv s 10
      cli: send s "x"
    `);
    expect(lastResults(run, 2)).toEqual(['ENOTCONN', 'EPIPE']);
  });

  test('on a listening socket recv returns ENOTCONN and send returns EPIPE (tcp_recvmsg; sk_stream_wait_connect: LISTEN is neither SYN_SENT nor SYN_RECV)', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      srv: recv l 10
      srv: send l "x"
    `);
    expect(lastResults(run, 2)).toEqual(['ENOTCONN', 'EPIPE']);
  });

  test('connect on a connected socket returns EISCONN; bind twice returns EINVAL', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      cli: connect s 127.0.0.1:8080
      srv: bind l 127.0.0.1:8081
    `);
    expect(lastResults(run, 2)).toEqual(['EISCONN', 'EINVAL']);
  });

  test('bind to an address the host does not have returns EADDRNOTAVAIL', () => {
    const run = sim(`
      cli: s = socket
      cli: bind s 10.1.2.3:80
    `);
    expect(lastResults(run, 1)).toEqual(['EADDRNOTAVAIL']);
  });

  test('send after shutdown(SHUT_WR) returns EPIPE', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      cli: shutdown s SHUT_WR
      cli: send s "x"
    `);
    expect(lastResults(run, 1)).toEqual(['EPIPE']);
  });

  test('shutdown on an unconnected socket returns ENOTCONN', () => {
    const run = sim(`
      cli: s = socket
      cli: shutdown s SHUT_WR
    `);
    expect(lastResults(run, 1)).toEqual(['ENOTCONN']);
  });

  test('the kernel API answers ESRCH for a dead process and EBADF for an unknown descriptor, never throwing', () => {
    const k = createKernel();
    const pid = k.spawn('p');
    expect(k.recv(pid, 99, 10)).toEqual({ ok: false, errno: 'EBADF' });
    expect(k.connect(pid, 99, '127.0.0.1:1')).toEqual({ ok: false, errno: 'EBADF' });
    k.exit(pid);
    expect(k.socket(pid)).toEqual({ ok: false, errno: 'ESRCH' });
    expect(k.exit(pid)).toEqual({ ok: false, errno: 'ESRCH' });
    const q = k.spawn('q');
    const fd = k.socket(q);
    expect(fd.ok).toBe(true);
    if (!fd.ok) return;
    expect(k.bind(q, fd.value, 'not an address')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(k.setsockopt(q, fd.value, { name: 'SO_LINGER', value: { on: true, seconds: -1 } })).toEqual({ ok: false, errno: 'EINVAL' });
  });
});

describe('blocking calls in scenarios', () => {
  test('a call that could never return ends the run with a message naming the line, never a hang', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      srv: a = accept l
    `);
    expect(run.ok).toBe(false);
    expect(run.error).toBe('test.tcplab:4: a = accept l would block for ever: nothing left in the network or timers can complete it');
  });

  test('recv on an idle connection would block for ever; an expectation that fails makes the run fail', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      cli: s = socket
      cli: connect s 127.0.0.1:8080
      expect cli:s FIN_WAIT_1
      cli: recv s 10
    `);
    expect(run.expects[0]).toMatchObject({ ok: false, actual: 'ESTABLISHED', line: 6 });
    expect(run.error).toMatch(/^test\.tcplab:7: recv s 10 would block for ever/);
  });

  test('a background call still pending at the end is reported, not waited for', () => {
    const run = sim(`
      srv: l = socket
      srv: bind l 127.0.0.1:8080
      srv: listen l
      srv: a = accept l &
    `);
    expect(run.ok).toBe(true);
    expect(run.log.at(-1)).toMatchObject({ kind: 'note', text: 'srv: a = accept l & is still blocked at the end of the script' });
  });
});
