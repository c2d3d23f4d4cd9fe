// Lesson 4 — the CLOSE_WAIT pile-up.
// An echo server. Run it, connect with a client that closes, and look at `ss -tan`.
import net from 'node:net';

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.on('data', (chunk) => {
    socket.write(chunk);
  });
  socket.on('end', () => {
    console.log('client finished sending');
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1');
