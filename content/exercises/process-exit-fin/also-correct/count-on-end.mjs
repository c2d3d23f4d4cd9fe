import net from 'node:net';
let n = 0;
net.createServer((s) => {
  console.log(`clients: ${++n}`);
  s.once('end', () => console.log(`clients: ${--n}`));
  s.on('error', () => console.log(`clients: ${--n}`));
}).listen(Number(process.env.PORT), '127.0.0.1');
