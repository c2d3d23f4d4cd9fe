import net from 'node:net';
const open = new Set();
const server = net.createServer((s) => {
  open.add(s);
  console.log('clients: ' + open.size);
  s.on('end', () => {});
  s.on('close', () => { open.delete(s); console.log('clients: ' + open.size); });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
