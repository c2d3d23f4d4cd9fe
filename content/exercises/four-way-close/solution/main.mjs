import net from 'node:net';

// allowHalfOpen: our side stays open after the client's FIN, until we end it ourselves.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  let received = 0;
  socket.on('data', (chunk) => {
    received += chunk.length;
  });
  socket.on('end', () => {
    // The client half-closed: answer, then send our own FIN.
    socket.end(`got ${received} bytes\n`);
  });
  socket.on('error', (err) => console.error('connection error:', err.code));
});

server.listen(Number(process.env.PORT), '127.0.0.1');
