import net from 'node:net';

net
  .createServer({ allowHalfOpen: true }, (socket) => {
    socket.pipe(socket, { end: false });
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
