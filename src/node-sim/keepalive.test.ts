/**
 * socket.setKeepAlive() and the keepAlive options on the simulated node:net, checked against what Node 26 does
 * on Linux. Measured with `strace -e setsockopt` on real Node (see the comment on SimSocket.setKeepAlive):
 *   setKeepAlive(true)                      → SO_KEEPALIVE 1 only (the system's 7200 s / 75 s / 9 apply)
 *   setKeepAlive(true, 5000)                → SO_KEEPALIVE 1, TCP_KEEPIDLE 5, TCP_KEEPINTVL 1, TCP_KEEPCNT 10
 *   setKeepAlive(true, 500)                 → the delay is cut to whole seconds: 0, so as setKeepAlive(true)
 *   connect({ keepAlive, keepAliveInitialDelay: 2500 }) → TCP_KEEPIDLE 2 … once connected
 *   createServer({ keepAlive, keepAliveInitialDelay: 3000 }) → TCP_KEEPIDLE 3 … on every accepted socket
 * and, with the peer silenced, setKeepAlive(true, 1000) sent 10 probes a second apart and failed with
 * ETIMEDOUT about 11 s after the connection went quiet.
 */
import { describe, expect, test } from 'vitest';
import { runInProcess } from './run-in-process.ts';

const program = `
import net from 'node:net';
const server = net.createServer({ keepAlive: true, keepAliveInitialDelay: 3000 }, () => {});
server.listen(8080, '127.0.0.1', () => {
  const a = net.connect(8080, '127.0.0.1', () => a.setKeepAlive(true));
  const b = net.connect(8080, '127.0.0.1', () => b.setKeepAlive(true, 500));
  const c = net.connect(8080, '127.0.0.1', () => c.setKeepAlive(true, 5000));
  const d = net.connect({ port: 8080, host: '127.0.0.1', keepAlive: true, keepAliveInitialDelay: 2500 });
  const e = new net.Socket();
  e.setKeepAlive(true, 4000);
  e.connect(8080, '127.0.0.1');
  setTimeout(() => process.exit(0), 100);
});
`;

describe('setKeepAlive on the simulated node:net', () => {
  test('sets the socket options libuv sets on Linux', async () => {
    const { world } = await runInProcess([{ name: 'node', source: program }], { virtualUs: 50_000 });
    const k = world.kernel;
    const clients = k.sockets().filter((s) => s.remote.endsWith(':8080'));
    const accepted = k.sockets().filter((s) => s.local.endsWith(':8080') && s.state !== 'LISTEN');
    const opts = (id: number) => {
      const o = k.sock(id)!.opt;
      return [o.keepalive, o.keepIdle, o.keepIntvl, o.keepCnt];
    };
    expect(clients.map((s) => opts(s.id))).toEqual([
      [true, null, null, null],
      [true, null, null, null],
      [true, 5, 1, 10],
      [true, 2, 1, 10],
      [true, 4, 1, 10],
    ]);
    expect(accepted.map((s) => opts(s.id))).toEqual(Array.from({ length: 5 }, () => [true, 3, 1, 10]));
  });

  test('a silent peer: ten probes a second apart, then ETIMEDOUT on the socket', async () => {
    const client = `
import net from 'node:net';
const server = net.createServer(() => {});
server.listen(8080, '127.0.0.1', () => {
  const c = net.connect(8080, '127.0.0.1', () => c.setKeepAlive(true, 1000));
  c.on('error', (e) => { console.log('client error', e.code); process.exit(0); });
});
`;
    const { SimWorld } = await import('./world.ts');
    const world = new SimWorld({ seed: 1, drainMicrotasks: () => new Promise((r) => setImmediate(r)) });
    let out = '';
    world.start(client, { name: 'node', env: {}, stdout: (t) => (out += t), stderr: (t) => (out += t) });
    // Let the connection open, then make the server's side of it silent, as the real measurement did with nftables.
    await world.run({ virtualUs: 50_000, until: () => false });
    const server = world.kernel.sockets().find((s) => s.local.endsWith(':8080') && s.state === 'ESTABLISHED')!;
    world.kernel.dropAll(server.id, null);
    await world.run({ virtualUs: 20_000_000 });
    expect(out).toBe('client error ETIMEDOUT\n');
    const probes = world.kernel.trace.events.filter((e) => e.kind === 'segment' && e.flags === '.' && e.dst.endsWith(':8080') && e.t > 100_000);
    expect(probes).toHaveLength(10);
  });
});
