import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1', () => socket.end(process.env.REQUEST));
socket.once('data', (chunk) => {
  process.stdout.write(chunk);
  process.exit(0);
});
