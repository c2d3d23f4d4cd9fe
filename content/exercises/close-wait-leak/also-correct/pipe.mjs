import net from 'node:net';
net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s)).listen(process.env.PORT, '127.0.0.1');
