// Lesson 5 — closing with unread data sends a reset.
// Write bytes the server never reads. What happens to this client when the server closes?
import net from 'node:net';

const socket = net.connect(Number(process.env.PEER_PORT), '127.0.0.1', () => {
  socket.write('bytes nobody will read\n');
});

socket.on('close', () => console.log('closed'));
