import net from 'node:net';

net
  .createServer({ allowHalfOpen: true }, (socket) => {
    let received = 0;
    socket.on('data', () => received++);
    socket.on('end', () => socket.end(`got ${received} bytes\n`));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
