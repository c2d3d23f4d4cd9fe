import net from 'node:net';
net.createServer({ allowHalfOpen: true }, (s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length));
  s.on('end', () => { s.write(`got ${n} bytes\n`); s.destroy(); });
}).listen(Number(process.env.PORT), '127.0.0.1');
