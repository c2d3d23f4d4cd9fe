import net from 'node:net';

const server = net.createServer((socket) => {
  let received = 0;
  socket.on('data', (chunk) => (received += chunk.length));
  socket.on('end', () => {
    setImmediate(() => socket.end(`got ${received} bytes\n`));
  });
  socket.on('error', () => {});
});
server.listen(Number(process.env.PORT), '127.0.0.1');
