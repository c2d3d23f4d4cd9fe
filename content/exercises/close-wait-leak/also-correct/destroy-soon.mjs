import net from 'node:net';
net.createServer({ allowHalfOpen: true }, (s) => {
  s.on('data', (d) => s.write(d));
  s.on('end', () => s.destroySoon());
}).listen(Number(process.env.PORT), '127.0.0.1');
