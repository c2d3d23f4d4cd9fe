// Lesson 2 — answer after the client's FIN.
// The client sends some bytes, then half-closes (its FIN). Reply `got N bytes\n`, then close.
import net from 'node:net';

// Stands for real work (a lookup, a computation) before the reply is ready.
const prepareReply = (n) => new Promise((resolve) => setTimeout(() => resolve(`got ${n} bytes\n`), 20));

const server = net.createServer((socket) => {
  let received = 0;
  socket.on('data', (chunk) => {
    received += chunk.length;
  });
  socket.on('end', async () => {
    // The client's FIN has arrived. Does this reply ever reach it?
    socket.end(await prepareReply(received));
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1');
