import net from 'node:net';

net
  .createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('data', (chunk) => socket.write(chunk));
    // "Clean up idle connections after 3 s": meanwhile each one sits in CLOSE_WAIT.
    socket.setTimeout(3000, () => socket.end());
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
