// TCP keepalive from Node. The client turns keepalive on with a 1 s idle time; libuv also sets a 1 s interval and
// 10 probes. Nothing reaches either program — the probes and their answers are the kernels' business — but on the
// simulated kernel the ladder shows them, one exchange per second. Try: a delay of 500 instead of 1000 (rounded
// down to 0 s: the system's 2-hour default applies), or setKeepAlive(false).
import net from 'node:net';

const server = net.createServer((socket) => {
  socket.on('data', (d) => console.log(`server: got ${JSON.stringify(String(d))}`));
  socket.on('end', () => socket.end());
});

server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    client.setKeepAlive(true, 1000);
    console.log('client: connected, keepalive after 1 s of silence');
  });
  setTimeout(() => {
    console.log('client: 2.5 s of silence and the connection is still up');
    client.end('bye');
  }, 2500);
  client.on('close', () => {
    console.log('client: closed');
    server.close();
  });
});
