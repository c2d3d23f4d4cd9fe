// A Node playground: any program using node:net, run where you choose. On the simulated kernel,
// every segment it causes appears on the ladder below. Try: remove allowHalfOpen, or make the
// server close before it reads, and watch the close change.
import net from 'node:net';

const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  let request = '';
  socket.on('data', (chunk) => (request += chunk));
  socket.on('end', () => {
    console.log(`server: the client half-closed after ${JSON.stringify(request)}; answering`);
    socket.end('pong\n');
  });
});

// Port 0: the kernel picks a free port, so this runs anywhere.
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const client = net.connect(port, '127.0.0.1', () => client.end('ping'));
  client.on('data', (data) => console.log(`client: got ${JSON.stringify(String(data))}`));
  client.on('close', () => {
    console.log('client: closed');
    server.close();
  });
});
