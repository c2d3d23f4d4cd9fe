import net from 'node:net';

const port = Number(process.env.PEER_PORT);
function attempt(localPort) {
  const socket = net.connect(localPort ? { host: '127.0.0.1', port, localPort } : { host: '127.0.0.1', port });
  socket.on('connect', () => {
    console.log('connected');
    socket.end();
  });
  socket.on('error', () => setTimeout(attempt, 50));
}
attempt(Number(process.env.LOCAL_PORT));
