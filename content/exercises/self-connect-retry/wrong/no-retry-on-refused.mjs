import net from 'node:net';

const port = Number(process.env.PEER_PORT);
const first = net.connect({ host: '127.0.0.1', port, localPort: Number(process.env.LOCAL_PORT) });
first.on('connect', () => {
  if (first.localPort === first.remotePort) {
    first.destroy();
    const second = net.connect(port, '127.0.0.1', () => {
      console.log('connected');
      second.end();
    });
  }
});
