import net from 'node:net';

let received = 0;
net
  .createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('data', (chunk) => (received += chunk.length));
    socket.on('end', () => socket.end(`got ${received} bytes\n`));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
