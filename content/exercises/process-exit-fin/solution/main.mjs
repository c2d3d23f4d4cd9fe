import net from 'node:net';

let clients = 0;

const server = net.createServer((socket) => {
  clients++;
  console.log(`clients: ${clients}`);
  // A killed client's kernel sends a FIN: we see 'end', then 'close' (no 'error').
  socket.on('error', () => {});
  socket.on('close', () => {
    clients--;
    console.log(`clients: ${clients}`);
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1');
