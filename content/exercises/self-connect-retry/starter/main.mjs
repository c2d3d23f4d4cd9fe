// Lesson 10 — self-connection.
// Nothing listens on PEER_PORT yet, and we connect from LOCAL_PORT == PEER_PORT. Who answers?
import net from 'node:net';

const socket = net.connect({
  host: '127.0.0.1',
  port: Number(process.env.PEER_PORT),
  localPort: Number(process.env.LOCAL_PORT),
});

socket.on('connect', () => {
  console.log('connected');
  socket.end();
});
