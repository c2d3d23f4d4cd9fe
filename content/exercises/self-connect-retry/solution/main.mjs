import net from 'node:net';

const host = '127.0.0.1';
const port = Number(process.env.PEER_PORT);

function attempt(localPort) {
  const socket = net.connect(localPort ? { host, port, localPort } : { host, port });
  socket.on('connect', () => {
    const self = socket.localAddress === socket.remoteAddress && socket.localPort === socket.remotePort;
    if (self) {
      // Connected to ourselves: this socket holds the server's port. Drop it and try again.
      socket.destroy();
      setTimeout(attempt, 50);
      return;
    }
    console.log('connected');
    socket.end();
  });
  socket.on('error', () => setTimeout(attempt, 50)); // refused: the server is not up yet
}

attempt(Number(process.env.LOCAL_PORT));
