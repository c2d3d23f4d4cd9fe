import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1');
socket.on('error', (err) => {
  if (err.code === 'ECONNRESET') console.log('reset');
});
