/**
 * socket.setNoDelay() on the simulated node:net sets TCP_NODELAY as Node does (libuv's uv_tcp_nodelay), before
 * the connection exists too, once it is connected; and the kernel's Nagle algorithm then stops holding small
 * writes back. Node leaves Nagle on unless asked (net.Socket's noDelay defaults to false).
 */
import { describe, expect, test } from 'vitest';
import { runInProcess } from './run-in-process.ts';

const program = `
import net from 'node:net';
const server = net.createServer(() => {});
server.listen(8080, '127.0.0.1', () => {
  const a = net.connect(8080, '127.0.0.1');
  const b = net.connect(8080, '127.0.0.1', () => b.setNoDelay());
  const c = new net.Socket();
  c.setNoDelay(true);
  c.connect(8080, '127.0.0.1', () => c.setNoDelay(false));
  const d = new net.Socket();
  d.setNoDelay(true);
  d.connect(8080, '127.0.0.1');
  setTimeout(() => process.exit(0), 100);
});
`;

describe('setNoDelay on the simulated node:net', () => {
  test('sets TCP_NODELAY as Node does, before or after connecting', async () => {
    const { world } = await runInProcess([{ name: 'node', source: program }], { virtualUs: 50_000 });
    const clients = world.kernel.sockets().filter((s) => s.remote.endsWith(':8080'));
    expect(clients.map((s) => world.kernel.sock(s.id)!.opt.noDelay)).toEqual([false, true, false, true]);
  });
});
