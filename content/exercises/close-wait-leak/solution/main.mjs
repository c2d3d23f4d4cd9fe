import net from 'node:net';

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.on('data', (chunk) => socket.write(chunk));
  // The client's FIN: close our side too (after the echoed bytes), so nothing stays in CLOSE_WAIT.
  socket.on('end', () => socket.end());
  socket.on('error', (err) => console.error('connection error:', err.code));
});

server.listen(Number(process.env.PORT), '127.0.0.1');
