import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1', () => {
  socket.write('bytes nobody will read\n');
});

// The server closes with our bytes unread, so its kernel sends an RST: 'error' with ECONNRESET.
socket.on('error', (err) => {
  if (err.code === 'ECONNRESET') console.log('reset');
  else console.error('unexpected error:', err.code);
});
