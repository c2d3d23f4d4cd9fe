import net from 'node:net';
const server = net.createServer((s) => {
  const report = () => server.getConnections((err, n) => console.log(`clients: ${n}`));
  report();
  s.on('close', report);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
